"""The daily figures table, kept exact in the same transaction as every dossier change.

After each flush, every dossier inserted or changed, and every history row
added, gives the difference between what the dossier counts for now and what
it counted for before. The differences of the transaction's flushes are summed
and added to ``report_daily`` rows with one upsert just before it commits
(rows in a fixed order, so concurrent moves never deadlock): a day's row is
shared by every receipt of that day, and its lock is held only for the commit
(inside a savepoint they are written at once, since it may roll back alone).
Bulk loads that bypass the ORM call ``rebuild``.
"""

from collections import Counter, defaultdict
from datetime import date
from functools import cache

from sqlalchemy import delete, event, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.dossier import Dossier, DossierHistory
from models.report import MEASURES, ReportDaily
from services import report_queries as q
from services.calendar import LOCAL_TZ
from services.report_periods import Period

FIELDS = ("status", "channel", "fee_amount", "received_at", "completed_at", "timeliness")
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
        if values["completed_at"] is not None:
            done = _day(values["completed_at"])
            found[(done, *key, "completed")] += 1
            if values["timeliness"]:
                found[(done, *key, f"completed_{values['timeliness']}")] += 1
    for action, source, target, at in steps:
        for name in q.figures_of_move(action, source, target):
            found[(_day(at), *key, name)] += 1
    return found


def _values(dossier) -> dict:
    return {name: getattr(dossier, name) for name in FIELDS + KEYS}


def _step(row):
    return (row.action, row.from_status, row.to_status, row.at)


@event.listens_for(Session, "before_flush")
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
        return counts(now, [_step(s) for s in new_steps])
    change = counts(now)
    change.subtract(counts(before))
    if all(before[k] == now[k] for k in KEYS):
        change.update(counts(now, [_step(s) for s in new_steps], with_base=False))
        return change
    fresh = {id(s) for s in new_steps}  # moved to another agency or office: move its history
    change.update(counts(now, [_step(s) for s in dossier.history], with_base=False))
    old_steps = [_step(s) for s in dossier.history if id(s) not in fresh]
    change.subtract(counts(before, old_steps, with_base=False))
    return change


@event.listens_for(Session, "after_flush")
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


@event.listens_for(Session, "before_commit")
def _write_daily_figures(session) -> None:
    """Add the transaction's differences, last: the commit's own flush comes after this event."""
    session.flush()
    pending = session.info.pop(PENDING, None)
    if pending:
        add(session.connection(), pending)


@event.listens_for(Session, "after_transaction_end")
def _forget_daily_figures(session, transaction) -> None:
    if transaction.parent is None:  # rolled back or closed: its differences never happened
        session.info.pop(PENDING, None)


def add(connection, change: Counter) -> None:
    """Add CHANGE ((day, agency, procedure, office, figure) → n) to the daily rows."""
    rows = defaultdict(dict)
    for (*key, name), amount in change.items():
        if amount:
            rows[tuple(key)][name] = amount
    params = [
        dict(zip(KEY_COLUMNS, key, strict=True), **{m: rows[key].get(m, 0) for m in MEASURES})
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
        set_={m: table.c[m] + stmt.excluded[m] for m in MEASURES},
    )


def rebuild(connection) -> int:
    """Recount the whole table from the dossiers and their history; returns its rows."""
    by = ("day", "agency", "procedure", "post_office")
    merged: dict = defaultdict(dict)
    for source in (q.received, q.completed, q.events):
        for key, values in source(ALL_TIME, by, bind=connection).items():
            merged[key].update(values)
    connection.execute(delete(ReportDaily.__table__))
    rows = [
        {
            "day": q.as_date(key[0]),
            "agency_id": key[1],
            "procedure_type_id": key[2],
            "post_office_id": key[3],
            **{m: int(values.get(m) or 0) for m in MEASURES},
        }
        for key, values in merged.items()
    ]
    for start in range(0, len(rows), 5000):
        connection.execute(insert(ReportDaily.__table__), rows[start : start + 5000])
    return len(rows)
