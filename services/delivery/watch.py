"""Parcels that stopped moving: ``out_for_delivery`` or ``failed`` for N working days and more."""

from datetime import date, datetime, time, timedelta

from flask import current_app, has_app_context
from sqlalchemy import and_

from models.delivery import DeliveryOrder
from services.calendar import LOCAL_TZ, load_calendar

STUCK_STATUSES = ("out_for_delivery", "failed")
DEFAULT_STUCK_DAYS = 3


def stuck_days() -> int:
    if has_app_context():
        return int(current_app.config.get("DELIVERY_STUCK_WORKING_DAYS", DEFAULT_STUCK_DAYS))
    return DEFAULT_STUCK_DAYS


def working_days_back(today: date, count: int) -> date:
    """The working day COUNT working days before TODAY."""
    cal = load_calendar(today - timedelta(days=count * 3 + 30), days=count * 3 + 40)
    day = today
    for _ in range(count):
        day -= timedelta(days=1)
        while not cal.is_working_day(day):
            day -= timedelta(days=1)
    return day


def stuck_cutoff(now: datetime, days: int | None = None) -> datetime:
    """An order whose status was reached before this instant has waited too long."""
    day = working_days_back(now.astimezone(LOCAL_TZ).date(), stuck_days() if days is None else days)
    return datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ)


def is_stuck(order: DeliveryOrder, cutoff: datetime) -> bool:
    return (
        order.status in STUCK_STATUSES and order.status_at is not None and order.status_at < cutoff
    )


def stuck_clause(cutoff: datetime):
    """SQL for the stuck orders (served by the (status, status_at) index)."""
    return and_(DeliveryOrder.status.in_(STUCK_STATUSES), DeliveryOrder.status_at < cutoff)
