"""The carrier's webhook as EMS calls it: signed, stored once, answered in its shape, mapped
through the table, applied through the delivery-event rules; bad calls never a 500."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import CarrierStatus, CarrierWebhook, DeliveryEvent, OutboxMessage
from models.base import utcnow
from models.carrier import DEFAULT_MAPPING
from services.calendar import LOCAL_TZ
from services.delivery.carriers import ensure_default_mapping, map_status, status_by_name
from tests import factories
from tests.api.test_api import assert_error

SECRET = "bí-mật-của-ems-0123456789"
CODE = "EB123456785VN"
URL = "/api/v1/tracking/webhooks/ems"
_serial = iter(range(1, 1_000_000))


@pytest.fixture
def app_config():
    return {"CARRIER_WEBHOOK_SECRET_EMS": SECRET}


@pytest.fixture
def shipped(world):
    """A parcel shipped three days ago, and EMS's default mapping."""
    ensure_default_mapping()
    db.session.commit()
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], return_method="post"
    )
    return factories.ship_result(dossier, world.users["po_clerk"])


def ems_body(code, hours_ago, name="", note="", tracking=CODE, **extra) -> dict:
    when = (utcnow() - timedelta(hours=hours_ago)).astimezone(LOCAL_TZ)
    return {
        "tracking_code": tracking,
        "order_code": "DH0001",
        "status_code": code,
        "status_name": name,
        "note": note,
        "locate": "Bưu cục Thái Nguyên",
        "datetime": when.strftime("%d/%m/%Y %H:%M:%S"),
        **extra,
    }


def sign(raw: bytes, secret=SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def send(client, body, transaction=None, *, raw=None, headers=None, url=URL):
    """POST BODY (or RAW bytes) signed with the secret, under a new transaction id; then
    the outbox workers apply what it stored."""
    raw = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
    sent = {
        "Content-Type": "application/json",
        "ems-transaction": transaction or f"T{next(_serial):08d}",
        "X-Signature": sign(raw),
    }
    sent.update(headers or {})
    response = client.post(url, data=raw, headers={k: v for k, v in sent.items() if v is not None})
    factories.run_workers()
    return response


def order_state(order):
    """ORDER's status and the statuses of its timeline since it was created."""
    db.session.expire_all()
    events = db.session.scalars(
        select(DeliveryEvent.status)
        .where(DeliveryEvent.delivery_order_id == order.id, DeliveryEvent.status != "created")
        .order_by(DeliveryEvent.at)
    ).all()
    return db.session.get(type(order), order.id).status, events


# -- who may call ---------------------------------------------------------------------
def test_signed_call_is_stored_answered_and_applied(client, shipped):
    response = send(client, ems_body("100", 50), "EMS-0001")
    assert response.status_code == 200
    assert response.get_json() == {"code": "success", "transaction": "EMS-0001"}
    row = db.session.scalar(select(CarrierWebhook))
    assert row.state == "applied" and row.outcome == "applied" and row.mapped_status == "accepted"
    assert json.loads(row.body)["status_code"] == "100"
    assert row.delivery_event_id is not None
    assert order_state(shipped) == ("accepted", ["accepted"])


def test_the_request_only_stores_and_the_outbox_workers_apply_it(client, shipped):
    raw = json.dumps(ems_body("100", 50)).encode()
    headers = {"Content-Type": "application/json", "ems-transaction": "EMS-LATER",
               "X-Signature": sign(raw)}  # fmt: skip
    assert client.post(URL, data=raw, headers=headers).status_code == 200
    row = db.session.scalar(select(CarrierWebhook))
    assert row.state == "pending" and row.attempts == 0
    waiting = db.session.execute(select(OutboxMessage.sink, OutboxMessage.kind,
                                        OutboxMessage.payload)).all()  # fmt: skip
    assert waiting == [("carrier_inbox", "carrier", {"inbox_id": row.id})]
    assert order_state(shipped) == ("created", [])
    assert factories.run_workers() == 1
    assert order_state(shipped) == ("accepted", ["accepted"])
    assert db.session.scalar(select(OutboxMessage.status)) == "done"
    # The same call again: stored once, answered the same, nothing more to apply.
    assert client.post(URL, data=raw, headers=headers).get_json()["code"] == "success"
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    assert factories.run_workers() == 0


def test_a_refused_body_gives_the_workers_nothing(client, shipped):
    response = send(client, None, raw=b"not json")
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_batch_delivered_twice_changes_nothing_the_second_time(client, shipped):
    """A worker killed after applying, before marking its rows sent: the batch comes again."""
    from services.delivery.webhooks import apply_calls, store

    ids = [store("ems", f"B-{i}", json.dumps(ems_body(c, h)).encode()).id
           for i, (c, h) in enumerate((("300", 30), ("100", 50), ("400", 10)))]  # fmt: skip
    assert apply_calls(ids) == {"applied": 3}  # oldest event first, whatever the order sent
    first = order_state(shipped)
    assert first == ("delivered", ["accepted", "out_for_delivery", "delivered"])
    assert apply_calls(ids) == {"applied": 3}
    assert order_state(shipped) == first
    assert db.session.scalar(select(func.count(DeliveryEvent.id)).where(
        DeliveryEvent.delivery_order_id == shipped.id)) == 4  # fmt: skip


@pytest.mark.parametrize("app_config", [{"CARRIER_WEBHOOK_SECRET_EMS": SECRET,
                                         "CARRIER_WEBHOOK_APPLY": "inline"}])  # fmt: skip
def test_applied_inline_the_answer_comes_after_the_parcel_moved(client, shipped):
    raw = json.dumps(ems_body("100", 50)).encode()
    headers = {"Content-Type": "application/json", "ems-transaction": "EMS-INLINE",
               "X-Signature": sign(raw)}  # fmt: skip
    assert client.post(URL, data=raw, headers=headers).status_code == 200
    assert order_state(shipped) == ("accepted", ["accepted"])
    assert factories.run_workers() == 1  # its outbox row finds it applied: nothing moves
    assert order_state(shipped) == ("accepted", ["accepted"])


def test_the_secret_itself_in_x_webhook_token_is_accepted(client, shipped):
    response = send(client, ems_body("100", 50), headers={"X-Signature": None,
                                                          "X-Webhook-Token": SECRET})  # fmt: skip
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Signature": None},  # nothing
        {"X-Signature": "sha256=" + "0" * 64},  # wrong signature
        {"X-Signature": "sha1=abc"},
        {"X-Signature": None, "X-Webhook-Token": "đoán-thử"},
        {"X-Signature": None, "X-Webhook-Token": SECRET + "x"},
        {"X-Signature": None, "Authorization": f"Bearer {SECRET}"},
    ],
)
def test_anything_but_the_secret_answers_401_and_stores_nothing(client, shipped, headers):
    assert_error(send(client, ems_body("100", 50), headers=headers), 401, "unauthorized")
    assert db.session.scalar(select(func.count(CarrierWebhook.id))) == 0


def test_a_signature_of_another_body_is_refused(client, shipped):
    other = json.dumps(ems_body("400", 1)).encode()
    response = send(client, ems_body("100", 50), headers={"X-Signature": sign(other)})
    assert_error(response, 401)


def test_signatures_are_compared_in_constant_time(client, shipped, monkeypatch):
    """The comparison goes through hmac.compare_digest (a spy around the library's own)."""
    import hmac as hmac_module

    calls = []
    real = hmac_module.compare_digest
    monkeypatch.setattr(hmac_module, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    assert send(client, ems_body("100", 50)).status_code == 200
    assert_error(send(client, ems_body("100", 50), headers={"X-Signature": "sha256=00"}), 401)
    assert len(calls) == 2


def test_unknown_or_unconfigured_carrier_answers_404(client, shipped):
    assert_error(send(client, ems_body("100", 50), url="/api/v1/tracking/webhooks/dhl"), 404)


@pytest.mark.parametrize("app_config", [{"CARRIER_WEBHOOK_SECRET_EMS": ""}])
def test_a_carrier_without_a_secret_answers_404(client, shipped, app_config):
    assert_error(send(client, ems_body("100", 50)), 404)


# -- mapping --------------------------------------------------------------------------
@pytest.mark.parametrize("code, status, note", DEFAULT_MAPPING["ems"])
def test_each_default_ems_code_maps_to_its_status(shipped, code, status, note):
    assert map_status("ems", code, None) == status
    assert status_by_name(note) == status  # the note is the carrier's own words


@pytest.mark.parametrize(
    "name, status",
    [
        ("CHẤP NHẬN", "accepted"),
        ("da nhan hang", "accepted"),
        ("Đến bưu cục Thái Nguyên", "in_transit"),
        ("Đã giao cho bưu tá", "out_for_delivery"),
        ("Phát thành công.", "delivered"),
        ("Phát không thành công - vắng nhà", "failed"),
        ("phat hoan", "returned_to_sender"),
        ("Hàng bị thất lạc", None),
    ],
)
def test_status_names_by_domain_words(name, status):
    assert status_by_name(name) == status


def test_a_whole_journey_returns_the_dossier(client, shipped):
    for code, hours in (("100", 60), ("200", 50), ("201", 40), ("300", 30), ("400", 20)):
        assert send(client, ems_body(code, hours)).status_code == 200
    status, events = order_state(shipped)
    assert status == "delivered"
    assert events == ["accepted", "in_transit", "in_transit", "out_for_delivery", "delivered"]
    assert shipped.dossier.status == "returned"


def test_returned_to_sender_brings_the_result_back_to_the_counter(client, shipped):
    for code, hours, note in (("100", 60, ""), ("300", 40, ""), ("500", 30, "Vắng nhà"),
                              ("600", 20, "")):  # fmt: skip
        assert send(client, ems_body(code, hours, note=note)).status_code == 200
    assert order_state(shipped)[0] == "returned_to_sender"
    assert shipped.dossier.status == "result_at_counter"
    assert shipped.failure_reason.startswith("Vắng nhà")


def test_an_unknown_code_is_mapped_by_its_name(client, shipped):
    send(client, ems_body("100", 60))
    assert send(client, ems_body("777", 50, name="Đang vận chuyển")).status_code == 200
    row = db.session.scalars(select(CarrierWebhook).order_by(CarrierWebhook.id.desc())).first()
    assert row.mapped_status == "in_transit" and row.state == "applied"


def test_an_unmappable_call_is_kept_unapplied_with_its_reason(client, shipped):
    send(client, ems_body("100", 60))
    response = send(client, ems_body("999", 50, name="Hàng đang chờ thông quan"))
    assert response.get_json()["code"] == "success"
    row = db.session.scalars(select(CarrierWebhook).order_by(CarrierWebhook.id.desc())).first()
    assert row.state == "unapplied" and "999" in row.reason and "bảng ánh xạ" in row.reason
    # IT staff add the code; applying again lands it.
    db.session.add(CarrierStatus(carrier="ems", code="999", status="in_transit", note="Chờ"))
    db.session.commit()
    from services.delivery.webhooks import apply

    assert apply(row.id) == "applied"
    assert order_state(shipped) == ("in_transit", ["accepted", "in_transit"])


# -- repeats, late and early events ---------------------------------------------------
def test_the_same_transaction_twice_is_stored_once_and_answered_the_same(client, shipped):
    first = send(client, ems_body("100", 50), "EMS-R1")
    second = send(client, ems_body("100", 50), "EMS-R1")
    assert first.get_json() == second.get_json() == {"code": "success", "transaction": "EMS-R1"}
    assert db.session.scalar(select(func.count(CarrierWebhook.id))) == 1
    assert order_state(shipped) == ("accepted", ["accepted"])


def test_the_same_event_under_a_new_transaction_is_a_duplicate(client, shipped):
    body = ems_body("100", 50)
    send(client, body)
    send(client, body)
    outcomes = db.session.scalars(select(CarrierWebhook.outcome).order_by(CarrierWebhook.id))
    assert list(outcomes) == ["applied", "duplicate"]
    assert order_state(shipped) == ("accepted", ["accepted"])


def test_a_late_event_is_kept_without_moving_the_status(client, shipped):
    for code, hours in (("100", 60), ("300", 30)):
        send(client, ems_body(code, hours))
    send(client, ems_body("200", 45))  # in transit, reported after out for delivery
    status, events = order_state(shipped)
    assert status == "out_for_delivery"
    assert events == ["accepted", "in_transit", "out_for_delivery"]
    row = db.session.scalars(select(CarrierWebhook).order_by(CarrierWebhook.id.desc())).first()
    assert row.state == "applied" and row.outcome == "kept"


def test_an_early_event_waits_then_lands_when_its_parcel_catches_up(client, shipped):
    send(client, ems_body("400", 10))  # delivered, before anything else
    send(client, ems_body("300", 20))  # out for delivery: created → refused, waits too
    rows = db.session.scalars(select(CarrierWebhook.state)).all()
    assert rows == ["unapplied", "unapplied"]
    send(client, ems_body("100", 30))  # accepted: then the two waiting ones land in order
    status, events = order_state(shipped)
    assert status == "delivered" and events == ["accepted", "out_for_delivery", "delivered"]
    assert shipped.dossier.status == "returned"
    assert set(db.session.scalars(select(CarrierWebhook.state))) == {"applied"}


# -- bad calls ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, words",
    [
        (b"not json", "JSON"),
        (b"\xff\xfe\x00", "JSON"),
        (b"[1, 2]", "đối tượng"),
        (json.dumps(ems_body("100", 5, tracking="EB123456789VN")).encode(), "kiểm tra"),
        (json.dumps({**ems_body("100", 5), "datetime": "2026-03-01 10:00"}).encode(), "dd/MM"),
        (json.dumps({**ems_body("100", 5), "datetime": "31/02/2026 10:00:00"}).encode(), "dd/MM"),
        (json.dumps({**ems_body("100", 5), "note": "a\x00b"}).encode(), "điều khiển"),
        (b'{"tracking_code": "EB123456785VN", "status_code": "100", "note": "\\ud800",'
         b' "datetime": "01/03/2026 10:00:00"}', "điều khiển"),
        (json.dumps({**ems_body("100", 5), "status_code": ["100"]}).encode(), "chuỗi"),
        (json.dumps({"status_code": "100"}).encode(), "tracking_code"),
        (b"[" * 5000 + b"]" * 5000, "JSON"),
    ],
)  # fmt: skip
def test_a_body_that_cannot_be_read_is_stored_refused_and_answered_422(client, shipped, raw, words):
    response = send(client, None, "BAD-1", raw=raw)
    error = assert_error(response, 422, "refused")
    assert words in error["message"]
    again = send(client, None, "BAD-1", raw=raw)
    assert again.status_code == 422 and again.get_json() == response.get_json()
    row = db.session.scalar(select(CarrierWebhook))
    assert row.state == "refused" and row.body == raw and words in row.reason
    assert order_state(shipped) == ("created", [])


def test_a_huge_body_answers_413_and_stores_nothing(client, shipped):
    raw = json.dumps(ems_body("100", 5, note="x" * 20_000)).encode()
    assert_error(send(client, None, raw=raw), 413)
    assert db.session.scalar(select(func.count(CarrierWebhook.id))) == 0


@pytest.mark.parametrize("transaction", ["", " ", "a b", "x" * 101, "ạ"])
def test_a_missing_or_unusable_transaction_header_answers_400(client, shipped, transaction):
    headers = {"ems-transaction": transaction}
    raw = json.dumps(ems_body("100", 5)).encode()
    response = (
        client.post(URL, data=raw, headers={"X-Signature": sign(raw), **headers})
        if transaction.isascii()
        else send(client, None, raw=raw, headers={"ems-transaction": None})
    )
    assert_error(response, 400)
    assert db.session.scalar(select(func.count(CarrierWebhook.id))) == 0


def test_an_unknown_parcel_is_stored_unapplied(client, shipped):
    response = send(client, ems_body("100", 5, tracking="EE876543216VN"))
    assert response.get_json()["code"] == "success"
    row = db.session.scalar(select(CarrierWebhook))
    assert row.state == "unapplied" and "EE876543216VN" in row.reason


def test_an_event_the_rules_refuse_is_unapplied_with_their_reason(client, shipped):
    when = (shipped.created_at - timedelta(days=1)).astimezone(LOCAL_TZ)
    body = {**ems_body("100", 5), "datetime": when.strftime("%d/%m/%Y %H:%M:%S")}
    assert send(client, body).status_code == 200
    row = db.session.scalar(select(CarrierWebhook))
    assert row.state == "unapplied" and "trước khi phiếu chuyển phát được tạo" in row.reason


def test_apply_pending_applies_what_a_request_left(app, client, shipped, runner):
    from services.delivery.webhooks import store

    raw = json.dumps(ems_body("100", 5)).encode()
    stored = store("ems", "LEFT-1", raw)
    assert stored.state == "pending"
    result = runner.invoke(args=["webhooks", "apply-pending"])
    assert result.exit_code == 0, result.output
    assert "applied: 1" in result.output
    assert order_state(shipped) == ("accepted", ["accepted"])


def test_a_late_failure_between_repeats_ends_as_if_sorted(client, shipped):
    """Out for delivery, again, then the failure between them: the parcel was out again
    only since the repeat, and the failure's reason is the parcel's."""
    for code, hours, note in (("100", 60, ""), ("300", 40, ""), ("300", 20, ""),
                              ("500", 30, "Vắng nhà")):  # fmt: skip
        assert send(client, ems_body(code, hours, note=note)).status_code == 200
    db.session.expire_all()
    order = db.session.get(type(shipped), shipped.id)
    repeat = db.session.scalar(
        select(func.max(DeliveryEvent.at)).where(DeliveryEvent.delivery_order_id == order.id)
    )
    assert order.status == "out_for_delivery" and order.status_at == repeat
    assert order.failure_reason.startswith("Vắng nhà")


def test_a_late_failure_before_the_return_still_gives_the_reason(client, shipped):
    for code, hours, note in (("100", 60, ""), ("300", 40, ""), ("600", 20, ""),
                              ("500", 30, "Người nhận từ chối")):  # fmt: skip
        assert send(client, ems_body(code, hours, note=note)).status_code == 200
    db.session.expire_all()
    order = db.session.get(type(shipped), shipped.id)
    assert order.status == "returned_to_sender"
    assert order.failure_reason.startswith("Người nhận từ chối")
