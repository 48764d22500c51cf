"""What the dossier's page shows of its parcels (templates/admin/dossier/_deliveries.html)."""

from types import SimpleNamespace

from flask import url_for
from flask_login import current_user
from sqlalchemy import select

import permissions
from extensions import db
from models.delivery import DeliveryOrder
from services.deliveries import may_ship
from views import labels


def dossier_deliveries(dossier) -> SimpleNamespace:
    """The dossier's delivery orders the user may see, newest first, and the ship link."""
    orders = []
    if permissions.can(current_user, "delivery_order", "view"):
        query = select(DeliveryOrder).where(DeliveryOrder.dossier_id == dossier.id)
        query = permissions.scope(current_user, "delivery_order", query)
        orders = db.session.scalars(query.order_by(DeliveryOrder.created_at.desc())).all()
    ship_url = None
    if may_ship(dossier, current_user):
        ship_url = url_for(
            "delivery_order.create_view",
            dossier=dossier.id,
            url=url_for("dossier.details_view", id=dossier.id),
        )
    return SimpleNamespace(
        orders=orders,
        ship_url=ship_url,
        status_label=lambda s: str(labels.DELIVERY_STATUS.get(s, s)),
    )
