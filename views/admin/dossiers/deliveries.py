"""What the dossier's page shows of its parcels (templates/admin/dossier/_deliveries.html)."""

from types import SimpleNamespace

from flask import url_for
from flask_login import current_user

from models.delivery import DELIVERY_STATUSES
from services.delivery.shipping import may_ship
from services.dossiers.transfers import visible_to


def dossier_deliveries(dossier, transfers) -> SimpleNamespace:
    """The delivery orders of DOSSIER's TRANSFERS the user may see, newest first, and the
    ship link."""
    ship_url = None
    if may_ship(dossier, current_user):
        ship_url = url_for(
            "delivery_order.create_view",
            dossier=dossier.id,
            url=url_for("dossier.details_view", id=dossier.id),
        )
    return SimpleNamespace(
        orders=visible_to(current_user, transfers).orders,
        ship_url=ship_url,
        status_label=lambda s: str(DELIVERY_STATUSES.label(s)),
    )
