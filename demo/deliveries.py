"""The demo's postal side: the price list, and parcels at every stage (through the services)."""

import json
from datetime import timedelta

from sqlalchemy import func, select, update

from extensions import db
from models import DeliveryEvent, DeliveryOrder
from models.base import utcnow
from models.carrier import CarrierWebhook
from services.calendar import LOCAL_TZ
from services.delivery import webhooks
from services.delivery.carriers import ensure_default_mapping
from services.delivery.events import Event, record_event
from services.delivery.postage import ensure_default_rates

FAILURE = "Không liên lạc được người nhận"


def seed_deliveries() -> None:
    """Idempotent: the price list and the carriers' mapping when empty; parcels out for
    delivery and failed once."""
    ensure_default_rates()
    ensure_default_mapping()
    latest = (
        select(func.max(DeliveryEvent.at))
        .where(DeliveryEvent.delivery_order_id == DeliveryOrder.id)
        .scalar_subquery()
    )
    db.session.execute(
        update(DeliveryOrder)
        .where(DeliveryOrder.status_at > latest)
        .values(status_at=latest)
        .execution_options(synchronize_session=False)
    )
    moving = select(DeliveryOrder.id).where(
        DeliveryOrder.status.in_(("out_for_delivery", "failed"))
    )
    if db.session.scalar(moving.limit(1)) is None:
        _advance_some()
    db.session.flush()


def _advance_some() -> None:
    """Of the parcels in transit, move the oldest out for delivery, and fail one of them."""
    orders = db.session.scalars(
        select(DeliveryOrder)
        .where(DeliveryOrder.status == "in_transit")
        .order_by(DeliveryOrder.status_at)
        .limit(4)
    ).all()
    now = utcnow()
    for i, order in enumerate(orders):
        at = min(order.status_at + timedelta(hours=20), now)
        clerk = order.created_by
        if clerk is None:
            continue
        record_event(order, Event("out_for_delivery", at, "Bưu tá nhận phát"), clerk)
        if i == 0:
            record_event(order, Event("failed", min(at + timedelta(hours=4), now), FAILURE), clerk)


def seed_carrier_inbox() -> None:
    """Idempotent: two EMS calls about a parcel in transit, one repeating what the timeline
    holds, one with a status code nobody has mapped yet (kept unapplied, to be fixed)."""
    if db.session.scalar(select(CarrierWebhook.id).limit(1)) is not None:
        return
    order = db.session.scalar(
        select(DeliveryOrder).where(DeliveryOrder.status == "in_transit").order_by(DeliveryOrder.id)
    )
    if order is None:
        return
    local = order.status_at.astimezone(LOCAL_TZ)
    for transaction, code, name in (
        ("EMS-DEMO-0001", "200", "Đi bưu cục"),
        ("EMS-DEMO-0002", "888", "Hàng chờ chuyến thư"),
    ):
        body = {
            "tracking_code": order.tracking_code,
            "order_code": f"DH{order.id:06d}",
            "status_code": code,
            "status_name": name,
            "note": "",
            "locate": "Bưu cục khai thác Thái Nguyên",
            "datetime": local.strftime("%d/%m/%Y %H:%M:%S"),
        }
        stored = webhooks.store("ems", transaction, json.dumps(body, ensure_ascii=False).encode())
        webhooks.apply(stored.id)
