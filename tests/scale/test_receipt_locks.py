"""Shared rows are written last: the day's code counter and figures are held only until commit.

A receipt draws its number after every read and the daily figures are added just
before the commit, so concurrent receipts queue on those rows for the last few
statements only; the codes stay gap-free and a rollback (or a rolled-back
savepoint) gives back both the number and the figures.
"""

import re
import threading
from datetime import date, datetime

import pytest
from sqlalchemy import event, func, select, text

from extensions import db
from models import Dossier, ProcedureType, User
from models.report import ReportDaily
from services.calendar import LOCAL_TZ
from services.dossiers.receiving import prepare_received
from tests.api.test_api import RECEIPT, Api, get_token
from tests.factories import make_dossier

MARCH_10 = datetime(2026, 3, 10, 9, 30, tzinfo=LOCAL_TZ)
WRITTEN = re.compile(r"^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)", re.IGNORECASE)


def figures_of(day: date) -> tuple[int, int]:
    """(received, fees) of DAY in the daily figures, as this transaction sees them."""
    received, fees = db.session.execute(
        select(
            func.coalesce(func.sum(ReportDaily.received), 0),
            func.coalesce(func.sum(ReportDaily.fees), 0),
        ).where(ReportDaily.day == day)
    ).one()
    return int(received), int(fees)


def new_dossier(world, name="Người nộp"):
    return Dossier(procedure_type=world.procedures["karaoke"], applicant_name=name)


def test_an_api_receipt_reads_everything_before_drawing_its_number(app, world):
    """After the counter only the receipt's own rows are written; nothing is read back."""
    api = Api(app.test_client(), get_token(app.test_client(), "po_clerk"))
    assert api.post("/dossiers", RECEIPT).status_code == 201  # the role's grants are now cached
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = api.post("/dossiers", RECEIPT)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 201, response.get_json()
    drawn = next(i for i, s in enumerate(statements) if "code_counter" in s.split("(")[0])
    assert all(s.lstrip().upper().startswith("SELECT") for s in statements[:drawn])
    written = [WRITTEN.match(s)[1] for s in statements[drawn:]]
    # the applicant's SMS (by post: SMS unless they say otherwise) waits in the outbox; the
    # daily figures: the day received, and the day its appointment passes if still open
    assert written == [
        "code_counter",
        "dossier",
        "dossier_history",
        "outbox_message",
        "audit_entry",
        "report_daily",
        "report_daily",
    ]
    # was 17; +1: the appointment day, +1: the message to send after the commit
    assert len(statements) <= 10, [s[:70] for s in statements]
    body = response.get_json()
    stored = db.session.scalar(select(Dossier).where(Dossier.code == body["code"]))
    assert body["code"].endswith("-0002") and body["version"] == stored.version == 1


def test_the_daily_figures_are_added_when_the_transaction_commits(world):
    dossier = new_dossier(world)
    prepare_received(dossier, received_by=world.users["po_clerk"], received_at=MARCH_10)
    db.session.flush()
    assert figures_of(MARCH_10.date()) == (0, 0)  # flushed, not yet counted
    db.session.commit()
    assert figures_of(MARCH_10.date()) == (1, 4_000_000)


def test_a_rolled_back_receipt_gives_back_its_number_and_its_figures(world):
    abandoned = new_dossier(world, "Sẽ hủy")
    prepare_received(abandoned, received_by=world.users["po_clerk"], received_at=MARCH_10)
    db.session.flush()
    assert abandoned.code.endswith("-260310-0001")
    db.session.rollback()
    kept = make_dossier(world.procedures["karaoke"], world.users["po_clerk"])
    assert kept.code.endswith("-260310-0001")
    assert figures_of(MARCH_10.date()) == (1, 4_000_000)


def test_a_receipt_in_a_rolled_back_savepoint_counts_for_nothing(world):
    first = make_dossier(world.procedures["karaoke"], world.users["po_clerk"])
    clerk = db.session.get(User, world.users["po_clerk"].id)
    savepoint = db.session.begin_nested()
    inner = Dossier(
        procedure_type=db.session.get(ProcedureType, first.procedure_type_id),
        applicant_name="Trong điểm lưu",
    )
    prepare_received(inner, received_by=clerk, received_at=MARCH_10)
    assert inner.code.endswith("-0002")
    savepoint.rollback()
    first.fee_amount = 3_000_000  # an outer change of the same transaction still counts
    db.session.commit()
    second = make_dossier(world.procedures["karaoke"], world.users["po_clerk"])
    assert second.code.endswith("-0002")
    assert figures_of(MARCH_10.date()) == (2, 7_000_000)


@pytest.fixture
def app_config():
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 4, "max_overflow": 0}}


@pytest.mark.postgresql_only  # SQLite has one writer at a time whatever the rows
def test_an_open_change_does_not_hold_the_days_figures_row(app, world, database_url):
    """A flushed, uncommitted edit leaves the day's figures free for a receipt meanwhile."""
    existing = make_dossier(world.procedures["karaoke"], world.users["po_clerk2"])
    clerk_id, procedure_id = world.users["po_clerk2"].id, existing.procedure_type_id
    existing.fee_amount = 5_000_000  # same day, agency, procedure and office as below
    db.session.flush()
    outcome = []

    def receive_meanwhile():
        with app.app_context():
            try:
                db.session.execute(text("SET LOCAL lock_timeout = '3s'"))
                dossier = Dossier(
                    procedure_type=db.session.get(ProcedureType, procedure_id),
                    applicant_name="Người nộp cùng ngày",
                )
                clerk = db.session.get(User, clerk_id)
                prepare_received(dossier, received_by=clerk, received_at=MARCH_10)
                db.session.commit()
                outcome.append(dossier.code)
            except Exception as exc:  # reported by the assertion below
                db.session.rollback()
                outcome.append(repr(exc))
            finally:
                db.session.remove()

    # The other receipt needs the agency's counter row, which the edit does not touch.
    thread = threading.Thread(target=receive_meanwhile)
    thread.start()
    thread.join(timeout=30)
    assert outcome and outcome[0].endswith("-260310-0002"), outcome
    db.session.commit()
    assert figures_of(MARCH_10.date()) == (2, 9_000_000)
