"""The SQL behind the figures: one grouped query per source of facts, all through row scope.

Each function takes a KEY, a function of the query's time column returning the
column to group by (an agency, a procedure, a local day) or None for one
total, and answers ``{key value: {figure: number}}``.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

import permissions
from extensions import db
from models.delivery import DeliveryOrder
from models.dossier import Dossier, DossierHistory
from services.report_periods import Period
from services.timeliness import RUNNING_STATUSES

OPEN_STATUSES = ("received", "processing", "supplement_requested")
LOCAL_ZONE = "Asia/Ho_Chi_Minh"
Key = Callable | None


@dataclass(frozen=True)
class Filters:
    """Optional narrowing of the figures beyond the user's own scope."""

    agency_id: int | None = None
    procedure_type_id: int | None = None
    post_office_id: int | None = None


def narrow(query, user, filters: Filters):
    """QUERY (over Dossier) narrowed to USER's scope and FILTERS."""
    query = permissions.scope(user, "dossier", query)
    if filters.agency_id is not None:
        query = query.where(Dossier.agency_id == filters.agency_id)
    if filters.procedure_type_id is not None:
        query = query.where(Dossier.procedure_type_id == filters.procedure_type_id)
    if filters.post_office_id is not None:
        query = query.where(Dossier.post_office_id == filters.post_office_id)
    return query


def is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def local_day(column):
    """The local (Asia/Ho_Chi_Minh) day of an instant column, as SQL."""
    if is_postgres():
        return func.date(func.timezone(LOCAL_ZONE, column))
    return func.date(column, "+7 hours")  # Việt Nam has kept UTC+7, no summer time, since 1975


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _rows(columns: dict, key: Key, time_column, query_of) -> dict:
    """Run the grouped query; ``{key: {name: value}}``."""
    group = key(time_column) if key else None
    selected = [*columns.values()] if group is None else [group, *columns.values()]
    query = query_of(select(*selected))
    if group is not None:
        query = query.group_by(group)
    answer = {}
    for row in db.session.execute(query):
        values = list(row)
        head = values.pop(0) if group is not None else None
        answer[head] = dict(zip(columns, values, strict=True))
    return answer


def received(user, period: Period, filters: Filters, now, key: Key = None) -> dict:
    """Dossiers received in the period: by channel, still open, overdue at NOW, fees."""
    columns = {
        "received": func.count(),
        "received_counter": _count_if(Dossier.channel == "counter"),
        "received_post": _count_if(Dossier.channel == "post"),
        "received_online": _count_if(Dossier.channel == "online"),
        "in_progress": _count_if(Dossier.status.in_(OPEN_STATUSES)),
        "overdue": _count_if(and_(Dossier.status.in_(RUNNING_STATUSES), Dossier.due_at < now)),
        "fees": func.coalesce(
            func.sum(case((Dossier.status != "not_accepted", Dossier.fee_amount), else_=0)), 0
        ),
    }
    window = and_(Dossier.received_at >= period.start, Dossier.received_at < period.end)
    return _rows(
        columns,
        key,
        Dossier.received_at,
        lambda q: narrow(q.select_from(Dossier).where(window), user, filters),
    )


def completed(user, period: Period, filters: Filters, key: Key = None) -> dict:
    """Dossiers whose result was recorded in the period, by timeliness."""
    columns = {
        "completed": func.count(),
        "completed_early": _count_if(Dossier.timeliness == "early"),
        "completed_on_time": _count_if(Dossier.timeliness == "on_time"),
        "completed_late": _count_if(Dossier.timeliness == "late"),
    }
    window = and_(Dossier.completed_at >= period.start, Dossier.completed_at < period.end)
    return _rows(
        columns,
        key,
        Dossier.completed_at,
        lambda q: narrow(q.select_from(Dossier).where(window), user, filters),
    )


H = DossierHistory
#: Figures counted from history rows: the move each one is (from, to), or an action name.
EVENTS = {
    "supplement_requests": and_(
        H.from_status == "processing", H.to_status == "supplement_requested"
    ),
    "refused": and_(H.from_status == "received", H.to_status == "not_accepted"),
    "apologies": H.action == "apologize",
    "stopped": and_(H.from_status == "processing", H.to_status == "stopped"),
    "withdrawn": H.to_status == "withdrawn",
    "returned_at_counter": and_(H.from_status == "result_at_counter", H.to_status == "returned"),
    "delivered": and_(H.from_status == "in_delivery", H.to_status == "returned"),
    "returned_to_sender": and_(H.from_status == "in_delivery", H.to_status == "result_at_counter"),
}
EVENT_TARGETS = ("supplement_requested", "not_accepted", "processing", "stopped", "withdrawn")
EVENT_TARGETS += ("returned", "result_at_counter")


def events(user, period: Period, filters: Filters, key: Key = None) -> dict:
    """Moves made in the period: supplements, refusals, apologies, stops, returns…"""
    columns = {name: _count_if(condition) for name, condition in EVENTS.items()}
    window = and_(H.at >= period.start, H.at < period.end, H.to_status.in_(EVENT_TARGETS))
    return _rows(
        columns,
        key,
        H.at,
        lambda q: narrow(
            q.select_from(H).join(Dossier, Dossier.id == H.dossier_id), user, filters
        ).where(window),
    )


def postage(user, period: Period, filters: Filters, key: Key = None) -> dict:
    """Parcels created in the period and the postage they carry."""
    columns = {
        "parcels": func.count(),
        "postage": func.coalesce(func.sum(DeliveryOrder.postage), 0),
    }
    order = DeliveryOrder
    window = and_(order.created_at >= period.start, order.created_at < period.end)
    return _rows(
        columns,
        key,
        order.created_at,
        lambda q: narrow(
            q.select_from(order).join(Dossier, Dossier.id == order.dossier_id), user, filters
        ).where(window),
    )


def handover_delays(user, period: Period, filters: Filters, key: Key = None) -> dict:
    """Median and 90th percentile (whole seconds) from receipt to the department's confirmation."""
    window = and_(
        H.at >= period.start,
        H.at < period.end,
        H.from_status == "received",
        H.to_status == "processing",
    )

    def query_of(q):
        q = q.select_from(H).join(Dossier, Dossier.id == H.dossier_id)
        return narrow(q, user, filters).where(window)

    if is_postgres():
        seconds = func.round(func.extract("epoch", H.at - Dossier.received_at))
        columns = {
            "handover_delay_median": func.percentile_cont(0.5).within_group(seconds),
            "handover_delay_p90": func.percentile_cont(0.9).within_group(seconds),
        }
        return {
            k: {n: None if v is None else float(v) for n, v in row.items()}
            for k, row in _rows(columns, key, H.at, query_of).items()
        }
    return _delays_in_python(key, query_of)


def _delays_in_python(key: Key, query_of) -> dict:
    """SQLite has no percentile: fetch the delays and interpolate as percentile_cont does."""
    seconds = (func.julianday(H.at) - func.julianday(Dossier.received_at)) * 86400.0
    group = key(H.at) if key else None
    selected = [seconds] if group is None else [group, seconds]
    values = defaultdict(list)
    for row in db.session.execute(query_of(select(*selected))):
        values[row[0] if group is not None else None].append(float(round(row[-1])))
    return {
        k: {
            "handover_delay_median": percentile(sorted(v), 0.5),
            "handover_delay_p90": percentile(sorted(v), 0.9),
        }
        for k, v in values.items()
    }


def percentile(ordered: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont: linear interpolation between the nearest ranks."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
