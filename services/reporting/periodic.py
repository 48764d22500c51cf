"""The periodic report as provinces publish it, as the dossiers stood at the period's end.

Every figure is a sum of the daily table (models.report), whose rows the same
transaction as each move keeps: *carried over* is what was received minus what
closed (settled, withdrawn, stopped, refused) on every day before the period;
*received*, *settled* and the closings are the period's days; *overdue at the
end* sums ``overdue_change`` up to the last day (services.reporting.timeline);
*in progress at the end* is what the identity leaves. Nothing reads today's
statuses, so a closed period gives the same figures tomorrow unless its history
is corrected. One grouped scan of the daily rows up to the period's end.
"""

from dataclasses import dataclass, replace

from sqlalchemy import and_, case, func, select

from extensions import db
from models.agency import Agency
from models.catalog import ProcedureType
from models.dossier import CHANNELS, TIMELINESS, Dossier
from models.dossier import DossierHistory as H
from models.report import PERIODIC_NAMES, ReportDaily
from services.reporting import queries as q
from services.reporting.periods import Period
from services.reporting.queries import Filters

F = ReportDaily
CLOSINGS = ("withdrawn", "stopped", "refused")
TIMES = tuple(TIMELINESS)
BY = ("procedure", "agency", "post_office")
GROUPS = {
    "agency": [F.agency_id, F.procedure_type_id],
    "post_office": [F.post_office_id],
}


@dataclass(frozen=True)
class Row:
    """One line of the report: what it is (an agency, a procedure, an office, the total)."""

    kind: str  # "agency", "procedure", "post_office" or "total"
    id: int | None
    code: str
    name: str
    figures: dict


@dataclass(frozen=True)
class Corrections:
    """The dossiers corrected after the period ended: a step dated before its end, written
    after it (a receipt entered late, a parcel event arriving late)."""

    count: int
    dossiers: tuple[tuple[int, str], ...]  # (id, code) of the first CORRECTIONS_SHOWN


@dataclass(frozen=True)
class Periodic:
    period: Period
    total: dict
    rows: tuple[Row, ...]  # each agency, then its procedures (or each post office)
    corrections: Corrections | None = None  # asked for by the page (``report(..., True)``)


CORRECTIONS_SHOWN = 20


def corrections(user, period: Period, filters: Filters) -> Corrections:
    """Why a closed period's figures may differ from what was published: its dossiers (USER's
    scope, FILTERS) with a history row dated before the end but recorded after it (read from
    the partial index of the rows recorded late)."""
    late = and_(H.recorded_at.is_not(None), H.recorded_at >= period.end, H.at < period.end)
    query = select(Dossier.id, Dossier.code).where(Dossier.id.in_(select(H.dossier_id).where(late)))
    query = q.narrow(query, user, filters)
    count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    if not count:
        return Corrections(0, ())
    shown = db.session.execute(query.order_by(Dossier.code).limit(CORRECTIONS_SHOWN)).all()
    return Corrections(count, tuple((r.id, r.code) for r in shown))


def _sums(user, period: Period, filters: Filters, groups: list) -> dict:
    """The raw sums per group: carried, received by channel, settled, closings, overdue."""
    before, inside = F.day < period.first, F.day >= period.first

    def when(condition, value):
        return func.coalesce(func.sum(case((condition, value), else_=0)), 0)

    closed = F.completed + F.withdrawn + F.stopped + F.refused
    columns = {
        "carried_over": when(before, F.received - closed),
        **{f"received_{c}": when(inside, getattr(F, f"received_{c}")) for c in CHANNELS},
        **{f"settled_{t}": when(inside, getattr(F, f"completed_{t}")) for t in TIMES},
        "settled": when(inside, F.completed),
        **{name: when(inside, getattr(F, name)) for name in CLOSINGS},
        "overdue": func.coalesce(func.sum(F.overdue_change), 0),
    }
    query = select().select_from(F).where(F.day <= period.last)
    return q.run(columns, groups, q.narrow(query, user, filters, F, "report_daily"))


#: The open-at-the-end figures of the dashboard's groupings (services.reporting.figures).
OPEN_GROUPS = {
    None: [],
    "agency": [F.agency_id],
    "procedure": [F.procedure_type_id],
    "post_office": [F.post_office_id],
}


def open_at_end(user, period: Period, filters: Filters, by=None) -> dict:
    """{key: {"in_progress", "overdue"}}: the dossiers in progress at PERIOD's end, and those
    of them overdue then, per BY (None, agency, procedure, post office), as the report has
    them: what a closed period shows on the dashboard and in the summary API."""
    answer = {}
    for key, raw in _sums(user, period, filters, OPEN_GROUPS[by]).items():
        figures = finish(raw)
        overdue = figures["in_progress_overdue"]
        answer[key] = {
            "in_progress": figures["in_progress_within_time"] + overdue,
            "overdue": overdue,
        }
    return answer


def finish(raw: dict) -> dict:
    """The published figures of one row from its raw sums (the identity by construction)."""
    v = {k: int(raw.get(k) or 0) for k in raw}
    received = sum(v.get(f"received_{c}", 0) for c in CHANNELS)
    to_handle = v.get("carried_over", 0) + received
    closed = v.get("settled", 0) + sum(v.get(n, 0) for n in CLOSINGS)
    in_progress = to_handle - closed
    overdue = v.get("overdue", 0)
    good = v.get("settled_early", 0) + v.get("settled_on_time", 0)
    settled = v.get("settled", 0)
    figures = {
        **{k: v.get(k, 0) for k in PERIODIC_NAMES if k not in ("on_time_rate",)},
        "to_handle": to_handle,
        "in_progress_within_time": in_progress - overdue,
        "in_progress_overdue": overdue,
        "on_time_rate": good / settled if settled else None,
    }
    return {name: figures[name] for name in PERIODIC_NAMES}


def _add(into: dict, raw: dict) -> None:
    for name, value in raw.items():
        into[name] = into.get(name, 0) + int(value or 0)


def _blank(figures: dict) -> bool:
    return not (figures["to_handle"] or figures["in_progress_overdue"])


def names_of(model, ids) -> dict:
    """{id: (code, name)} of MODEL's rows IDS."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = db.session.execute(select(model.id, model.code, model.name).where(model.id.in_(ids)))
    return {r.id: (r.code, r.name) for r in rows}


def report(user, period, filters=None, by: str = "procedure", with_corrections=False):
    """The report of PERIOD in USER's scope: each agency then (BY "procedure") its procedures,
    or (BY "post_office") each office; and the total. WITH_CORRECTIONS: and the dossiers
    corrected after the period ended (the page says so)."""
    filters = filters or Filters()
    found = report_of(user, period, filters, by)
    if not with_corrections:
        return found
    return replace(found, corrections=corrections(user, period, filters))


def report_of(user, period: Period, filters: Filters, by: str) -> Periodic:
    if by == "post_office":
        raw = _sums(user, period, filters, GROUPS["post_office"])
        return _by_office(period, raw)
    raw = _sums(user, period, filters, GROUPS["agency"])
    agencies: dict = {}
    for (agency_id, procedure_id), values in raw.items():
        agencies.setdefault(agency_id, {})[procedure_id] = values
    agency_names = names_of(Agency, agencies)
    procedure_names = names_of(ProcedureType, {p for ps in agencies.values() for p in ps})
    rows, total = [], {}
    for agency_id in sorted(agencies, key=lambda a: agency_names.get(a, ("", ""))[1]):
        summed: dict = {}
        children = []
        for procedure_id, values in agencies[agency_id].items():
            _add(summed, values)
            figures = finish(values)
            if not _blank(figures):
                code, name = procedure_names.get(procedure_id, ("", ""))
                children.append(Row("procedure", procedure_id, code, name, figures))
        figures = finish(summed)
        _add(total, summed)
        if _blank(figures):
            continue
        code, name = agency_names.get(agency_id, ("", ""))
        rows.append(Row("agency", agency_id, code, name, figures))
        if by == "procedure":
            rows += sorted(children, key=lambda r: r.code)
    return Periodic(period, finish(total), tuple(rows))


def _by_office(period: Period, raw: dict) -> Periodic:
    names = names_of(Agency, raw)
    rows, total = [], {}
    for office_id, values in raw.items():
        _add(total, values)
        figures = finish(values)
        if _blank(figures):
            continue
        code, name = names.get(office_id, ("", "Trực tuyến"))
        rows.append(Row("post_office", office_id or None, code, name, figures))
    return Periodic(period, finish(total), tuple(sorted(rows, key=lambda r: r.name)))
