"""The carrier webhook inbox: store each call first, then apply it through the event rules.

``store`` keeps the raw body once per carrier transaction (its own commit) and reads it:
a body that cannot be read is kept ``refused`` with the reason; a readable one is kept
``pending``, and the integration listener writes the outbox row that applies it beside it
(``apply_calls``, the workers' batch). ``apply`` maps a stored
call (services.delivery.carriers) and applies it with ``events.apply_event`` in a
transaction of its own: ``applied`` (moved, kept in the timeline, or already there) or
``unapplied`` with the reason (a code nobody mapped, an unknown parcel, a move the
parcel cannot make yet). When a call moves its parcel, the parcel's unapplied calls are
tried again, oldest first: a carrier's events arriving out of order land as if they had
not. ``apply_pending`` applies what a request left behind (``flask webhooks
apply-pending``); ``reapply`` is the panel's «áp dụng lại», audited.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

import permissions
from extensions import db
from models.base import utcnow
from models.carrier import CARRIERS, INBOX_STATES, CarrierWebhook
from models.delivery import DeliveryEvent, DeliveryOrder
from services import audit
from services.delivery.carriers import map_status, parse
from services.delivery.events import Event, apply_event
from services.errors import Forbidden, NotFound, ServiceError, ValidationFailed
from services.transactions import transaction

ATTEMPTS = 3  # a call racing another on its parcel is applied again
APPLICABLE = ("pending", "unapplied")
MAX_REASON = 1000


@dataclass(frozen=True)
class CarrierActor:
    """Who reports a webhook's event: the carrier itself, not a person."""

    username: str
    id: None = None
    full_name: str = ""


@dataclass(frozen=True)
class Stored:
    """A call as the inbox holds it: the answer the carrier gets depends only on this."""

    id: int
    transaction_id: str
    state: str
    reason: str | None
    created: bool


def store(carrier: str, transaction_id: str, body: bytes, *, now=None) -> Stored:
    """Keep CARRIER's call TRANSACTION_ID (BODY as received), once; committed."""
    values = {
        "carrier": carrier,
        "transaction_id": transaction_id,
        "body": body,
        "received_at": now or utcnow(),
        "state": "pending",
        "attempts": 0,
    }
    try:
        reading = parse(carrier, body)
    except ValidationFailed as exc:
        values |= {"state": "refused", "reason": exc.message[:MAX_REASON]}
    else:
        values |= {
            "tracking_code": reading.tracking_code,
            "status_code": reading.status_code,
            "status_name": reading.status_name,
            "event_at": reading.at,
            "note": reading.note,
        }
    row = CarrierWebhook(**values)
    try:
        with transaction(expire=False):
            db.session.add(row)  # the outbox row that applies it is written beside it
    except IntegrityError:  # stored already (the carrier sent it again): answered the same
        kept = db.session.execute(
            select(CarrierWebhook.id, CarrierWebhook.state, CarrierWebhook.reason).where(
                CarrierWebhook.carrier == carrier,
                CarrierWebhook.transaction_id == transaction_id,
            )
        ).one_or_none()
        db.session.rollback()
        if kept is None:
            raise
        return Stored(kept.id, transaction_id, kept.state, kept.reason, False)
    return Stored(row.id, transaction_id, row.state, row.reason, True)


def apply(inbox_id: int, *, now=None, by=None, ip_address=None) -> str:
    """Apply the stored call INBOX_ID in its own transaction; its state afterwards.

    BY: the staff member who asked for it again (audited), None for the first time.
    """
    for attempt in range(ATTEMPTS):
        try:
            with transaction():
                return _apply(inbox_id, now or utcnow(), by, ip_address)
        except (IntegrityError, StaleDataError):
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _apply(inbox_id, now, by, ip_address) -> str:
    row = db.session.get(CarrierWebhook, inbox_id)
    if row is None:
        raise NotFound("Không tìm thấy lần gọi webhook này.")
    if row.state not in APPLICABLE:
        return row.state
    order = _locked_order(row.tracking_code)  # the parcel first: one writer per parcel
    row = db.session.scalar(
        select(CarrierWebhook)
        .where(CarrierWebhook.id == inbox_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    before = row.state
    if before not in APPLICABLE:
        return before
    if _apply_one(row, order, now) and order is not None:
        _retry_waiting(order, now)
    if by is not None:
        audit.record(
            "reapply",
            "carrier_webhook",
            row.id,
            actor=by,
            ip_address=ip_address,
            summary=f"{row}: {INBOX_STATES.vi(before)} → {INBOX_STATES.vi(row.state)}",
            changes={"before": {"state": before}, "after": {"state": row.state}},
        )
    return row.state


def _locked_order(tracking_code: str | None) -> DeliveryOrder | None:
    if not tracking_code:
        return None
    return db.session.scalar(
        select(DeliveryOrder)
        .options(joinedload(DeliveryOrder.dossier))
        .where(DeliveryOrder.tracking_code == tracking_code)
        .with_for_update(of=DeliveryOrder)
        .execution_options(populate_existing=True)
    )


def _apply_one(row: CarrierWebhook, order: DeliveryOrder | None, now: datetime) -> bool:
    """Map and apply ROW to ORDER; did it move the parcel?"""
    row.attempts += 1
    status = map_status(row.carrier, row.status_code, row.status_name)
    row.mapped_status = status
    if status is None:
        return _unapplied(
            row,
            f"Mã trạng thái «{row.status_code or ''}» («{row.status_name or ''}») của "
            f"{row.carrier.upper()} chưa có trong bảng ánh xạ, và tên trạng thái không khớp "
            "trạng thái nào: hãy bổ sung bảng ánh xạ rồi áp dụng lại.",
        )
    if order is None:
        return _unapplied(row, f"Không có bưu gửi nào mang mã «{row.tracking_code}».")
    known = set(
        db.session.execute(
            select(DeliveryEvent.status, DeliveryEvent.at).where(
                DeliveryEvent.delivery_order_id == order.id
            )
        ).tuples()
    )
    event = Event(status=status, at=row.event_at, note=row.note or row.status_name)
    actor = CarrierActor(username=f"webhook:{row.carrier}")
    try:
        result = apply_event(order, event, actor, known, source="tracking", now=now)
    except ServiceError as exc:
        return _unapplied(row, exc.message)
    if result == "kept":  # a new version all the same (see events.record_event)
        flag_modified(order, "status_at")
    added = [e for e in db.session.new if isinstance(e, DeliveryEvent)]
    db.session.flush()
    row.state, row.outcome, row.reason, row.applied_at = "applied", result, None, now
    if added:
        row.delivery_event_id = added[0].id
    else:  # a duplicate: the event it repeats
        row.delivery_event_id = db.session.scalar(
            select(DeliveryEvent.id).where(
                DeliveryEvent.delivery_order_id == order.id,
                DeliveryEvent.status == status,
                DeliveryEvent.at == row.event_at,
            )
        )
    return result == "applied"


def _unapplied(row: CarrierWebhook, reason: str) -> bool:
    row.state, row.outcome, row.reason = "unapplied", None, reason[:MAX_REASON]
    return False


def _retry_waiting(order: DeliveryOrder, now: datetime) -> None:
    """ORDER moved: its unapplied calls, oldest first, until none moves it further."""
    moved = True
    while moved:
        rows = db.session.scalars(
            select(CarrierWebhook)
            .where(
                CarrierWebhook.tracking_code == order.tracking_code,
                CarrierWebhook.state == "unapplied",
            )
            .order_by(CarrierWebhook.event_at, CarrierWebhook.id)
            .with_for_update(skip_locked=True)
        ).all()
        moved = False
        for row in rows:
            moved = _apply_one(row, order, now) or moved


def apply_calls(ids, *, now=None) -> Counter:
    """Apply the stored calls IDS (the outbox workers' batch), oldest event first, each in
    its own transaction: how many ended in each state. Calls applied already stay as they
    are, so a batch delivered twice changes nothing the second time."""
    ordered = db.session.scalars(
        select(CarrierWebhook.id)
        .where(CarrierWebhook.id.in_(list(ids)))
        .order_by(CarrierWebhook.event_at, CarrierWebhook.id)
    ).all()
    db.session.rollback()
    return Counter(apply(i, now=now) for i in ordered)


def apply_pending(limit: int = 1000, *, now=None) -> Counter:
    """Apply up to LIMIT calls still pending, oldest event first: how many ended in each state."""
    ids = db.session.scalars(
        select(CarrierWebhook.id)
        .where(CarrierWebhook.state == "pending")
        .order_by(CarrierWebhook.event_at, CarrierWebhook.id)
        .limit(limit)
    ).all()
    db.session.rollback()  # nothing read stays locked or cached
    return Counter(apply(i, now=now) for i in ids)


def reapply(ids, actor, *, ip_address=None, now=None) -> Counter:
    """The panel's «áp dụng lại»: ACTOR applies the unapplied calls IDS again, each audited."""
    if not permissions.can(actor, "carrier_webhook", "reapply"):
        raise Forbidden("Vai trò của bạn không được áp dụng lại webhook của đơn vị vận chuyển.")
    wanted = db.session.scalars(
        select(CarrierWebhook.id).where(
            CarrierWebhook.id.in_(list(ids)), CarrierWebhook.state.in_(APPLICABLE)
        )
    ).all()
    db.session.rollback()
    return Counter(apply(i, now=now, by=actor, ip_address=ip_address) for i in sorted(wanted))


def carrier_name(carrier: str) -> str:
    return CARRIERS.vi(carrier)
