"""Timeliness of a dossier: early / on time / late when finished, overdue while open."""

from datetime import datetime, timedelta

from services.calendar import LOCAL_TZ, WorkingCalendar

RUNNING_STATUSES = ("received", "processing")  # the clock runs; paused while supplementing


def timeliness_at(done: datetime, due: datetime, supplements: int = 0, apologies: int = 0) -> str:
    """``early`` before the appointment's date, ``on_time`` on it, ``late`` after.

    An apology or more than one supplement request makes the dossier late
    whatever the dates say (DOMAIN.md).
    """
    if apologies or supplements > 1:
        return "late"
    done_day, due_day = done.astimezone(LOCAL_TZ).date(), due.astimezone(LOCAL_TZ).date()
    if done_day < due_day:
        return "early"
    return "on_time" if done_day == due_day else "late"


def is_overdue(status: str, due_at: datetime | None, now: datetime) -> bool:
    """Unfinished, clock running, and past the appointment."""
    return status in RUNNING_STATUSES and due_at is not None and due_at < now


def is_due_today(status: str, due_at: datetime | None, now: datetime) -> bool:
    if status not in RUNNING_STATUSES or due_at is None or due_at < now:
        return False
    return due_at.astimezone(LOCAL_TZ).date() == now.astimezone(LOCAL_TZ).date()


def working_days_left(now: datetime, due: datetime, cal: WorkingCalendar) -> int:
    """Working days after NOW's date up to and including DUE's date (0 if due is past)."""
    day, last = now.astimezone(LOCAL_TZ).date(), due.astimezone(LOCAL_TZ).date()
    count = 0
    while day < last:
        day += timedelta(days=1)
        if cal.is_working_day(day):
            count += 1
    return count
