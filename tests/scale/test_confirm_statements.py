"""How much a batch confirmation writes: one flush however many dossiers it moves, and per
dossier only the rows the ORM must write one by one."""

from sqlalchemy import event, func, select

from extensions import db
from models import DossierHistory, Handover, User
from services.handovers import batches
from tests import factories

# Statements per moved dossier: its versioned UPDATE (the version check is how a second
# confirmation at the same instant loses); SQLite's driver also inserts the history row
# and the audit entry one at a time, where PostgreSQL's inserts them all in one statement.
PER_DOSSIER = {"postgresql": 1, "sqlite": 3}


def batch_of(world, count: int) -> int:
    """The id of a batch of COUNT dossiers sent by the clerk (committed)."""
    clerk = world.users["po_clerk"]
    dossiers = [
        factories.make_dossier(world.procedures["publish"], clerk, f"Người {n}")
        for n in range(count)
    ]
    return factories.make_handover(dossiers, clerk).id


def confirmed(batch_id: int, user_id: int) -> tuple[int, int]:
    """Confirm the batch from a fresh session and commit: (statements, flushes)."""
    db.session.remove()
    batch, user = db.session.get(Handover, batch_id), db.session.get(User, user_id)
    statements, flushes = [], []

    def statement(*_args):
        statements.append(1)

    def flushed(*_args):
        flushes.append(1)

    session = db.session()
    event.listen(db.engine, "before_cursor_execute", statement)
    event.listen(session, "after_flush", flushed)
    try:
        batches.confirm(batch, user)
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
        event.remove(session, "after_flush", flushed)
    return len(statements), len(flushes)


def test_confirming_a_batch_flushes_once_and_costs_no_reads_per_dossier(world):
    dept_id = world.users["dept_admin"].id
    small, big, warm = batch_of(world, 2), batch_of(world, 12), batch_of(world, 1)
    confirmed(warm, dept_id)  # per-process caches (the role's grants) filled
    few, few_flushes = confirmed(small, dept_id)
    many, many_flushes = confirmed(big, dept_id)
    assert few_flushes == many_flushes == 1
    assert many - few <= 10 * PER_DOSSIER[db.engine.dialect.name], (few, many)
    moved = select(func.count(DossierHistory.id)).where(
        DossierHistory.action == "handover_to_department"
    )
    assert db.session.scalar(moved) == 15
