"""The figures of DOMAIN.md "Figures people ask for", for a period, in the user's row scope.

Flows (received, completed, moves, parcels, handover delays) count what
happened in the period's local days; ``in_progress`` and ``overdue`` look at
the dossiers received in the period as they stand at NOW (overdue: clock
running and past the appointment at that moment). The on-time rate is the
national scorecard's: early and on time over completed, None when nothing was
completed.
"""

from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from models.agency import Agency
from models.base import utcnow
from models.catalog import ProcedureType
from models.dossier import Dossier
from models.report import MEASURES
from services.errors import ValidationFailed
from services.reporting import queries as q
from services.reporting.periods import Period
from services.reporting.queries import Filters

__all__ = ["FIGURES", "GROUPS", "Filters", "series", "summary", "table"]

COUNTS = (
    "received",
    "received_counter",
    "received_post",
    "received_online",
    "in_progress",
    "overdue",
    "completed",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "supplement_requests",
    "refused",
    "apologies",
    "stopped",
    "withdrawn",
    "returned_at_counter",
    "returned_by_post",
    "delivered",
    "returned_to_sender",
    "parcels",
    "postage",
    "fees",
)
RATES = ("on_time_rate", "delivered_rate", "returned_to_sender_rate")
DELAYS = ("handover_delay_median", "handover_delay_p90")
FIGURES = COUNTS + RATES + DELAYS
#: Table groupings: name → the dossier column and the model naming its values.
GROUPS = {
    "agency": (Dossier.agency_id, Agency),
    "procedure": (Dossier.procedure_type_id, ProcedureType),
    "post_office": (Dossier.post_office_id, Agency),
}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def finish(values: dict) -> dict:
    """Every figure from the raw counts: zeros filled in, rates and aliases computed."""
    figures = {name: int(values.get(name) or 0) for name in COUNTS}
    figures["returned_by_post"] = figures["delivered"]
    done = figures["completed"]
    figures["on_time_rate"] = _ratio(
        figures["completed_early"] + figures["completed_on_time"], done
    )
    outcomes = figures["delivered"] + figures["returned_to_sender"]
    figures["delivered_rate"] = _ratio(figures["delivered"], outcomes)
    figures["returned_to_sender_rate"] = _ratio(figures["returned_to_sender"], outcomes)
    for name in DELAYS:
        figures[name] = values.get(name)
    return figures


def _collect(user, period, filters, now, by, delays=True, open_too=True, measures=MEASURES):
    """Raw values of every source, merged by key: daily figures (parcels, open too), overdue."""
    merged: dict = {}
    sources = [q.facts(user, period, filters, by, measures)]
    if open_too:
        sources.append(q.overdue(user, period, filters, now, by))
    if delays:
        sources.append(q.handover_delays(user, period, filters, by))
    for source in sources:
        for k, values in source.items():
            k = q.as_date(k) if by == "day" and k is not None else None if k == 0 else k
            merged.setdefault(k, {}).update(values)
    return merged


def summary(user, period: Period, filters: Filters | None = None, now=None, delays=True) -> dict:
    """Every figure for the period, in USER's scope, narrowed by FILTERS.

    DELAYS False leaves out the handover percentiles (None), the one figure that
    reads every handover of the period rather than the daily figures.
    """
    raw = _collect(user, period, filters or Filters(), now or utcnow(), None, delays)
    return finish(raw.get(None, {}))


def table(user, period: Period, by: str, filters: Filters | None = None, now=None) -> list:
    """One row per agency, procedure or post office (BY): ``{"id", "name", **figures}``."""
    _column, model = GROUPS[by]
    raw = _collect(user, period, filters or Filters(), now or utcnow(), by)
    raw.pop(None, None)  # dossiers without a post office (received online)
    names = dict(db.session.execute(select(model.id, model.name).where(model.id.in_(raw))).all())
    rows = [{"id": k, "name": names.get(k, str(k)), **finish(v)} for k, v in raw.items()]
    return sorted(rows, key=lambda row: (-row["received"], row["name"]))


def bucket_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def daily(user, period: Period, filters=None, now=None, open_too=True, measures=MEASURES) -> dict:
    """Raw counts per local day of the period (no percentiles), to fold and total.

    OPEN_TOO False leaves out overdue (zero), for callers that only total it
    (``overdue_of``), which is cheaper than per day; MEASURES, the stored figures
    wanted (the others are zero).
    """
    filters, now = filters or Filters(), now or utcnow()
    raw = _collect(user, period, filters, now, "day", False, open_too, measures)
    return {k: v for k, v in raw.items() if k is not None}


def _add(into: dict, values: dict) -> None:
    for name, value in values.items():
        into[name] = (into.get(name) or 0) + (value or 0)


def fold(days: dict, period: Period, unit: str) -> list:
    """DAYS (from ``daily``) per day, week (from Monday) or month of PERIOD, oldest first."""
    buckets: dict[date, dict] = {}
    day = period.first
    while day <= period.last:
        buckets.setdefault(bucket_start(day, unit), {})
        day += timedelta(days=1)
    for day, values in days.items():
        if period.first <= day <= period.last:
            _add(buckets.setdefault(bucket_start(day, unit), {}), values)
    return [{"start": start, **finish(buckets[start])} for start in sorted(buckets)]


def total(days: dict, period: Period, apart: dict | None = None) -> dict:
    """Every figure of PERIOD from DAYS, with the figures computed APART (delays, open)."""
    values: dict = dict(apart or {})
    for day, counts in days.items():
        if period.first <= day <= period.last:
            _add(values, counts)
    return finish(values)


def overdue_of(user, periods, filters: Filters | None = None, now=None) -> list[dict]:
    """Overdue at NOW of the dossiers received in each of PERIODS, in one statement."""
    return q.overdue_totals(user, periods, filters or Filters(), now or utcnow())


def delays(user, period: Period, filters: Filters | None = None) -> dict:
    """The handover delay percentiles of the period (they do not add up across days)."""
    return q.handover_delays(user, period, filters or Filters()).get(None, {})


def series(user, period: Period, unit: str = "day", filters=None, now=None) -> list:
    """The figures per day, week (from Monday) or month of the period, oldest first."""
    return fold(daily(user, period, filters, now), period, unit)


def filters_from_codes(agency_code=None, procedure_code=None, post_office_code=None) -> Filters:
    """Filters named by codes (as people type them); ValidationFailed for an unknown code."""
    errors, ids = {}, {}
    wanted = (
        ("agency_code", agency_code, Agency, Agency.code, "agency_id"),
        ("procedure_code", procedure_code, ProcedureType, ProcedureType.code, "procedure_type_id"),
        ("post_office_code", post_office_code, Agency, Agency.code, "post_office_id"),
    )
    for field, code, model, column, target in wanted:
        code = (code or "").strip()
        if not code:
            continue
        found = db.session.scalar(select(model.id).where(column == code[:60]))
        if found is None:
            errors[field] = f"Không có mã «{code[:60]}»."
        ids[target] = found
    if errors:
        raise ValidationFailed("Bộ lọc chưa hợp lệ.", errors)
    return Filters(**ids)
