"""A parcel's status events, from post staff or the postal tracking feed.

``record_event`` applies one event along MOVES, the same moves for post staff and
for the feed. An event already stored (same order, status and time) is a
duplicate; one older than the order's latest, or repeating the status in force
(a parcel passing a second sorting office), is kept in the timeline without
moving the status (a late failure still gives the reason, when it is the latest one).
Events dated before the order was created are refused, and
a timeline holds at most ``DELIVERY_MAX_EVENTS``. ``delivered`` returns the
dossier; ``returned_to_sender`` brings it back to the counter.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm.attributes import flag_modified

import permissions
from extensions import db
from models.base import utcnow
from models.delivery import DELIVERY_STATUSES, DeliveryEvent, DeliveryOrder
from models.dossier_actions import ACTIONS, TRACKING_EVENT
from services.calendar import LOCAL_TZ
from services.dossiers import workflow
from services.errors import Conflict, Forbidden, NotFound, ValidationFailed

# Who reports a move does not matter: post staff may record what the feed may, so a
# parcel handed straight to the postman after acceptance is entered as it happened.
MOVES = {
    "created": ("accepted",),
    "accepted": ("in_transit", "out_for_delivery"),
    "in_transit": ("out_for_delivery",),
    "out_for_delivery": ("delivered", "failed", "returned_to_sender"),
    "failed": ("out_for_delivery", "returned_to_sender"),
    "delivered": (),
    "returned_to_sender": (),
}
#: Parcel statuses that move the dossier: the workflow's moves a tracking event makes.
DOSSIER_MOVES = tuple(a.name for a in ACTIONS if a.permission == TRACKING_EVENT)
MAX_NOTE = 1000
CLOCK_SKEW = timedelta(minutes=5)
DEFAULT_MAX_EVENTS = 200


@dataclass(frozen=True)
class Event:
    """One status event as staff or the feed report it."""

    status: str
    at: datetime | None = None
    note: str | None = None


def record_event(order, event: Event, actor, *, source="manual", now=None, ip_address=None):
    """Apply EVENT to ORDER as ACTOR: ``applied``, ``kept`` (older than the latest, or
    a repeat of the status in force: in the timeline, status unchanged) or
    ``duplicate``. Refusals raise a ServiceError."""
    if not permissions.can(actor, "delivery_order", "record_event"):
        raise Forbidden("Vai trò của bạn không được ghi trạng thái bưu gửi.")
    if not permissions.in_scope(actor, "delivery_order", order):
        raise NotFound("Không tìm thấy bưu gửi.")
    existing = {(e.status, e.at) for e in order.events}
    result = apply_event(order, event, actor, existing, source=source, now=now, ip=ip_address)
    if result == "kept":  # a new version all the same: a writer who read it before retries
        flag_modified(order, "status_at")
    return result


def apply_event(
    order, event: Event, actor, existing: set, *, source, now=None, ip=None, flush=True
) -> str:
    """RECORD_EVENT once the caller has checked permission and scope; EXISTING holds
    the (status, at) pairs ORDER already has, and gains this one. FLUSH False: the
    caller flushes once for a whole batch."""
    now = now or utcnow()
    at, note = _check_event(event, now)
    if (event.status, at) in existing:
        return "duplicate"
    _check_timeline(order, at, len(existing))
    # Older than the parcel's latest event (not only the one that set its status: a repeat
    # of the status in force is in the timeline too), or a repeat: kept, no move.
    latest = max((t for _, t in existing), default=order.status_at)
    kept = at < max(latest, order.status_at) or event.status == order.status
    if not kept:
        _check_move(order, event.status)
    # By the order's id: its events need not be loaded (a feed adds thousands).
    db.session.add(
        DeliveryEvent(
            delivery_order_id=order.id,
            status=event.status,
            at=at,
            note=note,
            source=source,
            actor_id=actor.id,
        )
    )
    latest_failure = max((t for s, t in existing if s == "failed"), default=None)
    existing.add((event.status, at))
    if kept:
        _keep(order, event.status, at, note, latest_failure, existing)
        return "kept"
    order.status, order.status_at = event.status, at
    if event.status == "failed":
        order.failure_reason = note
    if event.status == "delivered":  # an earlier attempt's reason no longer holds
        order.delivered_at, order.failure_reason = at, None
    if event.status in DOSSIER_MOVES:
        _move_dossier(order, event.status, at, actor, note, ip, flush)
    return "applied"


def _keep(order, status, at, note, latest_failure, existing) -> None:
    """An event that does not move ORDER still tells what holds, whatever order they came
    in: a late failure gives the parcel its reason when it is the latest failure (until the
    parcel is delivered); a late event between the status in force and its repeats means the
    status was reached again only at the first repeat after it."""
    if status != order.status and order.status_at < at:
        order.status_at = min(
            (t for s, t in existing if s == order.status and t > at), default=order.status_at
        )
    latest = latest_failure is None or at > latest_failure
    if status == "failed" and order.status != "delivered" and latest:
        order.failure_reason = note


def _check_event(event: Event, now: datetime) -> tuple[datetime, str | None]:
    if event.status not in DELIVERY_STATUSES:
        raise ValidationFailed(
            f"Trạng thái «{event.status}» không tồn tại; dùng một trong: "
            + ", ".join(DELIVERY_STATUSES)
            + ".",
            {"status": "Không hợp lệ."},
        )
    at = event.at or now.replace(microsecond=0)
    if at.tzinfo is None:
        raise ValidationFailed("Thời điểm phải kèm múi giờ.", {"at": "Thiếu múi giờ."})
    if at > now + CLOCK_SKEW:
        raise ValidationFailed(
            "Thời điểm của sự kiện không được ở tương lai.", {"at": "Tương lai."}
        )
    note = (event.note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise ValidationFailed(f"Ghi chú tối đa {MAX_NOTE} ký tự.", {"note": "Quá dài."})
    if event.status == "failed" and not note:
        raise ValidationFailed(
            "Phát không thành công: vui lòng ghi rõ lý do.", {"note": "Bắt buộc."}
        )
    return at, note


def _check_timeline(order: DeliveryOrder, at: datetime, count: int) -> None:
    """Refuse an event dated before ORDER existed, or one more than its timeline holds."""
    if at < order.created_at:
        created = order.created_at.astimezone(LOCAL_TZ).strftime("%H:%M:%S %d/%m/%Y")
        raise ValidationFailed(
            f"Sự kiện của bưu gửi {order.tracking_code} có thời điểm trước khi phiếu chuyển "
            f"phát được tạo ({created}): không ghi nhận.",
            {"at": "Trước khi tạo phiếu chuyển phát."},
        )
    limit = int(current_app.config.get("DELIVERY_MAX_EVENTS", DEFAULT_MAX_EVENTS))
    if count >= limit:
        raise Conflict(
            f"Bưu gửi {order.tracking_code} đã có {count} sự kiện, tối đa {limit}: "
            "không ghi nhận thêm.",
            {"status": "Quá nhiều sự kiện."},
        )


def _check_move(order: DeliveryOrder, status: str) -> None:
    if status not in MOVES[order.status]:
        raise Conflict(
            f"Bưu gửi {order.tracking_code} đang ở trạng thái "
            f"«{DELIVERY_STATUSES.vi(order.status)}»: "
            f"không thể chuyển sang «{DELIVERY_STATUSES.vi(status)}».",
            {"status": "Không được phép từ trạng thái hiện tại."},
        )
    if status in DOSSIER_MOVES and order.dossier.status != "in_delivery":
        raise Conflict(
            f"Hồ sơ {order.dossier.code} không còn ở trạng thái «đang chuyển phát».",
            {"status": "Hồ sơ không ở trạng thái đang chuyển phát."},
        )


def _move_dossier(order, status, at, actor, note, ip, flush) -> None:
    dossier = order.dossier
    data = {"tracking_code": order.tracking_code}
    workflow.move(
        dossier,
        status,
        workflow.SYSTEM_MOVES[status],
        actor,
        note=note,
        data=data,
        now=at,
        ip_address=ip,
        flush=flush,
    )
    if status == "delivered":
        dossier.returned_at = at


def next_statuses(order: DeliveryOrder) -> tuple[str, ...]:
    """The statuses post staff may record next on ORDER."""
    return MOVES[order.status]
