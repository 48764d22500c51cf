"""A dossier travelling in a sent, unconfirmed batch takes no workflow action (issue 19, item 12).

The batch decides first: cancelled by its sender, or confirmed with the dossier marked
missing. Only then may the counter refuse, withdraw... it.
"""

import pytest

from extensions import db
from services.dossiers import workflow
from services.errors import Conflict, ValidationFailed
from services.handovers import batches
from tests import factories


@pytest.fixture
def sent(world):
    """Two received dossiers in one sent batch of po_clerk."""
    clerk = world.users["po_clerk"]
    dossiers = [
        factories.make_dossier(world.procedures["publish"], clerk, f"Người {n}") for n in range(2)
    ]
    return dossiers, factories.make_handover(dossiers, clerk)


@pytest.mark.parametrize(
    ("action", "username"), [("refuse", "po_clerk"), ("withdraw", "dept_admin")]
)
def test_no_action_while_the_batch_is_open(world, sent, action, username):
    (dossier, _), batch = sent
    user = world.users[username]
    assert workflow.available_actions(dossier, user) == []
    with pytest.raises(Conflict) as refused:
        workflow.transition(dossier, action, user, note="Người nộp xin rút")
    message = refused.value.message
    assert batch.code in message and dossier.code in message
    assert "hủy lô" in message and "thiếu" in message
    db.session.rollback()
    db.session.refresh(dossier)
    assert dossier.status == "received" and len(dossier.history) == 1


def test_cancelled_batch_frees_its_dossiers(world, sent):
    (dossier, _), batch = sent
    batches.cancel(batch, world.users["po_supervisor"], reason="Lập nhầm")
    db.session.commit()
    assert "withdraw" in workflow.available_actions(dossier, world.users["po_clerk"])
    workflow.transition(dossier, "withdraw", world.users["po_clerk"])
    db.session.commit()
    assert dossier.status == "withdrawn"


def test_confirmation_moves_and_a_missing_dossier_is_free_again(world, sent):
    (missing, moved), batch = sent
    batches.confirm(
        batch,
        world.users["dept_admin"],
        missing_codes=[missing.code],
        item_notes={missing.code: "Không có trong túi hồ sơ"},
    )
    db.session.commit()
    assert moved.status == "processing"
    workflow.transition(missing, "refuse", world.users["po_clerk"], note="Thiếu đơn")
    db.session.commit()
    assert missing.status == "not_accepted"


def test_a_missing_dossier_needs_a_reason(world, sent):
    (missing, other), batch = sent
    dept = world.users["dept_admin"]
    for notes in ({}, {missing.code: "   "}, {other.code: "Đủ"}):
        with pytest.raises(ValidationFailed) as refused:
            batches.confirm(batch, dept, missing_codes=[missing.code], item_notes=notes)
        assert missing.code in refused.value.message and "lý do" in refused.value.message
        assert set(refused.value.fields) == {f"item_notes.{missing.code}"}
        db.session.rollback()
    assert batch.status == "sent" and other.status == "received"
