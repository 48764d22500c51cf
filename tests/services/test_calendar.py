"""DOMAIN.md "Time rules": working days, clock start at the cut-off, appointment dates."""

from datetime import UTC, date, datetime, time

import pytest

from extensions import db
from models.calendar import CalendarOverride
from services.calendar import (
    LOCAL_TZ,
    WorkingCalendar,
    appointment,
    clock_start,
    due_date_for,
    parse_cutoff,
)

CUTOFF = time(15, 0)
NATIONAL = WorkingCalendar()


def local(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


# --- Working days ----------------------------------------------------------------


@pytest.mark.parametrize("day", [16, 17, 18, 19, 20])
def test_tet_2026_is_not_working(day):
    assert not NATIONAL.is_working_day(date(2026, 2, day))


def test_days_around_tet_2026():
    assert NATIONAL.is_working_day(date(2026, 2, 13))  # Friday before
    assert NATIONAL.is_working_day(date(2026, 2, 23))  # Monday after
    assert NATIONAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)


@pytest.mark.parametrize("day", [date(2026, 4, 30), date(2026, 5, 1), date(2026, 1, 1)])
def test_national_holidays_2026_are_not_working(day):
    assert day.weekday() < 5
    assert not NATIONAL.is_working_day(day)


def test_gio_to_2026_falls_on_sunday_and_monday_is_observed():
    assert date(2026, 4, 26).weekday() == 6
    assert not NATIONAL.is_working_day(date(2026, 4, 26))
    assert not NATIONAL.is_working_day(date(2026, 4, 27))
    assert NATIONAL.is_working_day(date(2026, 4, 28))


def test_make_up_saturday_26_04_2025_is_working():
    assert date(2025, 4, 26).weekday() == 5
    assert NATIONAL.is_working_day(date(2025, 4, 26))
    assert not NATIONAL.is_working_day(date(2025, 5, 2))  # the day off it pays for
    assert not NATIONAL.is_working_day(date(2025, 4, 19))  # an ordinary Saturday


def test_ordinary_weekend_and_weekday():
    assert NATIONAL.is_working_day(date(2026, 3, 10))
    assert not NATIONAL.is_working_day(date(2026, 3, 14))
    assert not NATIONAL.is_working_day(date(2026, 3, 15))


def test_overrides_win_over_the_national_calendar():
    cal = WorkingCalendar(
        {date(2026, 3, 11): False, date(2026, 3, 14): True, date(2026, 4, 30): True}
    )
    assert not cal.is_working_day(date(2026, 3, 11))
    assert cal.is_working_day(date(2026, 3, 14))
    assert cal.is_working_day(date(2026, 4, 30))
    assert cal.is_working_day(date(2026, 3, 12))  # days without an override are untouched


# --- Clock start -----------------------------------------------------------------


def test_receipt_before_cutoff_starts_the_clock_at_receipt():
    received = local(2026, 3, 10, 14, 59)
    assert clock_start(received, CUTOFF, NATIONAL) == received


def test_receipt_after_cutoff_starts_at_eight_next_working_day():
    assert clock_start(local(2026, 3, 10, 15, 1), CUTOFF, NATIONAL) == local(2026, 3, 11, 8)


def test_receipt_exactly_at_cutoff_is_not_before_it():
    assert clock_start(local(2026, 3, 10, 15, 0), CUTOFF, NATIONAL) == local(2026, 3, 11, 8)


def test_cutoff_is_judged_in_local_time_for_utc_input():
    before = datetime(2026, 3, 10, 7, 59, tzinfo=UTC)  # 14:59 in Hà Nội
    after = datetime(2026, 3, 10, 8, 1, tzinfo=UTC)  # 15:01 in Hà Nội
    assert clock_start(before, CUTOFF, NATIONAL) == local(2026, 3, 10, 14, 59)
    assert clock_start(after, CUTOFF, NATIONAL) == local(2026, 3, 11, 8)


def test_receipt_before_the_office_opens_starts_at_eight_that_day(app):
    # Issue 19: paper taken at 07:10 does not gain 50 minutes on the appointment.
    assert clock_start(local(2026, 3, 10, 7, 10), CUTOFF, NATIONAL) == local(2026, 3, 10, 8)
    assert clock_start(local(2026, 3, 10, 0, 0), CUTOFF, NATIONAL) == local(2026, 3, 10, 8)
    assert due_date_for(local(2026, 3, 10, 7, 10), 2, CUTOFF) == (
        local(2026, 3, 10, 8),
        local(2026, 3, 12, 8),
    )


def test_friday_after_cutoff_starts_monday_morning():
    assert clock_start(local(2026, 3, 13, 16), CUTOFF, NATIONAL) == local(2026, 3, 16, 8)


def test_receipt_on_a_holiday_starts_on_the_next_working_day():
    # 30/04 Thursday, 01/05 Friday off, then the weekend.
    assert clock_start(local(2026, 4, 30, 9), CUTOFF, NATIONAL) == local(2026, 5, 4, 8)


def test_friday_before_gio_to_starts_tuesday():
    assert clock_start(local(2026, 4, 24, 16), CUTOFF, NATIONAL) == local(2026, 4, 28, 8)


def test_receipt_on_the_make_up_saturday_starts_at_receipt():
    received = local(2025, 4, 26, 10)
    assert clock_start(received, CUTOFF, NATIONAL) == received


def test_configured_cutoff_is_used():
    assert parse_cutoff("16:30") == time(16, 30)
    received = local(2026, 3, 10, 16)
    assert clock_start(received, parse_cutoff("16:30"), NATIONAL) == received


# --- Appointment -------------------------------------------------------------------


def test_zero_days_is_five_pm_of_the_start_day():
    assert appointment(local(2026, 3, 10, 9, 30), 0, NATIONAL) == local(2026, 3, 10, 17)


def test_zero_days_after_cutoff_is_five_pm_of_the_next_working_day():
    start = clock_start(local(2026, 3, 13, 16), CUTOFF, NATIONAL)
    assert appointment(start, 0, NATIONAL) == local(2026, 3, 16, 17)


@pytest.mark.parametrize(
    ("days", "due"),
    [
        (1, local(2026, 3, 11, 9, 30)),
        (4, local(2026, 3, 16, 9, 30)),
        (10, local(2026, 3, 24, 9, 30)),
    ],
)
def test_n_working_days_later_at_the_same_time(days, due):
    assert appointment(local(2026, 3, 10, 9, 30), days, NATIONAL) == due


def test_appointment_spanning_tet():
    # Thursday 12/02/2026: 13/02 is day 1, Tết and two weekends follow, 23/02 is day 2.
    assert appointment(local(2026, 2, 12, 10), 3, NATIONAL) == local(2026, 2, 24, 10)


def test_receipt_after_cutoff_before_tet():
    start = clock_start(local(2026, 2, 13, 16), CUTOFF, NATIONAL)
    assert start == local(2026, 2, 23, 8)
    assert appointment(start, 5, NATIONAL) == local(2026, 3, 2, 8)


def test_appointment_counts_the_make_up_saturday():
    assert appointment(local(2025, 4, 25, 10), 1, NATIONAL) == local(2025, 4, 26, 10)
    # 26/04, 28/04, 29/04; 30/04, 01/05 and the substitute 02/05 off; then 05/05.
    assert appointment(local(2025, 4, 25, 10), 4, NATIONAL) == local(2025, 5, 5, 10)


def test_appointment_is_in_local_time_for_utc_start():
    start = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)  # 09:30 in Hà Nội
    assert appointment(start, 1, NATIONAL) == local(2026, 3, 11, 9, 30)
    assert appointment(start, 0, NATIONAL) == local(2026, 3, 10, 17)


# --- Through the database: overrides win over the package -----------------------------


def _override(day, is_working, name):
    db.session.add(CalendarOverride(day=day, is_working=is_working, name=name))
    db.session.commit()


def test_due_date_without_override_follows_the_national_calendar(app):
    start, due = due_date_for(local(2026, 3, 10, 9, 30), 1, CUTOFF)
    assert (start, due) == (local(2026, 3, 10, 9, 30), local(2026, 3, 11, 9, 30))


def test_declared_day_off_on_a_weekday(app):
    _override(date(2026, 3, 11), False, "Nghỉ theo quyết định của UBND tỉnh")
    start, due = due_date_for(local(2026, 3, 10, 9, 30), 1, CUTOFF)
    assert start == local(2026, 3, 10, 9, 30)
    assert due == local(2026, 3, 12, 9, 30)
    start, due = due_date_for(local(2026, 3, 11, 10), 0, CUTOFF)
    assert (start, due) == (local(2026, 3, 12, 8), local(2026, 3, 12, 17))


def test_declared_working_saturday(app):
    _override(date(2026, 3, 14), True, "Làm bù")
    start, due = due_date_for(local(2026, 3, 13, 10), 1, CUTOFF)
    assert (start, due) == (local(2026, 3, 13, 10), local(2026, 3, 14, 10))
    start, due = due_date_for(local(2026, 3, 13, 16), 0, CUTOFF)
    assert (start, due) == (local(2026, 3, 14, 8), local(2026, 3, 14, 17))


def test_declared_working_day_on_a_national_holiday(app):
    _override(date(2026, 4, 27), True, "Đi làm ngày nghỉ bù Giỗ Tổ")
    start, due = due_date_for(local(2026, 4, 24, 10), 1, CUTOFF)
    assert (start, due) == (local(2026, 4, 24, 10), local(2026, 4, 27, 10))
