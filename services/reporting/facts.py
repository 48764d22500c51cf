"""The daily figures table, kept exact in the same transaction as every dossier change.

After each flush, every dossier inserted or changed, and every history row
added, gives the difference between what the dossier counts for now and what
it counted for before. The differences of the transaction's flushes are summed
and added to ``report_daily`` rows with one upsert just before it commits
(rows in a fixed order, so concurrent moves never deadlock): a day's row is
shared by every receipt of that day, and its lock is held only for the commit
(inside a savepoint they are written at once, since it may roll back alone).
Bulk loads that bypass the ORM call ``rebuild``. The app factory ``install``s the
listeners on the app's session; nothing is listened to at import.
"""

from collections import Counter, defaultdict
from datetime import date
from functools import cache

from sqlalchemy import column, delete, event, insert, inspect, or_, select, table
from sqlalchemy.dialects import postgresql, sqlite

from models.delivery import DeliveryOrder
from models.dossier import Dossier, DossierHistory
from models.report import COLUMNS, MEASURES, ReportDaily
from services.calendar import LOCAL_TZ
from services.reporting import delays, timeline
from services.reporting import queries as q
from services.reporting.periods import Period

FIELDS = ("status", "channel", "fee_amount", "received_at", "completed_at", "timeliness", "due_at")
KEYS = ("agency_id", "procedure_type_id", "post_office_id")
KEY_COLUMNS = ("day", "agency_id", "procedure_type_id", "post_office_id")
PENDING = "report_daily_pending"  # session.info key: the differences not yet written
ALL_TIME = Period(date(2000, 1, 1), date(2100, 12, 31))


def _day(instant):
    return instant.astimezone(LOCAL_TZ).date()


def counts(values: dict, steps=(), with_base: bool = True) -> Counter:
    """What one dossier (its VALUES and history STEPS) counts for: (day, *keys, figure) → n."""
    found: Counter = Counter()
    if None in (values["agency_id"], values["procedure_type_id"], values["received_at"]):
        return found
    key = (values["agency_id"], values["procedure_type_id"], values["post_office_id"] or 0)
    if with_base:
        day = _day(values["received_at"])
        found[(day, *key, "received")] += 1
        found[(day, *key, f"received_{values['channel']}")] += 1
        if values["status"] != "not_accepted":
            found[(day, *key, "fees")] += values["fee_amount"] or 0
        if values["status"] in q.OPEN_STATUSES:
            found[(day, *key, "in_progress")] += 1
        if values["completed_at"] is not None:
            done = _day(values["completed_at"])
            found[(done, *key, "completed")] += 1
            if values["timeliness"]:
                found[(done, *key, f"completed_{values['timeliness']}")] += 1
    for action, source, target, at in steps:
        for name in q.figures_of_move(action, source, target):
            found[(_day(at), *key, name)] += 1
    found.update(delays.counts(values["received_at"], key, steps))
    return found


def _values(dossier) -> dict:
    return {name: getattr(dossier, name) for name in FIELDS + KEYS}


def _step(row):
    return (row.action, row.from_status, row.to_status, row.at)


def _remember_before(session, _context, _instances) -> None:
    """The counted fields of the changed dossiers as the database still has them."""
    ids = [d.id for d in session.dirty if isinstance(d, Dossier) and d.id is not None]
    ids += [r.dossier_id for r in session.new if isinstance(r, DossierHistory) and r.dossier_id]
    before = session.info["dossier_before"] = {}
    if not ids:
        return
    columns = [getattr(Dossier, n) for n in FIELDS + KEYS]
    query = select(Dossier.id, *columns).where(Dossier.id.in_(set(ids)))
    for row in session.connection().execute(query):
        before.setdefault(row[0], dict(zip(FIELDS + KEYS, row[1:], strict=True)))


def _difference(dossier, new_steps: list, before: dict | None) -> Counter:
    now = _values(dossier)
    if before is None:  # new: everything it counts for is new
        found = counts(now, [_step(s) for s in new_steps])
        found.update(timeline.overdue_difference(now, None, new_steps, new_steps))
        return found
    change = counts(now)
    change.subtract(counts(before))
    change.update(timeline.overdue_difference(now, before, dossier.history, new_steps))
    if all(before[k] == now[k] for k in (*KEYS, "received_at")):  # else recount its history
        change.update(counts(now, [_step(s) for s in new_steps], with_base=False))
        return change
    fresh = {id(s) for s in new_steps}  # moved to another agency or office: move its history
    change.update(counts(now, [_step(s) for s in dossier.history], with_base=False))
    old_steps = [_step(s) for s in dossier.history if id(s) not in fresh]
    change.subtract(counts(before, old_steps, with_base=False))
    return change


def _keep_daily_figures(session, _context) -> None:
    steps = defaultdict(list)
    for row in session.new:
        if isinstance(row, DossierHistory) and row.dossier is not None:
            steps[row.dossier].append(row)
    changed = {d for d in (*session.new, *session.dirty) if isinstance(d, Dossier)} | set(steps)
    if not changed:
        return
    before = session.info.pop("dossier_before", {})
    total: Counter = Counter()
    for dossier in changed:
        old = None if dossier in session.new else before.get(dossier.id)
        if old is None and dossier not in session.new:
            continue  # nothing counted changed (not loaded before the flush)
        total.update(_difference(dossier, steps.get(dossier, []), old))
    if session.in_nested_transaction():
        add(session.connection(), total)
    else:
        session.info.setdefault(PENDING, Counter()).update(total)


def _write_daily_figures(session) -> None:
    """Add the transaction's differences, last: the commit's own flush comes after this event."""
    session.flush()
    pending = session.info.pop(PENDING, None)
    if pending:
        add(session.connection(), pending)


def _forget_daily_figures(session, transaction) -> None:
    if transaction.parent is None:  # rolled back or closed: its differences never happened
        session.info.pop(PENDING, None)


def add(connection, change: Counter) -> None:
    """Add CHANGE ((day, agency, procedure, office, figure) → n) to the daily rows (and
    its delay entries, figure ("delay", seconds), to the delay counts)."""
    rows = defaultdict(dict)
    for (*key, name), amount in delays.add_theirs(connection, change).items():
        if amount:
            rows[tuple(key)][name] = amount
    params = [
        dict(zip(KEY_COLUMNS, key, strict=True), **{m: rows[key].get(m, 0) for m in COLUMNS})
        for key in sorted(rows)
    ]
    for row in params:  # one at a time: in this order, whatever the driver batches
        connection.execute(_upsert(connection.dialect.name), row)


@cache
def _upsert(dialect_name: str):
    """INSERT … ON CONFLICT adding every measure: one statement, compiled once."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    table = ReportDaily.__table__
    stmt = dialect.insert(table)
    return stmt.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={m: table.c[m] + stmt.excluded[m] for m in COLUMNS},
    )


def rebuild(connection, measures=MEASURES, overdue=True) -> int:
    """Recount the whole table from the dossiers, their history and their parcels; returns
    its rows. MEASURES: the columns the table has (a migration gives its own); OVERDUE
    False when it has no ``overdue_change`` yet."""
    by = ("day", "agency", "procedure", "post_office")
    merged: dict = defaultdict(dict)
    sources = (q.received, q.completed, q.events, *((q.parcels,) if "parcels" in measures else ()))
    for source in sources:
        for key, values in source(ALL_TIME, by, bind=connection).items():
            merged[key].update(values)
    connection.execute(delete(ReportDaily.__table__))
    rows = [
        {**dict(zip(KEY_COLUMNS, (q.as_date(key[0]), *key[1:]), strict=True))}
        | {m: int(values.get(m) or 0) for m in measures}
        for key, values in merged.items()
    ]
    kept = ReportDaily.__table__.c  # only the columns MEASURES names: no defaults for others
    names = ("day", *KEYS, *measures)
    target = table(ReportDaily.__tablename__, *(column(n, kept[n].type) for n in names))
    for start in range(0, len(rows), 5000):
        connection.execute(insert(target), rows[start : start + 5000])
    if overdue:
        add_in_bulk(connection, timeline.overdue_of_all(connection))
    return len(rows)


def add_in_bulk(connection, change: Counter) -> None:
    """``add`` for a rebuild: nobody else writes meanwhile, so in batches."""
    timeline.write_in_bulk(connection, change, _upsert(connection.dialect.name), COLUMNS)


# Parcels: a delivery order counts one parcel and its postage on the local day it was
# created, under its dossier's agency, procedure and post office (the reports scope and
# filter parcels by their dossiers). Orders created, edited or deleted, and dossiers moved
# to another agency, procedure or office, change those counts.
ORDER_FIELDS = ("dossier_id", "created_at", "postage", "dossier")
MOVING = (*KEYS, "agency", "procedure_type", "post_office")


def parcel_counts(key, created_at, postage) -> Counter:
    """What one parcel counts for: (day, *KEY, figure) → n; nothing without a KEY."""
    if key is None or created_at is None:
        return Counter()
    day = _day(created_at)
    return Counter({(day, *key, "parcels"): 1, (day, *key, "postage"): postage or 0})


def _changed(row, names) -> bool:
    attrs = inspect(row).attrs
    return any(attrs[n].history.has_changes() for n in names)


def _key(agency_id, procedure_type_id, post_office_id):
    if None in (agency_id, procedure_type_id):
        return None
    return (agency_id, procedure_type_id, post_office_id or 0)


def _orders_with_keys(*where):
    """(order id, dossier id, created_at, postage, its dossier's key columns…) of WHERE."""
    order = DeliveryOrder
    columns = (order.id, order.dossier_id, order.created_at, order.postage)
    keys = (getattr(Dossier, n) for n in KEYS)
    return select(*columns, *keys).join(Dossier, Dossier.id == order.dossier_id).where(*where)


def _remember_parcels_before(session, _context, _instances) -> None:
    """What the parcels edited or deleted, and the dossiers moved, counted for before."""
    orders = {
        o.id
        for o in (*session.dirty, *session.deleted)
        if isinstance(o, DeliveryOrder)
        and o.id is not None
        and (o in session.deleted or _changed(o, ORDER_FIELDS))
    }
    moved = {
        d.id
        for d in session.dirty
        if isinstance(d, Dossier) and d.id is not None and _changed(d, MOVING)
    }
    before = session.info["parcels_before"] = ({}, {})
    if orders:
        rows = session.connection().execute(_orders_with_keys(DeliveryOrder.id.in_(orders)))
        before[0].update({r[0]: (_key(*r[4:]), r[2], r[3]) for r in rows})
    if moved:
        query = select(Dossier.id, *(getattr(Dossier, n) for n in KEYS))
        rows = session.connection().execute(query.where(Dossier.id.in_(moved)))
        before[1].update({r[0]: _key(*r[1:]) for r in rows})


def _keep_parcel_figures(session, _context) -> None:
    """The parcels' differences, added to the daily rows with the dossiers' at the commit."""
    orders_before, keys_before = session.info.pop("parcels_before", ({}, {}))
    new = {o.id for o in session.new if isinstance(o, DeliveryOrder)}
    if not (new or orders_before or keys_before):
        return
    change: Counter = Counter()
    where = or_(
        DeliveryOrder.id.in_(new | set(orders_before)),
        DeliveryOrder.dossier_id.in_(set(keys_before)),
    )
    for order_id, dossier_id, created_at, postage, *key in session.connection().execute(
        _orders_with_keys(where)
    ):
        change.update(parcel_counts(_key(*key), created_at, postage))
        if order_id in orders_before:
            change.subtract(parcel_counts(*orders_before.pop(order_id)))
        elif order_id not in new:  # an unchanged parcel of a moved dossier
            change.subtract(parcel_counts(keys_before[dossier_id], created_at, postage))
    for gone in orders_before.values():  # deleted
        change.subtract(parcel_counts(*gone))
    if session.in_nested_transaction():  # as the dossiers' differences: written at the commit
        add(session.connection(), change)
    else:
        session.info.setdefault(PENDING, Counter()).update(change)


LISTENERS = (  # in this order: each flush's "before" is read before its "after" is counted
    ("before_flush", _remember_before),
    ("after_flush", _keep_daily_figures),
    ("before_commit", _write_daily_figures),
    ("after_transaction_end", _forget_daily_figures),
    ("before_flush", _remember_parcels_before),
    ("after_flush", _keep_parcel_figures),
)


def install(session) -> None:
    """Keep the daily figures with every flush of SESSION (a scoped session or session
    class: the app's, by the app factory); a second install adds nothing."""
    for name, listener in LISTENERS:
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)
