"""What carried a dossier: the handover batches it went in and the parcels of its result,
read together in one statement (the dossier's page shows both, and its print buttons ask
whether a batch has carried it). Rows are not narrowed here: a caller showing them to a
user keeps those in the user's scope (``permissions.in_scope``)."""

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import joinedload

import permissions
from extensions import db
from models.base import BigId
from models.delivery import DeliveryOrder
from models.dossier import Dossier
from models.handover import Handover, HandoverItem
from models.user import named_only

SENT = ("sent", "confirmed")


@dataclass
class Transfers:
    """A dossier's batches (with its line in each), oldest first; its parcels, newest first."""

    batches: list[tuple[Handover, HandoverItem]] = field(default_factory=list)
    orders: list[DeliveryOrder] = field(default_factory=list)

    @property
    def sent_batches(self) -> list[tuple[Handover, HandoverItem]]:
        """The batches that really left the sender (a control slip row each)."""
        return [(b, i) for b, i in self.batches if b.status in SENT]

    @property
    def held_by(self) -> str | None:
        """The code of the sent, unconfirmed batch the dossier travels in, if any."""
        return next((b.code for b, i in self.batches if i.open_dossier_id is not None), None)


@cache
def _query():
    """The statement (made once; the dossier's id is its parameter). A batch row and a
    parcel row share each result row (batches × parcels, a few at most): both are
    outer-joined to the one-row anchor of the id, so either list may be empty.

    The anchor is not the dossier's table: a statement that reads a partitioned table
    is planned again on every run (PostgreSQL keeps no plan that reads every partition);
    without it, a prepared statement keeps its plan, and the page saves a millisecond.
    """
    wanted = select(bindparam("dossier_id", type_=BigId).label("id")).subquery("wanted")
    return (
        select(HandoverItem, Handover, DeliveryOrder)
        .select_from(wanted)
        .outerjoin(HandoverItem, HandoverItem.dossier_id == wanted.c.id)
        .outerjoin(Handover, Handover.id == HandoverItem.handover_id)
        .outerjoin(DeliveryOrder, DeliveryOrder.dossier_id == wanted.c.id)
        .options(
            joinedload(Handover.from_agency),
            joinedload(Handover.to_agency),
            named_only(Handover.created_by),
            named_only(Handover.confirmed_by),
        )
    )


def carried():
    """Whether a batch or a parcel ever carried the dossier, as a column of its own
    statement (an index probe each, ``with_expression(Dossier.carried, carried())``): a
    dossier just received, the one a clerk opens most, then needs no statement here."""
    return exists().where(HandoverItem.dossier_id == Dossier.id) | exists().where(
        DeliveryOrder.dossier_id == Dossier.id
    )


def transfers_of(dossier: Dossier) -> Transfers:
    """DOSSIER's batches and parcels, in one statement however many there are; none
    read when DOSSIER was loaded knowing nothing carried it (``carried``)."""
    if dossier.carried is False:
        return Transfers()
    batches: dict[int, tuple[Handover, HandoverItem]] = {}
    orders: dict[int, DeliveryOrder] = {}
    for item, batch, order in db.session.execute(_query(), {"dossier_id": dossier.id}):
        if item is not None:
            batches.setdefault(item.id, (batch, item))
        if order is not None:
            orders.setdefault(order.id, order)
    return Transfers(
        batches=sorted(batches.values(), key=lambda pair: (pair[0].created_at, pair[0].id)),
        orders=sorted(orders.values(), key=lambda o: (o.created_at, o.id), reverse=True),
    )


def visible_to(user, transfers: Transfers) -> Transfers:
    """The batches and parcels of TRANSFERS that USER may see: their screen's view
    right, then each row's scope (the same answers as those screens' own lists)."""
    batches = orders = []
    if permissions.can(user, "handover", "view"):
        batches = [p for p in transfers.batches if permissions.in_scope(user, "handover", p[0])]
    if permissions.can(user, "delivery_order", "view"):
        orders = [o for o in transfers.orders if permissions.in_scope(user, "delivery_order", o)]
    return Transfers(batches=batches, orders=orders)
