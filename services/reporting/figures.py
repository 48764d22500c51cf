"""The figures of DOMAIN.md "Figures people ask for", for a period, in the user's row scope.

Flows (received, completed, moves, parcels, handover delays) count what
happened in the period's local days. ``in_progress`` and ``overdue`` of a period
still running look at the dossiers received in it as they stand at NOW (overdue:
clock running and past the appointment at that moment); those of a closed period
follow the periodic report's rule, as the dossiers stood at its end (every dossier
in progress then, carried over too, and those of them overdue then), so last
month's figures do not change with today's statuses. The on-time rate is the
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
from models.report import FIGURES as CATALOGUE
from models.report import HOURS, MEASURES, QUERY, RATE, RATIO, STORED, SUM
from services.errors import ValidationFailed
from services.reporting import delays as delay_counts
from services.reporting import periodic
from services.reporting import queries as q
from services.reporting.periods import Period
from services.reporting.queries import Filters

__all__ = ["FIGURES", "GROUPS", "Filters", "series", "summary", "table"]

#: Every figure's name, in the catalogue's order (models.report.FIGURES).
FIGURES = tuple(f.name for f in CATALOGUE)
#: Table groupings: name → the dossier column and the model naming its values.
GROUPS = {
    "agency": (Dossier.agency_id, Agency),
    "procedure": (Dossier.procedure_type_id, ProcedureType),
    "post_office": (Dossier.post_office_id, Agency),
}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def finish(values: dict) -> dict:
    """Every figure from the raw values: zeros filled in, sums and ratios computed.

    A stored or queried count or amount missing is 0; a missing delay stays None.
    """
    figures = {}
    for figure in CATALOGUE:
        if figure.source in (STORED, QUERY):
            value = values.get(figure.name)
            figures[figure.name] = value if figure.kind in (RATE, HOURS) else int(value or 0)
    for figure in CATALOGUE:
        parts = sum(figures[name] for name in figure.parts)
        if figure.source == SUM:
            figures[figure.name] = parts
        elif figure.source == RATIO:
            figures[figure.name] = _ratio(parts, sum(figures[name] for name in figure.whole))
    return figures


def _collect(user, period, filters, now, by, delays=True, open_too=True, measures=MEASURES):
    """Raw values of every source, merged by key: daily figures (parcels, open too), overdue."""
    merged: dict = {}
    sources = [q.facts(user, period, filters, by, measures)]
    if open_too and by != "day" and period.end <= now:
        sources.append(periodic.open_at_end(user, period, filters, by))  # a closed period
    elif open_too:
        sources.append(q.overdue(user, period, filters, now, by))
    if delays:
        sources.append(delay_counts.percentiles(user, period, filters, by))
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
    return delay_counts.percentiles(user, period, filters or Filters()).get(None, {})


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
