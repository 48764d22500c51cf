"""The handover rules (services.handovers.batches): who may send, confirm and cancel which batch."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import AuditEntry, Dossier, DossierHistory, Handover, HandoverItem
from services.calendar import LOCAL_TZ
from services.dossiers import workflow
from services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.handovers import batches, eligibility, queries
from tests import factories

MORNING = datetime(2026, 3, 10, 9, 30, tzinfo=LOCAL_TZ)  # a Tuesday
SENT = datetime(2026, 3, 10, 14, 0, tzinfo=LOCAL_TZ)


@pytest.fixture
def three(world):
    """Three dossiers received by po_clerk for the department, one for the second one."""
    clerk = world.users["po_clerk"]
    own = [
        factories.make_dossier(world.procedures["publish"], clerk, f"Người {n}", MORNING)
        for n in range(3)
    ]
    other = factories.make_dossier(world.procedures["karaoke"], clerk, "Người khác", MORNING)
    return own, other


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def result_ready(dossier, world):
    """DOSSIER taken in by the department and completed (committed)."""
    own_office = dossier.post_office_id == world.agencies["po"].id
    batch = factories.make_handover(
        [dossier], world.users["po_clerk" if own_office else "po_clerk2"]
    )
    factories.confirm_handover(batch, world.users["dept_admin"])
    result = workflow.Result(number="12/GP", date=date(2026, 3, 12), outcome="granted")
    workflow.transition(dossier, "complete", world.users["dept_admin"], result=result)
    db.session.commit()
    return dossier


# -- what waits -----------------------------------------------------------------------
def test_eligible_groups_by_department_and_marks_late_receipts(app, world, three):
    own, other = three
    late = factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        "Nộp muộn",
        datetime(2026, 3, 10, 15, 40, tzinfo=LOCAL_TZ),
    )
    factories.make_dossier(world.procedures["publish"], world.users["po_clerk2"], "Quầy khác")
    groups = queries.eligible(world.users["po_clerk"], "to_department", now=SENT)
    by_agency = {g.agency.code: g for g in groups}
    assert set(by_agency) == {"000.00.15.H55", "000.00.18.H55"}
    listed = {w.dossier.code: w.next_morning for w in by_agency["000.00.15.H55"].items}
    assert listed == {**{d.code: None for d in own}, late.code: date(2026, 3, 11)}
    assert [w.dossier.code for w in by_agency["000.00.18.H55"].items] == [other.code]
    # the next morning has come: the late dossier is an ordinary one
    later = datetime(2026, 3, 11, 8, 30, tzinfo=LOCAL_TZ)
    groups = queries.eligible(world.users["po_clerk"], "to_department", now=later)
    assert all(w.next_morning is None for g in groups for w in g.items)


def test_a_dossier_in_an_open_batch_or_processing_is_not_eligible(app, world, three):
    own, _ = three
    factories.make_handover(own[:1], world.users["po_clerk"])
    codes = {
        w.dossier.code
        for g in queries.eligible(world.users["po_clerk"], "to_department")
        for w in g.items
    }
    assert own[0].code not in codes and own[1].code in codes


# -- creating and sending -------------------------------------------------------------
def test_create_and_send_takes_agencies_from_dossiers_and_user(app, world, three):
    own, _ = three
    clerk = world.users["po_clerk"]
    batch = batches.create_and_send(
        clerk, "to_department", dossier_codes=[d.code for d in own], note="Lô sáng", now=SENT
    )
    db.session.commit()
    assert batch.code == "BG-260310-001"
    assert (batch.status, batch.sent_at, batch.created_by_id) == ("sent", SENT, clerk.id)
    assert batch.from_agency.code == "VNP.H55.001" and batch.to_agency.code == "000.00.15.H55"
    assert {i.dossier.code for i in batch.items} == {d.code for d in own}
    assert all(d.status == "received" for d in own)  # nothing moves before confirmation
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "handover"))
    assert (entry.action, entry.actor_username) == ("create", "po_clerk")
    assert sorted(entry.changes["after"]["dossiers"]) == sorted(d.code for d in own)


@pytest.mark.parametrize(
    ("username", "direction", "error"),
    [
        ("it_admin", "to_department", Forbidden),
        ("viewer", "to_department", Forbidden),
        ("dept_admin", "to_department", Forbidden),
        ("po_clerk", "to_post_office", Forbidden),
        ("po_clerk", "sideways", ValidationFailed),
    ],
)
def test_only_the_sending_side_creates(app, world, three, username, direction, error):
    own, _ = three
    with pytest.raises(error):
        batches.create_and_send(
            world.users[username], direction, dossier_codes=[own[0].code], now=SENT
        )
    db.session.rollback()
    assert count(Handover) == 0


def test_refusals_name_every_code_and_create_nothing(app, world, three):
    own, other = three
    clerk = world.users["po_clerk"]
    factories.make_handover([own[0]], clerk, now=SENT)
    other_office = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk2"], "Quầy khác"
    )
    cases = [
        ([own[0].code, own[1].code], Conflict, {own[0].code: "BG-260310-001"}),
        (["KHONG-CO-MA", own[1].code], ValidationFailed, {"KHONG-CO-MA": "Không tìm thấy"}),
        ([other_office.code], ValidationFailed, {other_office.code: "Không tìm thấy"}),
        ([own[1].code, other.code], ValidationFailed, {other.code: "cơ quan nhận khác"}),
        ([], ValidationFailed, {}),
    ]
    for codes, error, reasons in cases:
        with pytest.raises(error) as caught:
            batches.create_and_send(clerk, "to_department", dossier_codes=codes, now=SENT)
        db.session.rollback()
        for code, reason in reasons.items():
            assert code in caught.value.message
            assert reason in caught.value.fields[f"dossier_codes.{code}"]
    assert count(Handover) == 1
    # the refused attempts gave their numbers back: the next batch is 002
    assert factories.make_handover([own[1]], clerk, now=SENT).code == "BG-260310-002"


def test_a_dossier_not_received_is_refused_with_its_status(app, world, three):
    own, _ = three
    workflow.transition(own[0], "withdraw", world.users["po_clerk"])
    db.session.commit()
    with pytest.raises(Conflict, match="đã rút"):
        batches.create_and_send(world.users["po_clerk"], "to_department", ids=[own[0].id])


def test_the_database_keeps_a_dossier_in_one_open_batch(app, world, three):
    own, _ = three
    batch = factories.make_handover([own[0]], world.users["po_clerk"])
    second = Handover(
        code="BG-999999-001",
        direction="to_department",
        status="sent",
        from_agency_id=batch.from_agency_id,
        to_agency_id=batch.to_agency_id,
    )
    second.items = [HandoverItem(dossier_id=own[0].id, open_dossier_id=own[0].id)]
    db.session.add(second)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# -- confirming -----------------------------------------------------------------------
def test_receiver_confirms_with_one_missing(app, world, three):
    own, _ = three
    batch = factories.make_handover(own, world.users["po_clerk"], now=SENT)
    dept = world.users["dept_admin"]
    at = SENT + timedelta(hours=1)
    batches.confirm(
        batch, dept, missing_codes=[own[2].code], item_notes={own[2].code: "Không có"}, now=at
    )
    db.session.commit()
    assert [d.status for d in own] == ["processing", "processing", "received"]
    assert (batch.status, batch.has_missing, batch.confirmed_by_id) == ("confirmed", True, dept.id)
    assert {i.dossier.code: (i.missing, i.note) for i in batch.items}[own[2].code] == (
        True,
        "Không có",
    )
    step = db.session.scalar(
        select(DossierHistory).where(
            DossierHistory.dossier_id == own[0].id,
            DossierHistory.action == "handover_to_department",
        )
    )
    assert (step.from_status, step.to_status, step.actor_id, step.at) == (
        "received",
        "processing",
        dept.id,
        at,
    )
    assert step.data["handover"] == batch.code
    assert step.data["given_by"] == "Người dùng po_clerk"
    actions = db.session.execute(
        select(AuditEntry.action, AuditEntry.entity).where(
            AuditEntry.actor_username == "dept_admin"
        )
    ).all()
    assert sorted(actions) == [
        ("confirm", "handover"),
        ("handover_to_department", "dossier"),
        ("handover_to_department", "dossier"),
    ]
    # the missing dossier is free to go in the next batch; the delay is derivable
    assert (
        eligibility.refusal(world.users["po_clerk"], "to_department", own[2], own[2].code) is None
    )
    assert queries.handover_delay(own[0]) == at - MORNING
    assert queries.handover_delay(own[2]) is None


@pytest.mark.parametrize(
    ("username", "error"),
    [("po_clerk", Forbidden), ("po_supervisor", Forbidden), ("dept_admin2", NotFound)],
)
def test_only_the_receiving_side_confirms(app, world, three, username, error):
    own, _ = three
    batch = factories.make_handover(own[:1], world.users["po_clerk"])
    with pytest.raises(error):
        batches.confirm(batch, world.users[username])
    db.session.rollback()
    assert own[0].status == "received" and batch.status == "sent"


def test_confirming_twice_a_stale_copy_or_a_stranger_code_is_refused(app, world, three):
    own, _ = three
    dept = world.users["dept_admin"]
    batch = factories.make_handover(own[:2], world.users["po_clerk"])
    with pytest.raises(ValidationFailed, match="KHAC-01"):
        batches.confirm(batch, dept, missing_codes=["KHAC-01"])
    db.session.rollback()
    with pytest.raises(Conflict):
        batches.confirm(batch, dept, version=batch.version + 1)
    db.session.rollback()
    factories.confirm_handover(batch, dept)
    with pytest.raises(Conflict, match="đã được xác nhận"):
        batches.confirm(batch, dept)


# -- cancelling -----------------------------------------------------------------------
def test_supervisor_cancels_with_a_reason_and_the_dossiers_come_back(app, world, three):
    own, _ = three
    batch = factories.make_handover(own[:2], world.users["po_clerk"])
    for username, error in (("po_clerk", Forbidden), ("dept_admin", Forbidden)):
        with pytest.raises(error):
            batches.cancel(batch, world.users[username], reason="Nhầm")
        db.session.rollback()
    supervisor = world.users["po_supervisor"]
    with pytest.raises(ValidationFailed):
        batches.cancel(batch, supervisor, reason="  ")
    db.session.rollback()
    batches.cancel(batch, supervisor, reason="Lập nhầm lô")
    db.session.commit()
    assert (batch.status, batch.cancel_reason, batch.cancelled_by_id) == (
        "cancelled",
        "Lập nhầm lô",
        supervisor.id,
    )
    assert (
        eligibility.refusal(world.users["po_clerk"], "to_department", own[0], own[0].code) is None
    )
    with pytest.raises(Conflict, match="đã bị hủy"):
        batches.confirm(batch, world.users["dept_admin"])


# -- results back to the post office ---------------------------------------------------
def test_results_go_back_grouped_by_post_office(app, world, three):
    own, _ = three
    mine = result_ready(own[0], world)
    theirs = result_ready(
        factories.make_dossier(world.procedures["publish"], world.users["po_clerk2"], "Ở quầy 2"),
        world,
    )
    dept = world.users["dept_admin"]
    groups = queries.eligible(dept, "to_post_office")
    assert {g.agency.code: [w.dossier.code for w in g.items] for g in groups} == {
        "VNP.H55.001": [mine.code],
        "VNP.H55.002": [theirs.code],
    }
    with pytest.raises(ValidationFailed, match=theirs.code):
        batches.create_and_send(dept, "to_post_office", dossier_codes=[mine.code, theirs.code])
    db.session.rollback()
    batch = factories.make_handover([mine], dept, "to_post_office")
    assert batch.to_agency.code == "VNP.H55.001"
    with pytest.raises(NotFound):
        batches.confirm(batch, world.users["po_clerk2"])
    db.session.rollback()
    factories.confirm_handover(batch, world.users["po_clerk"])
    assert mine.status == "result_at_counter"


def test_scan_says_why_a_code_cannot_go(app, world, three):
    own, _ = three
    clerk = world.users["po_clerk"]
    batch = factories.make_handover([own[0]], clerk)
    assert eligibility.scan(clerk, "to_department", f"  {own[1].code} ").id == own[1].id
    with pytest.raises(NotFound, match="Không tìm thấy"):
        eligibility.scan(clerk, "to_department", "XYZ")
    with pytest.raises(Conflict, match=batch.code):
        eligibility.scan(clerk, "to_department", own[0].code)
    factories.confirm_handover(batch, world.users["dept_admin"])
    with pytest.raises(Conflict, match="đang xử lý"):
        eligibility.scan(clerk, "to_department", own[0].code)
    assert db.session.get(Dossier, own[0].id).status == "processing"
