"""The postal tracking feed: a batch of parcel events, answered event by event.

The batch is one transaction. Its orders and their known events are read in two
queries, the events applied oldest first (so a batch that lists them out of
order lands as if it had not), and each answered ``applied``, ``duplicate`` or
``refused`` with the reason and the parcel's status once the batch is in; a
refused event writes nothing.
"""

from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

import permissions
from extensions import db
from models.base import utcnow
from models.delivery import DeliveryEvent, DeliveryOrder
from models.dossier import Dossier
from services.delivery.events import Event, apply_event
from services.errors import Forbidden, ServiceError
from vietnam.validation import normalise_tracking_code


@dataclass
class FeedItem:
    """One event of a batch: where it was in the batch, its parcel, the event itself."""

    index: int
    tracking_code: str
    event: Event


@dataclass
class Outcome:
    index: int
    tracking_code: str | None
    result: str  # applied | duplicate | refused
    moved: bool = False
    order_status: str | None = None
    message: str | None = None
    fields: dict | None = None


def record_events(items: list[FeedItem], actor, *, source="tracking", now=None, ip_address=None):
    """Apply ITEMS as ACTOR; the outcomes, in ITEMS' order."""
    if not permissions.can(actor, "delivery_order", "record_event"):
        raise Forbidden("Vai trò của bạn không được ghi trạng thái bưu gửi.")
    now = now or utcnow()
    codes = {item.tracking_code: _code_or_none(item.tracking_code) for item in items}
    orders = _orders(actor, {c for c in codes.values() if c})
    known = _known_events([o.id for o in orders.values()])
    outcomes, answered = [], []
    for item in sorted(items, key=lambda i: (i.event.at or now, i.index)):
        order = orders.get(codes[item.tracking_code])
        if order is None:
            outcomes.append(_unknown(item))
            continue
        outcome = _apply(item, order, actor, known[order.id], source, now, ip_address)
        outcomes.append(outcome)
        answered.append((outcome, order))
    for outcome, order in answered:  # where the parcel stands once the batch is in
        outcome.order_status = order.status
    # Every order that gained an event gets a new version, moved or not: a concurrent
    # writer who read it before must read it again (its state may no longer hold).
    touched = {o.tracking_code for o in outcomes if o.result == "applied"}
    _write_orders([o for o in orders.values() if o.tracking_code in touched])
    db.session.flush()
    return sorted(outcomes, key=lambda o: o.index)


def _code_or_none(code: str) -> str | None:
    try:
        return normalise_tracking_code(code)
    except ValueError:
        return None


def _apply(item, order, actor, known, source, now, ip_address) -> Outcome:
    """One event of the batch, its refusal caught as its answer."""
    try:
        result = apply_event(
            order, item.event, actor, known, source=source, now=now, ip=ip_address, flush=False
        )
    except ServiceError as exc:
        return Outcome(
            item.index, order.tracking_code, "refused", False, order.status, exc.message, exc.fields
        )
    shown = "duplicate" if result == "duplicate" else "applied"  # "kept" is stored too
    return Outcome(item.index, order.tracking_code, shown, result == "applied", order.status)


ORDER_STATE = ("status", "status_at", "failure_reason", "delivered_at")


def _write_orders(orders: list[DeliveryOrder]) -> None:
    """One executemany UPDATE for the orders the batch wrote to, each checked against the
    version it was read at.

    The ORM would send one UPDATE per versioned row. PostgreSQL locked the rows when
    they were read (FOR UPDATE); SQLite has no such lock, so two feeds moving one
    parcel at once would both write from the same state: the version in the WHERE
    makes the later one miss, raise StaleDataError, and the caller applies it again.
    """
    if not orders:
        return
    table = DeliveryOrder.__table__
    statement = (
        update(table)
        .where(table.c.id == bindparam("order_id"), table.c.version == bindparam("seen"))
        .values({name: bindparam(name) for name in (*ORDER_STATE, "version")})
    )
    rows = [
        {
            "order_id": o.id,
            "seen": o.version,
            **{n: getattr(o, n) for n in ORDER_STATE},
            "version": o.version + 1,
        }
        for o in orders
    ]
    written = db.session.execute(statement, rows).rowcount
    if written != len(rows):
        raise StaleDataError(
            f"{len(rows) - written} delivery order(s) changed since the batch read them."
        )
    for order, row in zip(orders, rows, strict=True):
        for name in (*ORDER_STATE, "version"):
            set_committed_value(order, name, row[name])


def _orders(actor, codes: set[str]) -> dict[str, DeliveryOrder]:
    if not codes:
        return {}
    query = (
        select(DeliveryOrder)
        .options(
            joinedload(DeliveryOrder.dossier).selectinload(Dossier.history),
        )
        .where(DeliveryOrder.tracking_code.in_(sorted(codes)))
    )
    # Locked in a steady order: two feeds on the same parcels wait for each other.
    query = query.order_by(DeliveryOrder.id).with_for_update(of=DeliveryOrder)
    rows = db.session.scalars(permissions.scope(actor, "delivery_order", query)).unique()
    return {o.tracking_code: o for o in rows}


def _known_events(order_ids: list[int]) -> dict[int, set]:
    known: dict[int, set] = {i: set() for i in order_ids}
    if order_ids:
        rows = db.session.execute(
            select(DeliveryEvent.delivery_order_id, DeliveryEvent.status, DeliveryEvent.at).where(
                DeliveryEvent.delivery_order_id.in_(order_ids)
            )
        )
        for order_id, status, at in rows:
            known[order_id].add((status, at))
    return known


def _unknown(item: FeedItem) -> Outcome:
    return Outcome(
        item.index,
        item.tracking_code,
        "refused",
        message=f"Không có bưu gửi nào mang mã «{item.tracking_code}» trong phạm vi của bạn.",
        fields={"tracking_code": "Không tìm thấy."},
    )
