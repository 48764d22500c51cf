"""services.delivery.shipping and services.delivery.feed: shipping, every move, the feed's rules."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import DeliveryEvent, DeliveryOrder, Dossier
from models.base import utcnow
from services.calendar import LOCAL_TZ
from services.delivery import events as delivery_events
from services.delivery import shipping as deliveries
from services.delivery.events import MOVES, Event
from services.delivery.feed import FeedItem, record_events
from services.delivery.postage import postage_for
from services.delivery.shipping import Shipment
from services.delivery.watch import is_stuck, stuck_cutoff, working_days_back
from services.dossiers import workflow
from services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tests import factories
from vietnam.addresses import wards

STATUSES = tuple(MOVES)


@pytest.fixture
def dossier(world):
    factories.make_rates()
    return factories.make_dossier(
        world.procedures["karaoke"], world.users["po_clerk"], return_method="post"
    )


@pytest.fixture
def clerk(world):
    return world.users["po_clerk"]


def _at(hours_ago: float) -> datetime:
    return utcnow() - timedelta(hours=hours_ago)


def _events(order) -> list[str]:
    return list(
        db.session.scalars(
            select(DeliveryEvent.status)
            .where(DeliveryEvent.delivery_order_id == order.id)
            .order_by(DeliveryEvent.at)
        )
    )


def _walk(order, clerk, *statuses, start=48.0):
    """Record STATUSES in turn, an hour apart, as the clerk."""
    for i, status in enumerate(statuses):
        note = "Không có người nhận" if status == "failed" else None
        delivery_events.record_event(order, Event(status, _at(start - i), note), clerk)
    db.session.commit()


def test_shipping_creates_the_order_and_moves_the_dossier(dossier, clerk):
    dossier.status = "result_at_counter"
    ward = wards(19)[0][0]
    order = deliveries.ship(
        dossier,
        clerk,
        Shipment(
            tracking_code="eb123456785vn",
            recipient_name="Trần Văn Hòa",
            recipient_phone="+84912345678",
            province_code=19,
            ward_code=ward,
            street="Số 5 đường Lương Ngọc Quyến",
            weight_grams=180,
        ),
    )
    db.session.commit()
    assert order.tracking_code == "EB123456785VN" and order.status == "created"
    assert order.recipient_phone == "0912345678"
    assert order.recipient_address.startswith("Số 5 đường Lương Ngọc Quyến, ")
    assert order.postage == 28_000  # 101–250 g within the province
    assert order.cod_amount == 0  # the fee was collected at receipt
    assert order.post_office_id == clerk.agency_id
    assert _events(order) == ["created"]
    assert dossier.status == "in_delivery" and dossier.history[-1].action == "ship"


def test_the_recipient_and_cod_are_prefilled_from_the_dossier(dossier):
    dossier.fee_amount = 1_000_000  # the karaoke licence costs 4,000,000: 3,000,000 still due
    prefilled = deliveries.shipment_from(dossier)
    assert prefilled.recipient_name == dossier.applicant_name
    assert prefilled.recipient_phone == dossier.applicant_phone
    assert prefilled.cod_amount == 3_000_000


def test_postage_follows_the_price_list_and_can_be_overridden(dossier, clerk):
    assert postage_for(100, "within") == 26_000
    assert postage_for(101, "within") == 28_000
    assert postage_for(500, "outside") == 39_000
    assert postage_for(1_200, "outside") == 39_000 + 2 * 7_500  # two further 500 g steps
    order = factories.ship_result(
        dossier,
        clerk,
        province_code=1,
        ward_code=wards(1)[0][0],
        street="Số 3 phố Tràng Tiền",
        weight_grams=90,
        postage=None,
    )
    assert order.postage == 31_500  # Hà Nội (01) is outside Thái Nguyên
    dossier2 = factories.make_dossier(dossier.procedure_type, clerk, return_method="post")
    assert factories.ship_result(dossier2, clerk, "EB000000005VN", postage=45_000).postage == 45_000


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"status": "processing"}, Conflict, "đang ở trạng thái «đang xử lý»"),
        ({"return_method": "counter"}, Conflict, "không đăng ký nhận kết quả qua bưu chính"),
    ],
)
def test_only_results_at_the_counter_meant_for_the_post_are_shipped(
    dossier, clerk, change, error, message
):
    dossier.status = "result_at_counter"
    for key, value in change.items():
        setattr(dossier, key, value)
    with pytest.raises(error, match=message):
        deliveries.ship(dossier, clerk, Shipment(tracking_code="EB123456785VN"))


def test_a_shipment_names_every_bad_field(dossier, clerk):
    dossier.status = "result_at_counter"
    bad = Shipment(
        tracking_code="EB123456784VN",  # wrong check digit
        recipient_name=" ",
        recipient_phone="12345",
        province_code=19,
        ward_code=99_999_999,
        street="x",
        weight_grams=0,
        cod_amount=-1,
    )
    with pytest.raises(ValidationFailed) as caught:
        deliveries.ship(dossier, clerk, bad)
    assert set(caught.value.fields) == {
        "tracking_code",
        "recipient_name",
        "recipient_phone",
        "recipient_address",
        "weight_grams",
        "cod_amount",
    }
    assert "sai chữ số kiểm tra" in caught.value.fields["tracking_code"]


def test_a_tracking_code_is_used_once(dossier, clerk, world):
    factories.ship_result(dossier, clerk)
    other = factories.make_dossier(world.procedures["publish"], clerk, return_method="post")
    with pytest.raises(Conflict, match="đã được dùng"):
        factories.ship_result(other, clerk)


def test_another_office_and_the_department_cannot_ship(dossier, world):
    dossier.status = "result_at_counter"
    with pytest.raises(NotFound):
        deliveries.ship(dossier, world.users["po_clerk2"], Shipment())
    with pytest.raises(Forbidden):
        deliveries.ship(dossier, world.users["dept_admin2"], Shipment())


@pytest.mark.parametrize("source", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_every_move_is_allowed_or_refused_by_the_table(dossier, clerk, source, target):
    order = factories.ship_result(dossier, clerk)
    order.status, order.status_at = source, _at(10)
    db.session.commit()
    event = Event(target, _at(1), "Lý do" if target == "failed" else None)
    if target in MOVES[source]:
        assert delivery_events.record_event(order, event, clerk) == "applied"
        assert order.status == target
    elif target == source:  # a repeat of the status in force: in the timeline, no move
        assert delivery_events.record_event(order, event, clerk) == "kept"
        assert order.status == source and order.status_at < _at(9)
    else:
        with pytest.raises(Conflict, match="không thể chuyển sang"):
            delivery_events.record_event(order, event, clerk)
        db.session.rollback()
        assert db.session.get(DeliveryOrder, order.id).status == source


def test_failed_needs_a_reason_and_may_be_retried_until_delivered(dossier, clerk):
    order = factories.ship_result(dossier, clerk)
    _walk(order, clerk, "accepted", "in_transit", "out_for_delivery")
    with pytest.raises(ValidationFailed, match="lý do"):
        delivery_events.record_event(order, Event("failed", _at(40)), clerk)
    _walk(order, clerk, "failed", "out_for_delivery", "delivered", start=40)
    assert order.status == "delivered" and order.failure_reason is None  # no stale reason
    assert order.delivered_at is not None
    dossier = db.session.get(Dossier, order.dossier_id)
    assert dossier.status == "returned" and dossier.returned_at == order.delivered_at
    assert [h.action for h in dossier.history][-2:] == ["ship", "delivered"]


def test_return_to_sender_then_return_at_the_counter_or_ship_again(dossier, clerk):
    order = factories.ship_result(dossier, clerk)
    _walk(order, clerk, "accepted", "in_transit", "out_for_delivery", "failed")
    _walk(order, clerk, "returned_to_sender", start=40)
    assert dossier.status == "result_at_counter"
    again = factories.ship_result(dossier, clerk, "EB000000005VN")
    assert again.status == "created" and dossier.status == "in_delivery"
    _walk(
        again, clerk, "accepted", "in_transit", "out_for_delivery", "returned_to_sender", start=30
    )
    workflow.transition(
        dossier, "return_at_counter", clerk, collector=workflow.Collector(kind="applicant")
    )
    db.session.commit()
    assert dossier.status == "returned"
    assert db.session.scalar(select(func.count(DeliveryOrder.id))) == 2


def test_events_are_for_post_staff_of_the_office(dossier, clerk, world):
    order = factories.ship_result(dossier, clerk)
    for username in ("dept_admin", "viewer", "it_admin"):
        with pytest.raises(Forbidden):
            delivery_events.record_event(order, Event("accepted"), world.users[username])
    with pytest.raises(NotFound):
        delivery_events.record_event(order, Event("accepted"), world.users["po_clerk2"])


def test_an_event_in_the_future_or_of_no_status_is_refused(dossier, clerk):
    order = factories.ship_result(dossier, clerk)
    with pytest.raises(ValidationFailed, match="tương lai"):
        delivery_events.record_event(order, Event("accepted", utcnow() + timedelta(hours=1)), clerk)
    with pytest.raises(ValidationFailed, match="không tồn tại"):
        delivery_events.record_event(order, Event("lost"), clerk)


def _feed(clerk, *events):
    items = [
        FeedItem(i, code, Event(status, at, note))
        for i, (code, status, at, note) in enumerate(events)
    ]
    outcomes = record_events(items, clerk)
    db.session.commit()
    return [o.result for o in outcomes], outcomes


def test_the_feed_stores_a_repeated_event_once(dossier, clerk):
    order = factories.ship_result(dossier, clerk)
    at = _at(5).replace(microsecond=0)
    first, _ = _feed(clerk, (order.tracking_code, "accepted", at, None))
    again, _ = _feed(clerk, (order.tracking_code, "accepted", at, None))
    assert first == ["applied"] and again == ["duplicate"]
    assert _events(order) == ["created", "accepted"]


def test_an_older_event_is_kept_without_moving_the_status_back(dossier, clerk):
    order = factories.ship_result(dossier, clerk)
    code = order.tracking_code
    results, outcomes = _feed(
        clerk,
        (code, "accepted", _at(5), None),
        (code, "out_for_delivery", _at(1), None),
        (code, "in_transit", _at(3), None),  # listed out of order: still lands in place
    )
    assert results == ["applied"] * 3 and order.status == "out_for_delivery"
    late, outcomes = _feed(clerk, (code, "in_transit", _at(2), "Quét lại tại bưu cục"))
    assert late == ["applied"] and outcomes[0].moved is False
    db.session.expire_all()
    order = db.session.get(DeliveryOrder, order.id)
    assert order.status == "out_for_delivery"
    assert _events(order) == ["created", "accepted", "in_transit", "in_transit", "out_for_delivery"]


def test_a_mixed_batch_applies_the_good_events_and_says_why_not_the_others(dossier, clerk):
    order = factories.ship_result(dossier, clerk)
    results, outcomes = _feed(
        clerk,
        (order.tracking_code, "accepted", _at(5), None),
        ("EB000000005VN", "accepted", _at(5), None),  # no such parcel
        (order.tracking_code, "lost", _at(4), None),  # no such status
        (order.tracking_code, "delivered", _at(3), None),  # not from accepted
        ("garbage", "accepted", _at(5), None),
        (order.tracking_code, "in_transit", _at(2), None),
    )
    assert results == ["applied", "refused", "refused", "refused", "refused", "applied"]
    assert "EB000000005VN" in outcomes[1].message
    assert "lost" in outcomes[2].message and "không thể chuyển sang" in outcomes[3].message
    assert order.status == "in_transit"
    assert _events(order) == ["created", "accepted", "in_transit"]


def test_the_feed_refuses_another_offices_parcels_as_unknown(dossier, clerk, world):
    order = factories.ship_result(dossier, clerk)
    results, outcomes = _feed(
        world.users["po_clerk2"], (order.tracking_code, "accepted", _at(1), None)
    )
    assert results == ["refused"] and "Không có bưu gửi" in outcomes[0].message
    with pytest.raises(Forbidden):
        record_events([], world.users["viewer"])


def test_orders_out_for_delivery_or_failed_too_long_are_stuck(dossier, clerk):
    monday = datetime(2026, 3, 16, 10, 0, tzinfo=LOCAL_TZ)
    assert working_days_back(monday.date(), 3).isoformat() == "2026-03-11"  # Wed, over the weekend
    cutoff = stuck_cutoff(monday, 3)
    order = factories.ship_result(dossier, clerk)
    order.status, order.status_at = "out_for_delivery", datetime(2026, 3, 10, 15, tzinfo=LOCAL_TZ)
    assert is_stuck(order, cutoff)
    order.status_at = datetime(2026, 3, 12, 9, tzinfo=LOCAL_TZ)
    assert not is_stuck(order, cutoff)
    order.status, order.status_at = "in_transit", datetime(2026, 3, 1, tzinfo=LOCAL_TZ)
    assert not is_stuck(order, cutoff)
