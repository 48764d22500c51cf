"""Every figure against a hand-built month whose answer is known, in each scope."""

from datetime import date

import pytest

import permissions
from services.errors import ValidationFailed
from services.reporting import figures as reports
from services.reporting import pages
from services.reporting.periods import Period, make_period, preset
from tests.report_workload import at, build_month

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
NOW = at(3, 31, 12)
DAY = 86400


@pytest.fixture
def month(world):
    return build_month(world)


ALL = {
    "received": 15,
    "received_counter": 14,
    "received_post": 1,
    "received_online": 0,
    "in_progress": 4,
    "overdue": 3,
    "completed": 9,
    "completed_early": 4,
    "completed_on_time": 1,
    "completed_late": 4,
    "on_time_rate": 5 / 9,
    "supplement_requests": 4,
    "refused": 1,
    "apologies": 1,
    "stopped": 1,
    "withdrawn": 1,
    "returned_at_counter": 2,
    "returned_by_post": 1,
    "delivered": 1,
    "returned_to_sender": 1,
    "delivered_rate": 0.5,
    "returned_to_sender_rate": 0.5,
    "parcels": 2,
    "postage": 55_000,
    "fees": 4_000_000,
    "handover_delay_median": DAY,
    "handover_delay_p90": DAY + 0.8 * DAY,
}


def test_the_case_dossiers_got_their_timeliness(month):
    got = {k: month[k].timeliness for k in "abcdefnop"}
    assert got == dict(a="early", b="on_time", c="late", d="late", e="early", f="late") | {
        "n": "early",
        "o": "early",
        "p": "late",
    }


def test_every_figure_for_all_rows(world, month):
    figures = reports.summary(world.users["it_admin"], MARCH, now=NOW)
    assert set(figures) == set(reports.FIGURES)
    assert figures == pytest.approx(ALL)
    assert reports.summary(world.users["viewer"], MARCH, now=NOW) == figures


def test_a_department_counts_only_its_own(world, month):
    dept = reports.summary(world.users["dept_admin"], MARCH, now=NOW)
    expected = ALL | {
        "received": 13,
        "received_counter": 12,
        "completed": 8,
        "completed_late": 3,
        "on_time_rate": 5 / 8,
        "refused": 0,
        "fees": 0,
        "handover_delay_p90": DAY + 0.9 * DAY,
    }
    assert dept == pytest.approx(expected)
    other = reports.summary(world.users["dept_admin2"], MARCH, now=NOW)
    assert (other["received"], other["refused"], other["completed_late"]) == (2, 1, 1)
    assert (other["fees"], other["in_progress"], other["supplement_requests"]) == (4_000_000, 0, 0)


def test_a_post_office_counts_what_it_received(world, month):
    po2 = reports.summary(world.users["po_clerk2"], MARCH, now=NOW)
    assert (po2["received"], po2["completed"], po2["fees"], po2["parcels"]) == (1, 1, 4_000_000, 0)
    po = reports.summary(world.users["po_supervisor"], MARCH, now=NOW)
    assert po["received"] == 14 and po["refused"] == 1 and po["postage"] == 55_000


@pytest.mark.parametrize(
    ("moment", "overdue"), [(at(3, 20, 12), 0), (at(3, 20, 18), 1), (at(3, 24, 9, 31), 3)]
)
def test_overdue_at_a_given_moment(world, month, moment, overdue):
    """Past the appointment with the clock running; a paused dossier never is."""
    assert reports.summary(world.users["it_admin"], MARCH, now=moment)["overdue"] == overdue


def test_filters_narrow_within_the_scope(world, month):
    admin = world.users["it_admin"]
    same_day = reports.Filters(procedure_type_id=world.procedures["same_day"].id)
    figures = reports.summary(admin, MARCH, same_day, now=NOW)
    assert (figures["received"], figures["overdue"], figures["completed"]) == (1, 1, 0)
    assert figures["on_time_rate"] is None and figures["handover_delay_median"] == 3600
    dept2 = reports.Filters(agency_id=world.agencies["dept2"].id)
    assert reports.summary(admin, MARCH, dept2, now=NOW)["received"] == 2
    assert reports.summary(world.users["dept_admin"], MARCH, dept2, now=NOW)["received"] == 0
    po2 = reports.Filters(post_office_id=world.agencies["po2"].id)
    assert reports.summary(admin, MARCH, po2, now=NOW)["received"] == 1


def test_tables_by_agency_procedure_and_post_office(world, month):
    admin = world.users["it_admin"]
    by_agency = {r["name"]: r for r in reports.table(admin, MARCH, "agency", now=NOW)}
    assert by_agency["Sở Thông tin và Truyền thông"]["received"] == 13
    assert by_agency["Sở Văn hóa, Thể thao và Du lịch"]["received"] == 2
    by_procedure = {r["id"]: r for r in reports.table(admin, MARCH, "procedure", now=NOW)}
    assert by_procedure[world.procedures["same_day"].id]["overdue"] == 1
    offices = reports.table(admin, MARCH, "post_office", now=NOW)
    assert [(r["name"], r["received"]) for r in offices] == [
        ("Bưu điện tỉnh", 14),
        ("Bưu điện khu vực Bắc Kạn", 1),
    ]
    mine = reports.table(world.users["dept_admin2"], MARCH, "agency", now=NOW)
    assert [r["name"] for r in mine] == ["Sở Văn hóa, Thể thao và Du lịch"]


def test_series_by_day_week_and_month(world, month):
    admin = world.users["it_admin"]
    weeks = reports.series(admin, MARCH, "week", now=NOW)
    assert weeks[0]["start"] == date(2026, 2, 23)  # the week of 01/03 starts on Monday 23/02
    by_week = {w["start"]: w for w in weeks}
    assert by_week[date(2026, 3, 9)]["received"] == 14
    assert by_week[date(2026, 3, 16)]["received"] == 1
    assert sum(w["completed"] for w in weeks) == 9
    days = reports.series(admin, MARCH, "day", now=NOW)
    assert len(days) == 31 and days[9]["received"] == 14 and days[4]["completed_early"] == 1
    months = reports.series(admin, Period(date(2026, 2, 1), date(2026, 4, 30)), "month", now=NOW)
    assert [m["received"] for m in months] == [1, 15, 1]
    assert months[1]["on_time_rate"] == pytest.approx(5 / 9)


def test_an_empty_period_has_no_rates(world, month):
    figures = reports.summary(world.users["it_admin"], Period(date(2025, 1, 1), date(2025, 1, 31)))
    assert figures["received"] == 0 and figures["on_time_rate"] is None
    assert figures["delivered_rate"] is None and figures["handover_delay_median"] is None


@pytest.mark.parametrize(
    ("raw_from", "raw_to", "field"),
    [
        ("", "2026-03-31", "from"),
        ("2026-02-30", "2026-03-31", "from"),
        ("01/03/2026", "junk", "to"),
        ("2026-03-31", "2026-03-01", "to"),
        ("1999-12-31", "2026-03-01", "from"),
        ("2020-01-01", "2026-03-01", "to"),
    ],
)
def test_bad_periods_are_refused_with_the_field(raw_from, raw_to, field):
    with pytest.raises(ValidationFailed) as caught:
        make_period(raw_from, raw_to)
    assert field in caught.value.fields


def test_periods_read_both_ways_and_presets():
    assert make_period("01/03/2026", "2026-06-30") == Period(date(2026, 3, 1), date(2026, 6, 30))
    on = date(2026, 5, 14)
    assert preset("this_month", on) == Period(date(2026, 5, 1), date(2026, 5, 31))
    assert preset("last_month", on) == Period(date(2026, 4, 1), date(2026, 4, 30))
    assert preset("this_quarter", on) == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert preset("this_year", on) == Period(date(2026, 1, 1), date(2026, 12, 31))
    pilot = Period(date(2020, 3, 1), date(2020, 6, 30))
    assert pilot.year_before() == Period(date(2019, 3, 1), date(2019, 6, 30))
    assert pilot.before() == Period(date(2019, 11, 1), date(2020, 2, 29))  # four whole months
    days = Period(date(2026, 3, 10), date(2026, 3, 19))
    assert days.before() == Period(date(2026, 2, 28), date(2026, 3, 9))
    assert pilot.start.isoformat() == "2020-02-29T17:00:00+00:00"


def test_the_report_filters_are_held_to_the_users_own_agency(world):
    """permissions.report_filter_bounds, and the options the reports page offers from it."""
    dept, po = world.agencies["dept"].id, world.agencies["po"].id
    expected = {
        "dept_admin": (dept, None),
        "po_clerk": (None, po),
        "po_supervisor": (None, po),
        "it_admin": (None, None),
        "viewer": (None, None),
    }
    for username, bounds in expected.items():
        assert permissions.report_filter_bounds(world.users[username]) == bounds, username
    options = pages.filter_options(world.users["dept_admin"])
    assert [i for i, _name in options["agency"]] == [dept]
    assert {p.id for p in world.procedures.values() if p.agency_id == dept} == {
        i for i, _text in options["procedure"]
    }
    assert len(options["post_office"]) == 2
    assert [i for i, _name in pages.filter_options(world.users["po_clerk"])["post_office"]] == [po]
    assert len(pages.filter_options(world.users["viewer"])["agency"]) == 2
