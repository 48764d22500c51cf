"""The feed's rules as the postal system meets them: late repeats kept and answered
`applied` with the parcel's status, events before the parcel refused, a bounded
timeline, and a person's batch smaller than the postal system's."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import DeliveryEvent, DeliveryOrder, Role
from models.base import utcnow
from services.accounts.roles import set_permissions
from services.accounts.users import create_user
from services.calendar import LOCAL_TZ
from tests import factories
from tests.api.test_api import Api, assert_error, get_token

CODE = "EB123456785VN"
FEED_PASSWORD = "rất-dài-và-ngẫu-nhiên-42"


@pytest.fixture
def shipped(world):
    """A parcel shipped three days ago (factories.ship_result)."""
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], return_method="post"
    )
    return factories.ship_result(dossier, world.users["po_clerk"])


@pytest.fixture
def clerk(app, world):
    return Api(app.test_client(), get_token(app.test_client(), "po_clerk"))


@pytest.fixture
def feed_account(app, world):
    """The README's postal system account: role postal_feed, view + record_event."""
    role = Role(name="postal_feed", label="Hệ thống định vị bưu gửi")
    db.session.add(role)
    db.session.flush()
    set_permissions(role, {("delivery_order", "view"), ("delivery_order", "record_event")})
    create_user("vnpost-tracking", FEED_PASSWORD, ["postal_feed"], "VNP.H55.001")
    db.session.commit()
    client = app.test_client()
    return Api(client, get_token(client, "vnpost-tracking", FEED_PASSWORD))


def _at(hours_ago: float) -> str:
    when = utcnow() - timedelta(hours=hours_ago)
    return when.astimezone(LOCAL_TZ).isoformat(timespec="seconds")


def _event(status, hours_ago, note=None):
    return {"tracking_code": CODE, "status": status, "at": _at(hours_ago), "note": note}


def _timeline():
    return db.session.scalars(select(DeliveryEvent.status).order_by(DeliveryEvent.at)).all()


def test_a_late_repeat_of_the_status_in_force_is_kept_and_applied(clerk, shipped):
    events = [
        _event("accepted", 30),
        _event("in_transit", 20, "Đi bưu cục Thái Nguyên"),
        _event("in_transit", 10, "Đến bưu cục Phổ Yên"),  # a second sorting office
        _event("accepted", 25),  # the carrier resends an old status late
    ]
    body = clerk.post("/delivery-events", {"events": events}).get_json()
    answers = [(r["result"], r.get("moved"), r.get("order_status")) for r in body["results"]]
    assert answers == [  # the parcel's status once the batch is in, on every answer
        ("applied", True, "in_transit"),
        ("applied", True, "in_transit"),
        ("applied", False, "in_transit"),
        ("applied", False, "in_transit"),
    ]
    db.session.expire_all()
    assert _timeline() == ["created", "accepted", "accepted", "in_transit", "in_transit"]
    assert db.session.scalar(select(DeliveryOrder.status)) == "in_transit"
    # One event at a time, the same: a repeat is stored, the status stays.
    one = clerk.post(f"/delivery-orders/{CODE}/events", {"status": "in_transit", "at": _at(1)})
    assert one.status_code == 201
    assert one.get_json()["moved"] is False and one.get_json()["order"]["status"] == "in_transit"


def test_a_refused_event_is_answered_with_the_parcels_status(clerk, shipped):
    body = clerk.post("/delivery-events", {"events": [_event("delivered", 1)]}).get_json()
    answer = body["results"][0]
    assert answer["result"] == "refused" and answer["order_status"] == "created"
    assert "không thể chuyển sang" in answer["message"]


def test_events_before_the_parcel_was_created_are_refused(clerk, shipped):
    events = [_event("accepted", 24 * 4), _event("accepted", 24 * 2)]  # shipped 3 days ago
    body = clerk.post("/delivery-events", {"events": events}).get_json()
    refused, applied = body["results"]
    assert refused["result"] == "refused" and refused["fields"] == {
        "at": "Trước khi tạo phiếu chuyển phát."
    }
    assert "trước khi phiếu chuyển phát được tạo" in refused["message"]
    assert applied["result"] == "applied" and applied["moved"] is True
    one = clerk.post(f"/delivery-orders/{CODE}/events", {"status": "in_transit", "at": _at(99)})
    assert_error(one, 422, fields=("at",))
    db.session.expire_all()
    assert _timeline() == ["created", "accepted"]


def test_a_timeline_holds_a_bounded_number_of_events(app, clerk, shipped):
    assert app.config["DELIVERY_MAX_EVENTS"] == 200
    app.config["DELIVERY_MAX_EVENTS"] = 6
    events = [_event("accepted", 50)] + [_event("in_transit", 40 - n) for n in range(6)]
    body = clerk.post("/delivery-events", {"events": events}).get_json()
    assert [r["result"] for r in body["results"]] == ["applied"] * 5 + ["refused"] * 2
    assert "tối đa 6" in body["results"][-1]["message"]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(DeliveryEvent.id))) == 6
    one = clerk.post(f"/delivery-orders/{CODE}/events", {"status": "out_for_delivery"})
    assert_error(one, 409)


def test_a_persons_batch_is_capped_lower_than_the_postal_systems(clerk, feed_account, shipped):
    many = [_event("accepted", 61)] + [_event("in_transit", 60 - n / 10) for n in range(100)]
    answer = clerk.post("/delivery-events", {"events": many})
    assert "Tối đa 100 sự kiện" in assert_error(answer, 422, fields=("events",))["message"]
    assert clerk.post("/delivery-events", {"events": many[:100]}).status_code == 200
    body = feed_account.post("/delivery-events", {"events": many}).get_json()
    assert body["refused"] == 0 and body["duplicate"] == 100 and body["applied"] == 1
    assert_error(feed_account.post("/delivery-events", {"events": many * 10}), 422)
