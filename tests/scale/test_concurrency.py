"""Many clerks receiving at once still get unique, gap-free dossier codes."""

import threading
from datetime import datetime

import pytest

from extensions import db
from models import Dossier, ProcedureType, User
from services.calendar import LOCAL_TZ
from services.dossiers.receiving import prepare_received

CLERKS = 24


@pytest.fixture
def app_config():
    """Enough pooled connections for every clerk at once."""
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": CLERKS + 2, "max_overflow": 0}}


def test_parallel_receipts_get_unique_gap_free_codes(app, world):
    clerk_id = world.users["po_clerk"].id
    procedure_id = world.procedures["publish"].id
    received_at = datetime(2026, 3, 10, 9, 30, tzinfo=LOCAL_TZ)
    start = threading.Barrier(CLERKS, timeout=30)
    codes, errors = [], []

    def receive(n):
        with app.app_context():
            try:
                clerk = db.session.get(User, clerk_id)
                procedure = db.session.get(ProcedureType, procedure_id)
                dossier = Dossier(procedure_type=procedure, applicant_name=f"Người nộp {n}")
                start.wait()  # everybody at the counter at the same instant
                prepare_received(dossier, received_by=clerk, received_at=received_at)
                db.session.commit()
                codes.append(dossier.code)
            except Exception as exc:  # reported below, with the thread's number
                db.session.rollback()
                errors.append(f"{n}: {exc!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=receive, args=(n,)) for n in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(codes) == [f"000.00.15.H55-260310-{n:04d}" for n in range(1, CLERKS + 1)]


def test_a_failed_receipt_gives_its_number_back(app, world):
    """The counter row is part of the receipt's transaction: a rollback leaves no gap."""
    clerk, procedure = world.users["po_clerk"], world.procedures["publish"]
    when = datetime(2026, 3, 11, 9, 0, tzinfo=LOCAL_TZ)
    first = Dossier(procedure_type=procedure, applicant_name="Sẽ hủy")
    prepare_received(first, received_by=clerk, received_at=when)
    assert first.code.endswith("-0001")
    db.session.rollback()
    second = Dossier(
        procedure_type=db.session.get(ProcedureType, procedure.id), applicant_name="Được lưu"
    )
    prepare_received(second, received_by=db.session.get(User, clerk.id), received_at=when)
    db.session.commit()
    assert second.code.endswith("-0001")
