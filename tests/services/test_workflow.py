"""The dossier workflow: every action allowed and refused by role, scope and status."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, Dossier
from services.calendar import LOCAL_TZ
from services.dossiers import workflow
from services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tests import factories

RESULT = workflow.Result(number="12/GP-STTTT", date=date(2026, 3, 20), outcome="granted")
# The role that takes each action in DOMAIN.md, and a role that may not.
ACTORS = {
    "refuse": ("po_clerk", "viewer"),
    "request_supplement": ("dept_admin", "po_clerk"),
    "supplement_received": ("po_clerk", "viewer"),
    "apologize": ("dept_admin", "po_supervisor"),
    "complete": ("dept_admin", "po_clerk"),
    "stop": ("dept_admin", "po_clerk"),
    "withdraw": ("po_supervisor", "it_admin"),
    "return_at_counter": ("po_clerk", "dept_admin"),
}
SOURCE = {
    "refuse": "received",
    "request_supplement": "processing",
    "supplement_received": "supplement_requested",
    "apologize": "processing",
    "complete": "processing",
    "stop": "processing",
    "withdraw": "processing",
    "return_at_counter": "result_at_counter",
}


def at(day, hour=9, minute=0, month=3):
    return datetime(2026, month, day, hour, minute, tzinfo=LOCAL_TZ)


@pytest.fixture
def dossier(world):
    return factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], received_at=at(10, 9, 30)
    )


def put(dossier, status):
    dossier.status = status
    db.session.commit()
    return dossier


def take(dossier, action, user, **kwargs):
    kwargs.setdefault("note", "Lý do cụ thể")
    if action == "complete":
        kwargs.setdefault("result", RESULT)
    if action == "apologize":
        kwargs.setdefault("new_due_at", at(31, 17))
    if action == "return_at_counter":
        kwargs.setdefault("collector", workflow.Collector(kind="applicant"))
    return workflow.transition(dossier, action, user, **kwargs)


@pytest.mark.parametrize("action", sorted(ACTORS))
def test_each_action_moves_records_history_and_audit(world, dossier, action):
    allowed, _refused = ACTORS[action]
    put(dossier, SOURCE[action])
    if action == "supplement_received":
        take(put(dossier, "processing"), "request_supplement", world.users["dept_admin"])
    take(dossier, action, world.users[allowed])
    db.session.commit()
    assert dossier.status == workflow.TRANSITIONS[action].target
    step = dossier.history[-1]
    assert (step.action, step.from_status, step.actor_id) == (
        action,
        SOURCE[action],
        world.users[allowed].id,
    )
    entry = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == action, AuditEntry.entity_id == str(dossier.id)
        )
    ).one()
    assert entry.actor_username == allowed


@pytest.mark.parametrize("action", sorted(ACTORS))
def test_each_action_is_refused_to_the_wrong_role(world, dossier, action):
    _allowed, refused = ACTORS[action]
    put(dossier, SOURCE[action])
    with pytest.raises(Forbidden):
        take(dossier, action, world.users[refused])
    db.session.rollback()
    assert db.session.get(Dossier, dossier.id).status == SOURCE[action]


@pytest.mark.parametrize("action", sorted(ACTORS))
def test_each_action_is_refused_out_of_scope(world, dossier, action):
    allowed, _refused = ACTORS[action]
    other = {"po_clerk": "po_clerk2", "po_supervisor": "po_clerk2", "dept_admin": "dept_admin2"}
    put(dossier, SOURCE[action])
    with pytest.raises(NotFound):
        take(dossier, action, world.users[other[allowed]])


@pytest.mark.parametrize("action", sorted(ACTORS))
def test_each_action_is_refused_from_the_wrong_status(world, dossier, action):
    allowed, _refused = ACTORS[action]
    wrong = "returned" if SOURCE[action] != "returned" else "received"
    put(dossier, wrong)
    with pytest.raises(Conflict, match="đang ở trạng thái «đã trả kết quả»"):
        take(dossier, action, world.users[allowed])
    assert len(dossier.history) == 1  # only the receipt


def test_reasons_and_results_are_required(world, dossier):
    put(dossier, "processing")
    with pytest.raises(ValidationFailed, match="lý do"):
        take(dossier, "stop", world.users["dept_admin"], note="  ")
    with pytest.raises(ValidationFailed, match="số văn bản kết quả") as refused:
        take(
            dossier,
            "complete",
            world.users["dept_admin"],
            result=workflow.Result(number="", date=None, outcome="granted"),
        )
    assert set(refused.value.fields) == {"result.number", "result.date"}
    with pytest.raises(ValidationFailed, match="ngày hẹn mới"):
        take(dossier, "apologize", world.users["dept_admin"], new_due_at=None)
    with pytest.raises(ValidationFailed, match="sau ngày hẹn hiện tại"):
        take(dossier, "apologize", world.users["dept_admin"], new_due_at=at(11))
    with pytest.raises(ValidationFailed):
        take(dossier, "teleport", world.users["dept_admin"])


def test_a_stale_version_is_refused_naming_who_changed_it(world, dossier):
    put(dossier, "processing")
    seen = dossier.version
    take(dossier, "request_supplement", world.users["dept_admin"])
    db.session.commit()
    with pytest.raises(Conflict, match="Người dùng dept_admin"):
        take(dossier, "supplement_received", world.users["po_clerk"], version=seen)


def test_complete_fixes_timeliness(world, dossier):
    put(dossier, "processing")  # due 24/03/2026 09:30
    cases = [(at(23), "early"), (at(24, 16), "on_time"), (at(25), "late")]
    for done, expected in cases:
        dossier.status = "processing"
        take(dossier, "complete", world.users["dept_admin"], now=done)
        assert dossier.timeliness == expected
        assert dossier.completed_at == done


def test_apology_or_two_supplements_count_as_late(world, dossier):
    put(dossier, "processing")
    take(dossier, "apologize", world.users["dept_admin"], new_due_at=at(31, 17))
    take(dossier, "complete", world.users["dept_admin"], now=at(12))
    assert dossier.due_at == at(31, 17) and dossier.apology_count == 1
    assert dossier.timeliness == "late"


def test_a_supplement_request_pauses_the_clock(world, dossier):
    """Due 24/03 09:30. Paused on Fri 13/03 with 7 working days left; resumed Mon 23/03."""
    put(dossier, "processing")
    take(dossier, "request_supplement", world.users["dept_admin"], now=at(13, 10))
    assert dossier.history[-1].data["working_days_left"] == 7
    assert dossier.paused_at == at(13, 10)
    take(dossier, "supplement_received", world.users["po_clerk"], now=at(23, 14))
    assert dossier.paused_at is None
    assert dossier.due_at == at(1, 14, month=4)  # 7 working days after Mon 23/03 14:00
    take(dossier, "request_supplement", world.users["dept_admin"], now=at(24, 10))
    take(dossier, "supplement_received", world.users["po_clerk"], now=at(24, 15, 30))
    take(dossier, "complete", world.users["dept_admin"], now=at(25))
    assert dossier.supplement_count == 2 and dossier.timeliness == "late"


def test_available_actions_follow_role_status_and_scope(world, dossier):
    put(dossier, "processing")
    assert set(workflow.available_actions(dossier, world.users["dept_admin"])) == {
        "request_supplement",
        "apologize",
        "complete",
        "stop",
        "withdraw",
    }
    assert set(workflow.available_actions(dossier, world.users["po_clerk"])) == {"withdraw"}
    assert workflow.available_actions(dossier, world.users["dept_admin2"]) == []
    assert workflow.available_actions(dossier, world.users["viewer"]) == []


def test_each_move_bumps_the_version_by_exactly_one(world, dossier):
    put(dossier, "processing")
    before = dossier.version
    take(dossier, "request_supplement", world.users["dept_admin"])
    db.session.commit()
    assert dossier.version == before + 1
