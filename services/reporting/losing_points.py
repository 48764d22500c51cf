"""The dossiers costing the scorecard points in a period, with the reasons, a page at a time.

Three sources, each read in order through its own index and taken one after the
other: settled late in the period (after the appointment, an apology, more than one
supplement request); unfinished now with the clock running and the appointment
before the period's end; settled only after the end though due before it. Pages
are fetched with one row more than shown to know whether another follows: no count.
The unfinished ones are read from today's rows (a dossier withdrawn or stopped after
the period's end is not listed; the scorecard's figures themselves count it).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select

from extensions import db
from models.dossier import Dossier
from services.calendar import LOCAL_TZ
from services.dossiers.timeliness import RUNNING_STATUSES
from services.reporting.periods import Period
from services.reporting.queries import Filters, narrow

PER_PAGE = 50
#: Each reason a dossier loses points for: its key and Vietnamese label.
REASONS = {
    "late": "Giải quyết sau ngày hẹn trả",
    "apology": "Có văn bản xin lỗi, hẹn lại",
    "supplements": "Yêu cầu bổ sung quá một lần",
    "overdue": "Chưa giải quyết, đã quá hạn cuối kỳ",
}


@dataclass(frozen=True)
class Losing:
    id: int
    code: str
    due_at: datetime | None
    completed_at: datetime | None
    reasons: tuple[str, ...]


def reasons_of(row, period: Period) -> tuple[str, ...]:
    """Why ROW (due_at, completed_at, apology and supplement counts) loses points."""
    if row.completed_at is None or row.completed_at >= period.end:
        return ("overdue",)
    found = []
    done = row.completed_at.astimezone(LOCAL_TZ).date()
    if row.due_at is not None and done > row.due_at.astimezone(LOCAL_TZ).date():
        found.append("late")
    if row.apology_count:
        found.append("apology")
    if row.supplement_count > 1:
        found.append("supplements")
    return tuple(found) or ("late",)


def _sources(period: Period):
    d = Dossier
    columns = (d.id, d.code, d.due_at, d.completed_at, d.apology_count, d.supplement_count)
    late = and_(d.timeliness == "late", d.completed_at >= period.start, d.completed_at < period.end)
    running = and_(d.status.in_(RUNNING_STATUSES), d.due_at < period.end)
    after = and_(d.completed_at >= period.end, d.due_at < period.end)
    return (
        select(*columns).where(late).order_by(d.completed_at, d.id),
        select(*columns).where(running, d.received_at < period.end).order_by(d.due_at, d.id),
        select(*columns).where(after, d.received_at < period.end).order_by(d.completed_at, d.id),
    )


def page(user, period: Period, filters: Filters | None = None, number: int = 1):
    """Page NUMBER (from 1) of the period's losing dossiers: (list of Losing, has_next)."""
    filters, number = filters or Filters(), max(1, min(number, 2000))
    wanted = number * PER_PAGE + 1
    rows = []
    for query in _sources(period):
        rows += db.session.execute(narrow(query, user, filters).limit(wanted - len(rows))).all()
        if len(rows) >= wanted:
            break
    shown = rows[(number - 1) * PER_PAGE : number * PER_PAGE]
    items = [Losing(r.id, r.code, r.due_at, r.completed_at, reasons_of(r, period)) for r in shown]
    return items, len(rows) > number * PER_PAGE
