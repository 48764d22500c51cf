"""Shipping a demo result by post: the order, its tracking events and the workflow moves.

Until the delivery service exists, the order is built here; the dossier moves
through services.dossiers.workflow.move like any other, with history and audit.
"""

import random
from datetime import datetime, timedelta

from extensions import db
from models import DeliveryEvent, DeliveryOrder, Dossier, User
from services.dossiers import workflow
from vietnam.validation import s10_check_digit


def tracking_code(rng: random.Random) -> str:
    serial = f"{rng.randrange(10**8):08d}"
    return f"EB{serial}{s10_check_digit(serial)}VN"


def ship(dossier: Dossier, clerk: User, when: datetime, rng: random.Random) -> DeliveryOrder:
    """Ship DOSSIER's result at WHEN: a delivery order on its way, the dossier in_delivery."""
    code = tracking_code(rng)
    workflow.move(
        dossier, "ship", workflow.SYSTEM_MOVES["ship"], clerk, data={"tracking_code": code},
        now=when,
    )  # fmt: skip
    order = DeliveryOrder(
        dossier=dossier,
        tracking_code=code,
        post_office_id=dossier.post_office_id or clerk.agency_id,
        status="in_transit",
        recipient_name=dossier.applicant_name,
        recipient_phone=dossier.applicant_phone,
        recipient_province_code=dossier.applicant_province_code,
        recipient_ward_code=dossier.applicant_ward_code,
        recipient_street=dossier.applicant_street,
        recipient_address=dossier.applicant_address or "",
        postage=rng.choice([22_000, 25_000, 32_000]),
        cod_amount=0,
        created_at=when,
        created_by_id=clerk.id,
    )
    order.events = [
        DeliveryEvent(
            status=s, at=when + timedelta(hours=3 * i), source="tracking" if i else "manual"
        )
        for i, s in enumerate(("created", "accepted", "in_transit"))
    ]
    db.session.add(order)
    return order


def deliver(dossier: Dossier, when: datetime) -> None:
    """The postman hands the result over at WHEN: the order delivered, the dossier returned."""
    order = db.session.query(DeliveryOrder).filter_by(dossier_id=dossier.id).one()
    order.status, order.delivered_at = "delivered", when
    order.events += [
        DeliveryEvent(status="out_for_delivery", at=when - timedelta(hours=2), source="tracking"),
        DeliveryEvent(status="delivered", at=when, source="tracking"),
    ]
    dossier.returned_at = when
    workflow.move(dossier, "delivered", workflow.SYSTEM_MOVES["delivered"], None, now=when)
