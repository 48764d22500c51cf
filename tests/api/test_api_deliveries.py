"""The delivery API: ship, list, read, one event, the batch feed; scope, roles, fuzzing."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from extensions import db
from models import DeliveryEvent, Dossier
from models.base import utcnow
from services.calendar import LOCAL_TZ
from tests import factories
from tests.api.test_api import Api, assert_error, get_token
from tests.api.test_api_fuzz import FAST, JSON, assert_well_formed, shaped

SHIP_KEYS = (
    "dossier_code",
    "tracking_code",
    "recipient_name",
    "recipient_phone",
    "recipient_address",
    "recipient_province_code",
    "recipient_ward_code",
    "recipient_street",
    "weight_grams",
    "postage",
    "cod_amount",
    "note",
)


@pytest.fixture
def api_as(app, world):
    return lambda username: Api(app.test_client(), get_token(app.test_client(), username))


@pytest.fixture
def ready(world):
    """A result at the counter, meant for the post, of the first post office."""
    factories.make_rates()
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], return_method="post"
    )
    dossier.status = "result_at_counter"
    db.session.commit()
    return dossier


def _iso(hours_ago: float) -> str:
    return (
        (utcnow() - timedelta(hours=hours_ago)).astimezone(LOCAL_TZ).isoformat(timespec="seconds")
    )


def _ship_body(dossier, code="EB123456785VN", **extra):
    return {
        "dossier_code": dossier.code,
        "tracking_code": code,
        "recipient_name": "Nguyễn Văn Thuận",
        "recipient_phone": "0912345678",
        "recipient_address": "Số 1 đường Hoàng Văn Thụ, Thái Nguyên",
        "weight_grams": 120,
        **extra,
    }


def test_ship_list_and_read_a_parcel(api_as, ready):
    clerk = api_as("po_clerk")
    shipped = clerk.post("/delivery-orders", _ship_body(ready))
    assert shipped.status_code == 201, shipped.get_json()
    body = shipped.get_json()
    assert body["status"] == "created" and body["postage"] == 28_000 and body["cod_amount"] == 0
    assert [e["status"] for e in body["events"]] == ["created"]
    assert shipped.headers["Location"].endswith("/delivery-orders/EB123456785VN")
    db.session.expire_all()
    assert db.session.get(Dossier, ready.id).status == "in_delivery"
    listed = clerk.get("/delivery-orders?status=created").get_json()
    assert [o["tracking_code"] for o in listed["items"]] == ["EB123456785VN"]
    assert listed["has_next"] is False and listed["page"] == 1
    today = utcnow().astimezone(LOCAL_TZ).date()
    assert clerk.get(f"/delivery-orders?from={today + timedelta(days=1)}").get_json()["items"] == []
    assert len(clerk.get(f"/delivery-orders?from={today}&to={today}").get_json()["items"]) == 1
    assert clerk.get("/delivery-orders?status=delivered").get_json()["items"] == []
    assert_error(clerk.get("/delivery-orders?status=lost&from=x"), 422, fields=("status", "from"))
    one = clerk.get("/delivery-orders/eb123456785vn").get_json()
    assert one["dossier_code"] == ready.code and one["events"][0]["source"] == "manual"


def test_shipping_refusals_name_the_fields(api_as, ready):
    clerk = api_as("po_clerk")
    bad = clerk.post(
        "/delivery-orders", _ship_body(ready, "EB123456784VN", recipient_phone="12", postage=-5)
    )
    assert_error(bad, 422, fields=("tracking_code", "recipient_phone", "postage"))
    assert_error(clerk.post("/delivery-orders", {"tracking_code": 5}), 400)
    assert_error(clerk.post("/delivery-orders", _ship_body(ready, dossier_code="nope")), 404)
    assert clerk.post("/delivery-orders", _ship_body(ready)).status_code == 201
    assert_error(clerk.post("/delivery-orders", _ship_body(ready, "EB000000005VN")), 409)


def test_one_event_then_the_same_again(api_as, ready):
    clerk = api_as("po_clerk")
    clerk.post("/delivery-orders", _ship_body(ready))
    event = {"status": "accepted", "at": _iso(0), "note": "Bưu cục Thái Nguyên"}
    first = clerk.post("/delivery-orders/EB123456785VN/events", event)
    assert first.status_code == 201 and first.get_json()["order"]["status"] == "accepted"
    again = clerk.post("/delivery-orders/EB123456785VN/events", event)
    assert again.status_code == 200 and again.get_json()["result"] == "duplicate"
    assert db.session.scalar(select(func.count(DeliveryEvent.id))) == 2  # created + accepted
    assert_error(clerk.post("/delivery-orders/EB123456785VN/events", {"status": "delivered"}), 409)
    assert_error(
        clerk.post("/delivery-orders/EB123456785VN/events", {"status": "in_transit", "at": "x"}),
        422,
        fields=("at",),
    )
    assert_error(clerk.post("/delivery-orders/EB000000005VN/events", event), 404)


def test_a_batch_answers_each_event_and_returns_the_dossier(api_as, ready, world):
    factories.ship_result(ready, world.users["po_clerk"])  # three days ago
    clerk = api_as("po_clerk")
    code = "EB123456785VN"
    events = [
        {"tracking_code": code, "status": "accepted", "at": _iso(0.05)},
        {"tracking_code": code, "status": "in_transit", "at": _iso(0.04)},
        {"tracking_code": "EB000000005VN", "status": "accepted", "at": _iso(0.04)},
        {"tracking_code": code, "status": "teleported", "at": _iso(0.03)},
        {"tracking_code": code, "status": "out_for_delivery", "at": _iso(0.02)},
        "not an object",
        {"tracking_code": code, "status": "delivered", "at": _iso(0.01), "note": "Người nhận ký"},
        {"tracking_code": code, "status": "accepted", "at": _iso(0.05)},
    ]
    answer = clerk.post("/delivery-events", {"events": events})
    assert answer.status_code == 200
    body = answer.get_json()
    assert [r["result"] for r in body["results"]] == [
        "applied",
        "applied",
        "refused",
        "refused",
        "applied",
        "refused",
        "applied",
        "duplicate",
    ]
    assert (body["applied"], body["duplicate"], body["refused"]) == (4, 1, 3)
    assert "EB000000005VN" in body["results"][2]["message"]
    assert "teleported" in body["results"][3]["message"]
    db.session.expire_all()
    assert db.session.get(Dossier, ready.id).status == "returned"
    detail = clerk.get(f"/dossiers/{ready.code}").get_json()
    assert detail["history"][-1]["action"] == "delivered"


def test_batches_are_bounded_and_shaped(api_as, ready):
    clerk = api_as("po_clerk")
    assert_error(clerk.post("/delivery-events", {"events": "x"}), 400, fields=("events",))
    too_many = [{"tracking_code": "EB123456785VN", "status": "accepted"}] * 1001
    assert_error(clerk.post("/delivery-events", {"events": too_many}), 422)


def test_scope_and_roles(api_as, ready):
    api_as("po_clerk").post("/delivery-orders", _ship_body(ready))
    other = api_as("po_clerk2")
    assert_error(other.get("/delivery-orders/EB123456785VN"), 404)
    assert other.get("/delivery-orders").get_json()["items"] == []
    assert_error(other.post("/delivery-orders/EB123456785VN/events", {"status": "accepted"}), 404)
    batch = other.post(
        "/delivery-events", {"events": [{"tracking_code": "EB123456785VN", "status": "accepted"}]}
    ).get_json()
    assert batch["results"][0]["result"] == "refused"
    assert api_as("dept_admin2").get("/delivery-orders").get_json()["items"] == []
    for username in ("dept_admin", "viewer", "it_admin"):
        reader = api_as(username)
        assert reader.get("/delivery-orders/EB123456785VN").status_code == 200
        assert_error(reader.post("/delivery-events", {"events": []}), 403)
        assert_error(
            reader.post("/delivery-orders/EB123456785VN/events", {"status": "accepted"}), 403
        )
        assert_error(reader.post("/delivery-orders", _ship_body(ready, "EB000000005VN")), 403)


def test_the_public_look_up_shows_the_parcel_and_nothing_personal(client, api_as, ready):
    before = client.get(f"/api/v1/public/dossiers/{ready.code}").get_json()
    assert "delivery" not in before
    api_as("po_clerk").post("/delivery-orders", _ship_body(ready))
    api_as("po_clerk").post(
        "/delivery-orders/EB123456785VN/events", {"status": "accepted", "at": _iso(0)}
    )
    body = client.get(f"/api/v1/public/dossiers/{ready.code}").get_json()
    assert set(body) == {"code", "status", "due_at", "procedure_name", "delivery"}
    assert set(body["delivery"]) == {"tracking_code", "status", "at"}
    assert body["delivery"]["tracking_code"] == "EB123456785VN"
    assert body["delivery"]["status"] == "accepted"
    page = client.get(f"/lookup?code={ready.code}").get_data(as_text=True)
    assert "EB123456785VN" in page and "Bưu cục đã nhận" in page
    assert ready.applicant_name not in page and "0912345678" not in page


def test_ship_and_events_survive_any_body(app, api_as, ready):
    clerk = api_as("po_clerk")
    values = (
        ready.code,
        "EB123456785VN",
        "0912345678",
        19,
        0,
        -1,
        10**30,
        "2026-03-10T09:30:00+07:00",
    )

    @FAST
    @given(body=JSON | shaped(SHIP_KEYS, values))
    def ship(body):
        assert_well_formed(clerk.post("/delivery-orders", body))
        db.session.rollback()

    ship()
    event_keys = ("tracking_code", "status", "at", "note")
    event_values = ("EB123456785VN", "accepted", "failed", "9999-12-31T23:59:59-12:00", _iso(0))

    @FAST
    @given(
        body=JSON | shaped(event_keys, event_values),
        batch=st.lists(JSON | shaped(event_keys, event_values), max_size=5),
    )
    def events(body, batch):
        assert_well_formed(clerk.post("/delivery-orders/EB123456785VN/events", body))
        assert_well_formed(clerk.post("/delivery-events", {"events": batch}))
        assert_well_formed(clerk.post("/delivery-events", body))

    events()
    keys = st.sampled_from(("status", "from", "to", "page", "per_page")) | st.text(max_size=5)

    @FAST
    @given(query=st.lists(st.tuples(keys, st.text(max_size=20)), max_size=5))
    def listing(query):
        assert_well_formed(
            clerk.client.get(f"/api/v1/delivery-orders?{urlencode(query)}", headers=clerk.headers)
        )

    listing()


def test_the_postal_systems_own_account_records_events_and_nothing_else(app, ready, world):
    """The README's recipe: a role with view + record_event, a user in the post office."""
    from models import Role
    from services.accounts.roles import set_permissions
    from services.accounts.users import create_user

    role = Role(name="postal_feed", label="Hệ thống định vị bưu gửi")
    db.session.add(role)
    db.session.flush()
    set_permissions(role, {("delivery_order", "view"), ("delivery_order", "record_event")})
    create_user("vnpost-tracking", "rất-dài-và-ngẫu-nhiên-42", ["postal_feed"], "VNP.H55.001")
    factories.ship_result(ready, world.users["po_clerk"])
    db.session.commit()
    client = app.test_client()
    feed = Api(client, get_token(client, "vnpost-tracking", "rất-dài-và-ngẫu-nhiên-42"))
    answer = feed.post(
        "/delivery-events",
        {"events": [{"tracking_code": "EB123456785VN", "status": "accepted", "at": _iso(0)}]},
    )
    assert answer.get_json()["applied"] == 1
    assert_error(feed.get("/dossiers"), 403)
    assert_error(feed.post("/delivery-orders", _ship_body(ready, "EB000000005VN")), 403)
