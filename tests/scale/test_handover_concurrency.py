"""Batches under concurrency: one confirmation wins; codes stay unique and gap-free and
no dossier lands in two open batches."""

import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, DossierHistory, Handover, HandoverItem, User
from services.calendar import LOCAL_TZ
from services.errors import Conflict
from services.handovers import batches as handovers
from tests import factories

THREADS = 20
SENT = datetime(2026, 3, 10, 14, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def app_config():
    """Enough pooled connections for every thread at once."""
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": THREADS + 2, "max_overflow": 0}}


def run_at_once(app, count, work):
    """WORK(n, session user loader) in COUNT threads released together: (results, errors)."""
    start = threading.Barrier(count, timeout=30)
    results, errors = [], []

    def run(n):
        with app.app_context():
            try:
                results.append(work(n, start))
                db.session.commit()
            except Conflict as exc:
                db.session.rollback()
                results.append(exc)
            except Exception as exc:  # reported below, with the thread's number
                db.session.rollback()
                errors.append(f"{n}: {exc!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return results, errors


def test_two_confirmations_at_once_exactly_one_wins(app, world):
    dossiers = [
        factories.make_dossier(world.procedures["publish"], world.users["po_clerk"], f"N {n}")
        for n in range(3)
    ]
    batch_id = factories.make_handover(dossiers, world.users["po_clerk"]).id
    dept_id = world.users["dept_admin"].id

    def confirm(n, start):
        batch = db.session.get(Handover, batch_id)
        user = db.session.get(User, dept_id)
        _ = [item.dossier.status for item in batch.items]  # both read the batch as sent
        start.wait()
        missing = [batch.items[0].dossier.code] if n else []
        notes = {code: "Không có" for code in missing}
        return handovers.confirm(batch, user, missing_codes=missing, item_notes=notes).code

    results, errors = run_at_once(app, 2, confirm)
    assert errors == []
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "str"]
    db.session.expire_all()
    confirmations = db.session.scalars(
        select(AuditEntry.summary).where(AuditEntry.action == "confirm")
    ).all()
    assert len(confirmations) == 1  # the loser left no trace
    moved = db.session.scalar(
        select(func.count(DossierHistory.id)).where(
            DossierHistory.action == "handover_to_department"
        )
    )
    assert moved == (2 if "thiếu" in confirmations[0] else 3)
    assert db.session.get(Handover, batch_id).status == "confirmed"


def test_twenty_clerks_batching_at_once(app, world):
    clerk = world.users["po_clerk"]
    dossiers = [
        factories.make_dossier(world.procedures["publish"], clerk, f"Người {n}")
        for n in range(THREADS)
    ]
    codes = [d.code for d in dossiers]
    clerk_id = clerk.id

    def create(n, start):
        user = db.session.get(User, clerk_id)
        start.wait()  # everybody presses "Bàn giao" at the same instant
        wanted = [codes[n], codes[(n + 1) % THREADS]]  # each dossier wanted by two clerks
        return handovers.create_and_send(user, "to_department", dossier_codes=wanted, now=SENT).code

    results, errors = run_at_once(app, THREADS, create)
    assert errors == []
    made = sorted(r for r in results if not isinstance(r, Conflict))
    assert made and len(made) + sum(isinstance(r, Conflict) for r in results) == THREADS
    assert made == [f"BG-260310-{n:03d}" for n in range(1, len(made) + 1)]
    assert db.session.scalar(select(func.count(Handover.id))) == len(made)
    per_dossier = db.session.execute(
        select(HandoverItem.dossier_id, func.count())
        .join(Handover)
        .where(Handover.status == "sent")
        .group_by(HandoverItem.dossier_id)
    ).all()
    assert all(n == 1 for _, n in per_dossier)
    assert len(per_dossier) == 2 * len(made)
