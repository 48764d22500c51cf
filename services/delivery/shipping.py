"""Results returned by post: ship a dossier's result (services.delivery.events follows
the parcel afterwards).

``ship`` checks the shipment, creates the delivery order with its first event
and moves the dossier ``result_at_counter`` → ``in_delivery``, all in the
caller's transaction.
"""

from dataclasses import dataclass

from sqlalchemy import false, select

import permissions
from extensions import db
from models.base import utcnow
from models.delivery import DeliveryEvent, DeliveryOrder
from models.dossier import Dossier
from services import audit
from services.delivery.postage import check_weight, postage_for, zone_of
from services.dossiers import workflow
from services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from vietnam.addresses import full_address, province_name, ward_name
from vietnam.validation import normalise_phone, normalise_tracking_code

MAX_COD, MAX_POSTAGE = 1_000_000_000, 100_000_000


@dataclass
class Shipment:
    """What the clerk (or the API) gives to ship a result."""

    tracking_code: str | None = None
    recipient_name: str | None = None
    recipient_phone: str | None = None
    province_code: int | None = None
    ward_code: int | None = None
    street: str | None = None
    address: str | None = None  # a whole address line, when not given in parts
    weight_grams: int | None = None
    postage: int | None = None
    cod_amount: int | None = None
    note: str | None = None


def fees_due(dossier: Dossier) -> int:
    """The procedure's fees not collected at receipt: collected on delivery by default."""
    return max((dossier.procedure_type.fee or 0) - (dossier.fee_amount or 0), 0)


def shipment_from(dossier: Dossier) -> Shipment:
    """The recipient prefilled from the applicant, COD from the fees still due."""
    return Shipment(
        recipient_name=dossier.organization_name or dossier.applicant_name,
        recipient_phone=dossier.applicant_phone,
        province_code=dossier.applicant_province_code,
        ward_code=dossier.applicant_ward_code,
        street=dossier.applicant_street,
        address=None if dossier.applicant_province_code else dossier.applicant_address,
        weight_grams=100,
        cod_amount=fees_due(dossier),
    )


# A dossier that may be shipped: its result back at the counter, meant for the post.
SHIPPABLE = {"status": "result_at_counter", "return_method": "post"}


def may_ship(dossier: Dossier, user) -> bool:
    """Is shipping open to USER for DOSSIER now (for the dossier page's button)?"""
    return (
        all(getattr(dossier, name) == value for name, value in SHIPPABLE.items())
        and permissions.in_scope(user, "dossier", dossier)
        and may_ship_any(user)
    )


def may_ship_any(user) -> bool:
    return permissions.can(user, "dossier", "ship") and permissions.can(
        user, "delivery_order", "create"
    )


def shippable(query, user):
    """QUERY (of dossiers, in USER's scope) narrowed to those USER may ship now."""
    if not may_ship_any(user):
        return query.where(false())
    return query.where(*(getattr(Dossier, name) == value for name, value in SHIPPABLE.items()))


def ship(dossier, actor, shipment: Shipment, *, order=None, now=None, ip_address=None):
    """Ship DOSSIER's result by post: a new delivery order (or ORDER, filled in), the
    dossier ``result_at_counter`` → ``in_delivery``. Raises a ServiceError."""
    if dossier is None or not permissions.in_scope(actor, "dossier", dossier):
        raise NotFound("Không tìm thấy hồ sơ.", {"dossier": "Không tìm thấy."})
    if not permissions.can(actor, "delivery_order", "create"):
        raise Forbidden("Vai trò của bạn không được tạo phiếu chuyển phát.")
    now = (now or utcnow()).replace(microsecond=0)  # feeds speak in whole seconds
    order = order if order is not None else DeliveryOrder()
    # The panel's ORDER is in the session already, still half-filled: no flush before it is.
    with db.session.no_autoflush:
        workflow.check_shippable(dossier, actor)
        _fill(order, shipment)
        _check_unused(order.tracking_code)
        order.dossier = dossier
        order.post_office_id = (
            actor.agency_id if actor.agency.kind == "post_office" else dossier.post_office_id
        )
        order.status, order.status_at, order.created_at = "created", now, now
        order.created_by_id = actor.id
        order.events = [
            DeliveryEvent(
                status="created", at=now, source="manual", actor_id=actor.id, note=shipment.note
            )
        ]
    db.session.add(order)
    workflow.ship(dossier, actor, tracking_code=order.tracking_code, now=now, ip_address=ip_address)
    audit.record(
        "create",
        "delivery_order",
        order.id,
        actor=actor,
        ip_address=ip_address,
        summary=f"{order.tracking_code}: {dossier.code}",
        changes={"after": audit.snapshot(order)},
    )
    return order


def _fill(order: DeliveryOrder, s: Shipment) -> None:
    """Check the shipment's fields, all at once, and copy them onto ORDER."""
    errors: dict[str, str] = {}

    def check(field, action):
        try:
            return action()
        except (ValueError, ValidationFailed) as exc:
            errors[field] = getattr(exc, "message", None) or str(exc)
            return None

    order.tracking_code = check("tracking_code", lambda: normalise_tracking_code(s.tracking_code))
    order.recipient_name = check("recipient_name", lambda: _text(s.recipient_name, 200))
    order.recipient_phone = check("recipient_phone", lambda: normalise_phone(s.recipient_phone))
    order.recipient_address = check("recipient_address", lambda: _address(order, s))
    order.weight_grams = check(
        "weight_grams", lambda: None if s.weight_grams is None else check_weight(s.weight_grams)
    )
    order.cod_amount = check("cod_amount", lambda: _money(s.cod_amount, MAX_COD, 0))
    if s.postage is not None:
        order.postage = check("postage", lambda: _money(s.postage, MAX_POSTAGE, 0))
    elif order.weight_grams is not None:
        zone = zone_of(order.recipient_province_code)
        order.postage = check("postage", lambda: postage_for(order.weight_grams, zone))
    elif "weight_grams" not in errors:
        errors["postage"] = "Nhập khối lượng (để tính theo bảng giá) hoặc cước phí."
    if errors:
        raise ValidationFailed("Thông tin chuyển phát chưa hợp lệ.", errors)


def _text(value, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValueError("Bắt buộc.")
    if len(value) > limit:
        raise ValueError(f"Tối đa {limit} ký tự.")
    return value


def _money(value, limit: int, default: int) -> int:
    value = default if value is None else value
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
        raise ValueError(f"Phải là số tiền từ 0 đến {limit:,} đồng.".replace(",", "."))
    return value


def _address(order: DeliveryOrder, s: Shipment) -> str:
    """The recipient's address from province, ward and street, or the line given."""
    if s.province_code:
        if province_name(s.province_code) is None:
            raise ValueError("Tỉnh/thành phố không hợp lệ.")
        if s.ward_code and ward_name(s.province_code, s.ward_code) is None:
            raise ValueError("Phường/xã không thuộc tỉnh/thành phố đã chọn.")
        if not s.ward_code or not (s.street or "").strip():
            raise ValueError("Cần đủ phường/xã và số nhà, đường.")
        order.recipient_province_code, order.recipient_ward_code = s.province_code, s.ward_code
        order.recipient_street = _text(s.street, 255)
        return full_address(order.recipient_street, s.province_code, s.ward_code)
    return _text(s.address, 500)


def _check_unused(tracking_code: str) -> None:
    taken = db.session.scalar(
        select(DeliveryOrder.id).where(DeliveryOrder.tracking_code == tracking_code)
    )
    if taken is not None:
        raise Conflict(
            f"Mã bưu gửi {tracking_code} đã được dùng cho một phiếu khác.",
            {"tracking_code": "Đã được dùng."},
        )


def latest_order(dossier: Dossier) -> DeliveryOrder | None:
    """The dossier's most recent parcel, if its result was ever shipped."""
    return db.session.scalar(
        select(DeliveryOrder)
        .where(DeliveryOrder.dossier_id == dossier.id)
        .order_by(DeliveryOrder.created_at.desc(), DeliveryOrder.id.desc())
        .limit(1)
    )
