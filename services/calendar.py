"""Working days and appointment dates by DOMAIN.md's time rules.

Vietnam's public holidays, substitute days off and make-up Saturdays come from
the ``holidays`` package; rows of ``calendar_override`` win over it.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from sqlalchemy import select

from extensions import db
from models.calendar import CalendarOverride
from vietnam.dates import OFFICE_TZ

LOCAL_TZ = OFFICE_TZ


def day_start(day: date) -> datetime:
    """Midnight starting DAY in Asia/Ho_Chi_Minh, as an aware instant."""
    return datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ)


OPENING = time(8, 0)
CLOSING = time(17, 0)
# How far ahead overrides are loaded for one computation; generous on purpose.
_WINDOW_DAYS = 400


@lru_cache(maxsize=64)
def _national(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language="vi")


def national_is_working_day(day: date) -> bool:
    """Working day by the national calendar alone (no provincial overrides)."""
    return _national(day.year).is_working_day(day)


class WorkingCalendar:
    """The national calendar with a set of overrides applied."""

    def __init__(self, overrides: dict[date, bool] | None = None):
        self.overrides = overrides or {}

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return national_is_working_day(day)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after DAY."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def subtract_working_days(self, day: date, count: int) -> date:
        """The COUNT-th working day before DAY."""
        for _ in range(count):
            day -= timedelta(days=1)
            while not self.is_working_day(day):
                day -= timedelta(days=1)
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The COUNT-th working day after DAY."""
        for _ in range(count):
            day = self.next_working_day(day)
        return day


def load_calendar(start: date, days: int = _WINDOW_DAYS) -> WorkingCalendar:
    """A calendar holding the overrides from START for DAYS days."""
    rows = db.session.execute(
        select(CalendarOverride.day, CalendarOverride.is_working).where(
            CalendarOverride.day >= start - timedelta(days=7),
            CalendarOverride.day <= start + timedelta(days=days),
        )
    )
    return WorkingCalendar({day: working for day, working in rows})


def clock_start(received_at: datetime, cutoff: time, cal: WorkingCalendar) -> datetime:
    """When the processing clock starts for a dossier received at RECEIVED_AT.

    On a working day before the cut-off: at receipt, but not before the office
    opens (08:00). Otherwise 08:00 of the next working day.
    """
    local = received_at.astimezone(LOCAL_TZ)
    if cal.is_working_day(local.date()) and local.time() < cutoff:
        return max(local, datetime.combine(local.date(), OPENING, tzinfo=LOCAL_TZ))
    start_day = cal.next_working_day(local.date())
    return datetime.combine(start_day, OPENING, tzinfo=LOCAL_TZ)


def appointment(start: datetime, working_days: int, cal: WorkingCalendar) -> datetime:
    """The due time: WORKING_DAYS working days after START at the same time; 0 → 17:00 that day."""
    local = start.astimezone(LOCAL_TZ)
    if working_days == 0:
        return datetime.combine(local.date(), CLOSING, tzinfo=LOCAL_TZ)
    due_day = cal.add_working_days(local.date(), working_days)
    return datetime.combine(due_day, local.timetz())


def parse_cutoff(value: str) -> time:
    """``"15:00"`` → ``time(15, 0)``."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def due_date_for(
    received_at: datetime, working_days: int, cutoff: time
) -> tuple[datetime, datetime]:
    """(clock start, appointment) for a receipt, with the overrides from the database."""
    cal = load_calendar(received_at.astimezone(LOCAL_TZ).date(), days=working_days * 3 + 60)
    start = clock_start(received_at, cutoff, cal)
    return start, appointment(start, working_days, cal)


def year_exceptions(year: int) -> list[dict]:
    """Days of YEAR that differ from a plain Monday–Friday week, with their reason.

    Public holidays and substitute days off, make-up working Saturdays, and the
    provincial overrides (which win). Each: day, working, name, source.
    """
    national = _national(year)
    days: dict[date, dict] = {}
    for day, name in sorted(national.items()):
        if day.year == year:
            days[day] = {"day": day, "working": False, "name": name, "source": "national"}
    for day in sorted(getattr(national, "weekend_workdays", ())):
        if day.year == year:
            days[day] = {"day": day, "working": True, "name": "Ngày làm bù", "source": "national"}
    rows = db.session.scalars(
        select(CalendarOverride).where(
            CalendarOverride.day >= date(year, 1, 1), CalendarOverride.day <= date(year, 12, 31)
        )
    )
    for row in rows:
        days[row.day] = {
            "day": row.day,
            "working": row.is_working,
            "name": row.name,
            "source": "override",
        }
    return [days[d] for d in sorted(days)]
