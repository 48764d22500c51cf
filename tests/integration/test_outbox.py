"""The outbox kernel and the portal sink against a real fake portal over HTTP."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from extensions import db
from models import Dossier, OutboxMessage, PortalSync
from models.base import utcnow
from services.dossiers import workflow
from services.errors import ServiceError
from services.integration import locks, outbox, workers
from services.integration import portal as portal_sink
from services.integration.outbox import Batch, Retry, mask_personal
from services.reporting.periods import Period
from services.transactions import transaction
from tests import factories


def rows(**where):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    db.session.expire_all()
    return list(db.session.scalars(query))


def received(world, **fields):
    return factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], received_at=utcnow(), **fields
    )


def to_processing(dossier, world):
    step = workflow.SYSTEM_MOVES["handover_to_department"]
    with transaction():
        workflow.move(dossier, "handover_to_department", step, world.users["dept_admin"])
    return dossier


def deliver_all():
    total = 0
    for _ in range(20):
        claimed = workers.deliver_due()
        total += claimed
        if not claimed:
            break
    return total


def test_each_history_row_gets_a_row_in_its_own_transaction(world):
    dossier = received(world)
    written = rows()
    assert [(r.sink, r.kind, r.status) for r in written] == [("portal", "step", "pending")]
    assert written[0].dossier_id == dossier.id and written[0].history_id is not None
    assert written[0].idempotency_key.startswith("portal:")


def test_a_rolled_back_action_leaves_no_row(world):
    dossier = received(world)
    before = len(rows())
    with pytest.raises(ServiceError), transaction():
        workflow.transition(dossier, "refuse", world.users["po_clerk"], note="Thiếu giấy tờ")
        raise ServiceError("bỏ")
    assert len(rows()) == before
    assert db.session.get(Dossier, dossier.id).status == "received"


@pytest.mark.parametrize("app_config", [{}])
def test_no_rows_without_a_portal(world, app_config):
    received(world)
    assert rows() == []


def test_delivery_sends_the_state_then_the_steps_in_order(world, portal):
    dossier = received(world, applicant_email="an@example.vn")
    to_processing(dossier, world)
    with transaction():
        workflow.transition(
            dossier, "request_supplement", world.users["dept_admin"], note="Bổ sung"
        )
    assert deliver_all() == 3
    assert {r.status for r in rows()} == {"done"}
    sent = portal.dossiers[dossier.code]
    assert sent["TrangThaiHoSo"] == 5 and sent["MaTTHC"] == "1.004477" and sent["KenhThucHien"] == 1
    assert sent["NgayTiepNhan"].isdigit() and len(sent["NgayTiepNhan"]) == 14
    assert [s["TrangThai"] for s in portal.steps[dossier.code]] == [2, 4, 5]
    assert portal.calls.count("/dossiers/sync") == 1  # three rows coalesced into one upsert
    state = portal_state(dossier)
    assert state["portal_status"] == 5 and state["waiting"] == 0 and state["synced_at"]


def portal_state(dossier):
    with db.session.no_autoflush:
        return portal_sink.sync_state(dossier.id)


def test_already_exists_means_update(world, portal):
    dossier = received(world)
    deliver_all()
    to_processing(dossier, world)
    deliver_all()
    assert portal.dossiers[dossier.code]["TrangThaiHoSo"] == 4
    assert "/dossiers/update" in portal.calls
    assert [s["TrangThai"] for s in portal.steps[dossier.code]] == [2, 4]


def test_a_5xx_is_retried_later_with_the_error_kept(world, portal):
    dossier = received(world, applicant_phone="0912345678")
    portal.fail("/dossiers/sync", 503, times=2)
    workers.deliver_due()
    (row,) = rows()
    assert row.status == "pending" and row.attempts == 1 and "503" in row.last_error
    assert row.next_attempt_at > utcnow() - timedelta(seconds=1)
    time.sleep(0.2)
    deliver_all()
    time.sleep(0.3)
    deliver_all()
    assert rows()[0].status == "done" and dossier.code in portal.dossiers


def test_a_4xx_is_dead_at_once(world, portal):
    dossier = received(world)
    portal.refused.add(dossier.code)
    workers.deliver_due()
    (row,) = rows()
    assert row.status == "dead" and row.attempts == 1 and "400" in row.last_error
    workers.deliver_due()
    assert rows()[0].attempts == 1  # nothing more is tried


def test_an_expired_session_logs_in_again(world, portal):
    first = received(world)
    deliver_all()
    portal.expire_sessions()
    second = received(world, applicant="Trần Thị Đức")
    deliver_all()
    assert portal.logins == 2 and second.code in portal.dossiers and first.code in portal.dossiers


def test_a_slow_portal_is_a_timeout_then_a_retry(world, portal, app):
    app.config.update(portal_config_for(portal, PORTAL_TIMEOUT_SECONDS=0.3))
    received(world)
    portal.delay = 1.0
    workers.deliver_due()
    (row,) = rows()
    assert row.status == "pending" and "kịp" in row.last_error
    portal.delay = 0
    time.sleep(0.2)
    deliver_all()
    assert rows()[0].status == "done"


def portal_config_for(server, **overrides):
    from tests.integration.conftest import portal_config

    return portal_config(server.url, **overrides)


def test_a_refused_connection_is_retried(world, portal, app):
    app.config["PORTAL_URL"] = "http://127.0.0.1:9"  # nothing listens on discard's port
    received(world)
    workers.deliver_due()
    (row,) = rows()
    assert row.status == "pending" and "kết nối" in row.last_error


def test_an_expired_lease_makes_the_row_due_again(world, portal, app):
    received(world)
    app.config["OUTBOX_LEASE_SECONDS"] = 0
    token, claimed = outbox.claim()
    assert len(claimed) == 1
    time.sleep(0.05)
    token2, again = outbox.claim()  # the first claimer "died": its lease has ended
    assert [r.id for r in again] == [claimed[0].id]
    assert workers.deliver(token, [claimed[0].id]) == "lease lost"  # a late worker does nothing
    app.config["OUTBOX_LEASE_SECONDS"] = 30
    assert workers.deliver(token2, [claimed[0].id]) == "Done"
    assert rows()[0].status == "done"


def test_still_failing_after_a_week_is_dead(world, portal):
    received(world)
    db.session.execute(update(OutboxMessage).values(give_up_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    token, claimed = outbox.claim()
    outbox.finish(Batch("portal", token, claimed), Retry("HTTP 503"))
    assert rows()[0].status == "dead"


def test_backoff_grows_from_about_30_seconds_to_a_day(app):
    app.config["OUTBOX_BACKOFF_SECONDS"] = 30
    first = [outbox.backoff(1).total_seconds() for _ in range(50)]
    assert min(first) >= 15 and max(first) <= 30 and len(set(first)) > 1  # jittered
    assert 24 * 3600 * 0.5 <= outbox.backoff(30).total_seconds() <= 24 * 3600


def test_errors_are_masked():
    text = "Lỗi: 019201012345 / 0912 345 678 / an.nguyen@example.vn / 000.00.15.H55-260305-0012"
    masked = mask_personal(text + "\x00")
    assert "019201012345" not in masked and "0912 345 678" not in masked
    assert "an.nguyen" not in masked and "000.00.15.H55-260305-0012" in masked
    assert "\x00" not in masked and len(mask_personal("x" * 2000)) == 500


def test_a_parcel_event_sends_the_state(world, portal):
    dossier = received(world)
    order = factories.make_delivery(dossier, world.agencies["po"])
    deliver_all()
    from services.delivery import events

    with transaction():
        at = utcnow() + timedelta(seconds=2)
        events.record_event(order, events.Event("accepted", at=at), world.users["po_clerk"])
    kinds = [r.kind for r in rows(status="pending")]
    assert kinds == ["state"]
    deliver_all()
    assert {r.status for r in rows()} == {"done"}


def test_sync_rate_of_a_period_in_scope(world, portal):
    first = received(world)
    received(world, applicant="Lê Văn B")
    received_other = factories.make_dossier(
        world.procedures["karaoke"], world.users["po_clerk"], received_at=utcnow()
    )
    workers.deliver_due(limit=1)  # the first dossier's row only
    today = utcnow().date()
    period = Period(today - timedelta(days=1), today + timedelta(days=1))
    synced, total, rate = portal_sink.sync_rate(world.users["it_admin"], period)
    assert (synced, total) == (1, 3) and rate == pytest.approx(1 / 3)
    synced, total, _ = portal_sink.sync_rate(world.users["dept_admin2"], period)
    assert (synced, total) == (0, 1)
    assert db.session.scalar(select(func.count()).select_from(PortalSync)) == 1
    assert first.id and received_other.id


def test_one_delivery_per_dossier_at_a_time(world, portal):
    received(world)
    token, claimed = outbox.claim()
    assert locks.lock(f"portal:{claimed[0].dossier_id}", "someone-else")
    assert workers.deliver(token, [claimed[0].id]) == "Busy"
    (row,) = rows()
    assert row.status == "pending" and row.attempts == 0 and portal.calls == []
    locks.unlock(f"portal:{claimed[0].dossier_id}", "someone-else")
    time.sleep(1.1)
    assert deliver_all() == 1 and rows()[0].status == "done"
