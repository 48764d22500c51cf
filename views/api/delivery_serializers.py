"""Delivery orders and their events as the API's JSON."""

from models.delivery import DeliveryEvent, DeliveryOrder
from views.api.serializers import iso, money


def order_dict(order: DeliveryOrder) -> dict:
    return {
        "tracking_code": order.tracking_code,
        "dossier_code": order.dossier.code,
        "status": order.status,
        "status_at": iso(order.status_at),
        "post_office_code": order.post_office.code if order.post_office else None,
        "recipient_name": order.recipient_name,
        "recipient_phone": order.recipient_phone,
        "recipient_address": order.recipient_address,
        "weight_grams": order.weight_grams,
        "postage": money(order.postage),
        "cod_amount": money(order.cod_amount),
        "failure_reason": None if order.status == "delivered" else order.failure_reason,
        "delivered_at": iso(order.delivered_at),
        "created_at": iso(order.created_at),
        "version": order.version,
    }


def event_dict(event: DeliveryEvent) -> dict:
    return {
        "status": event.status,
        "at": iso(event.at),
        "note": event.note,
        "source": event.source,
        "by": event.actor.username if event.actor else None,
        "recorded_at": iso(event.recorded_at),
    }


def order_detail(order: DeliveryOrder) -> dict:
    return {**order_dict(order), "events": [event_dict(e) for e in order.events]}


def public_delivery(order: DeliveryOrder) -> dict:
    """What the public look-up may show of a parcel: nothing personal."""
    return {
        "tracking_code": order.tracking_code,
        "status": order.status,
        "at": iso(order.status_at),
    }
