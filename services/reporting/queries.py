"""The SQL behind the figures: grouped queries through the user's row scope.

Each query takes BY, what to group by (``day``, ``agency``, ``procedure``,
``post_office``, a tuple of them, or None for one total), and answers
``{key: {figure: number}}``. Additive counts come from the daily figures
table (models.report); the dossier-level queries here also rebuild it.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select

import permissions
from extensions import db
from models.delivery import DeliveryOrder
from models.dossier import Dossier, DossierHistory
from models.report import MEASURES, ReportDaily
from services.dossiers.timeliness import RUNNING_STATUSES
from services.reporting.periods import Period

OPEN_STATUSES = ("received", "processing", "supplement_requested")
LOCAL_ZONE = "Asia/Ho_Chi_Minh"
H = DossierHistory
F = ReportDaily
#: Figures counted from history rows: figure → (from status, None for any; to status).
MOVES = {
    "supplement_requests": ("processing", "supplement_requested"),
    "refused": ("received", "not_accepted"),
    "stopped": ("processing", "stopped"),
    "withdrawn": (None, "withdrawn"),
    "returned_at_counter": ("result_at_counter", "returned"),
    "delivered": ("in_delivery", "returned"),
    "returned_to_sender": ("in_delivery", "result_at_counter"),
}
APOLOGY = "apologize"  # an apology keeps the status: it is known by its action


@dataclass(frozen=True)
class Filters:
    """Optional narrowing of the figures beyond the user's own scope."""

    agency_id: int | None = None
    procedure_type_id: int | None = None
    post_office_id: int | None = None


def figures_of_move(action: str, source: str | None, target: str) -> list[str]:
    """The figures one history row counts in (the Python twin of ``_move_condition``)."""
    names = [n for n, (s, t) in MOVES.items() if t == target and s in (None, source)]
    return [*names, "apologies"] if action == APOLOGY else names


def _move_condition(name: str):
    if name == "apologies":
        return H.action == APOLOGY
    source, target = MOVES[name]
    return (
        H.to_status == target
        if source is None
        else and_(H.from_status == source, H.to_status == target)
    )


def narrow(query, user, filters: Filters, model=Dossier, resource="dossier"):
    """QUERY narrowed to USER's scope (None: every row) and FILTERS on MODEL's columns."""
    if user is not None:
        query = permissions.scope(user, resource, query)
    for column in ("agency_id", "procedure_type_id", "post_office_id"):
        if getattr(filters, column) is not None:
            query = query.where(getattr(model, column) == getattr(filters, column))
    return query


def is_postgres(bind=None) -> bool:
    return (bind or db.session.get_bind()).dialect.name == "postgresql"


def local_day(column, postgres: bool | None = None):
    """The local (Asia/Ho_Chi_Minh) day of an instant column, as SQL."""
    if is_postgres() if postgres is None else postgres:
        return func.date(func.timezone(LOCAL_ZONE, column))
    return func.date(column, "+7 hours")  # Việt Nam has kept UTC+7, no summer time, since 1975


def as_date(value) -> date:
    """A day from SQL: a date (PostgreSQL) or its ISO text (SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _groups(by, day_column, model=Dossier) -> list:
    names = () if by is None else (by,) if isinstance(by, str) else by
    columns = {
        "agency": model.agency_id,
        "procedure": model.procedure_type_id,
        "post_office": func.coalesce(model.post_office_id, 0),
    }
    return [day_column if n == "day" else columns[n] for n in names]


def run(columns: dict, groups: list, query, bind=None) -> dict:
    """Execute the grouped QUERY; ``{key: {name: value}}`` (key a value or a tuple)."""
    query = query.add_columns(*groups, *columns.values())
    if groups:
        query = query.group_by(*groups)
    answer = {}
    for row in (bind or db.session).execute(query):
        head = tuple(row[: len(groups)])
        key = None if not groups else head[0] if len(groups) == 1 else head
        answer[key] = dict(zip(columns, row[len(groups) :], strict=True))
    return answer


def facts(user, period: Period, filters: Filters, by=None, measures=MEASURES) -> dict:
    """The additive figures of the period (MEASURES of them), summed from the daily figures."""
    columns = {m: func.coalesce(func.sum(getattr(F, m)), 0) for m in measures}
    query = select().select_from(F).where(F.day >= period.first, F.day <= period.last)
    query = narrow(query, user, filters, F, "report_daily")
    answer = run(columns, _groups(by, F.day, F), query)
    return {(None if k == 0 else k): v for k, v in answer.items()}


def _overdue_at(now):
    """Clock running and past the appointment at NOW (read from ix_dossier_running_due)."""
    return and_(Dossier.status.in_(RUNNING_STATUSES), Dossier.due_at < now)


def overdue(user, period: Period, filters: Filters, now, by=None) -> dict:
    """Of the dossiers received in the period, those overdue at NOW.

    (Those still open, ``in_progress``, are kept in the daily figures table.)
    """
    window = and_(Dossier.received_at >= period.start, Dossier.received_at < period.end)
    query = narrow(select().select_from(Dossier).where(_overdue_at(now), window), user, filters)
    return run({"overdue": func.count()}, _groups(by, local_day(Dossier.received_at)), query)


def overdue_totals(user, periods, filters: Filters, now) -> list[dict]:
    """``overdue`` totals of several PERIODS, in one statement."""
    columns = {
        i: _count_if(and_(Dossier.received_at >= p.start, Dossier.received_at < p.end))
        for i, p in enumerate(periods)
    }
    window = and_(
        Dossier.received_at >= min(p.start for p in periods),
        Dossier.received_at < max(p.end for p in periods),
    )
    query = select().select_from(Dossier).where(_overdue_at(now), window)
    row = run(columns, [], narrow(query, user, filters))[None]
    return [{"overdue": int(row[i])} for i in range(len(periods))]


def received(period: Period, by, bind=None, user=None, filters=Filters()) -> dict:
    """Dossiers received in the period, by channel, and the fees of those accepted."""
    columns = {
        "received": func.count(),
        **{f"received_{c}": _count_if(Dossier.channel == c) for c in ("counter", "post", "online")},
        "in_progress": _count_if(Dossier.status.in_(OPEN_STATUSES)),
        "fees": func.coalesce(
            func.sum(case((Dossier.status != "not_accepted", Dossier.fee_amount), else_=0)), 0
        ),
    }
    window = and_(Dossier.received_at >= period.start, Dossier.received_at < period.end)
    query = narrow(select().select_from(Dossier).where(window), user, filters)
    day = local_day(Dossier.received_at, is_postgres(bind))
    return run(columns, _groups(by, day), query, bind)


def completed(period: Period, by, bind=None, user=None, filters=Filters()) -> dict:
    """Dossiers whose result was recorded in the period, by timeliness."""
    columns = {
        "completed": func.count(),
        **{
            f"completed_{t}": _count_if(Dossier.timeliness == t)
            for t in ("early", "on_time", "late")
        },
    }
    window = and_(Dossier.completed_at >= period.start, Dossier.completed_at < period.end)
    query = narrow(select().select_from(Dossier).where(window), user, filters)
    day = local_day(Dossier.completed_at, is_postgres(bind))
    return run(columns, _groups(by, day), query, bind)


def events(period: Period, by, bind=None, user=None, filters=Filters()) -> dict:
    """Moves made in the period: supplements, refusals, apologies, stops, returns…"""
    names = (*MOVES, "apologies")
    columns = {name: _count_if(_move_condition(name)) for name in names}
    targets = {t for _s, t in MOVES.values()} | {"processing"}
    window = and_(H.at >= period.start, H.at < period.end, H.to_status.in_(targets))
    query = select().select_from(H).join(Dossier, Dossier.id == H.dossier_id).where(window)
    day = local_day(H.at, is_postgres(bind))
    return run(columns, _groups(by, day), narrow(query, user, filters), bind)


def parcels(period: Period, by, bind=None, user=None, filters=Filters()) -> dict:
    """Parcels created in the period and the postage they carry, by their dossiers' keys."""
    order = DeliveryOrder
    columns = {"parcels": func.count(), "postage": func.coalesce(func.sum(order.postage), 0)}
    window = and_(order.created_at >= period.start, order.created_at < period.end)
    query = select().select_from(order).join(Dossier, Dossier.id == order.dossier_id).where(window)
    day = local_day(order.created_at, is_postgres(bind))
    return run(columns, _groups(by, day), narrow(query, user, filters), bind)
