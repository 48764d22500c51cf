"""Results by post: ship, list, read, and the postal tracking feed (one event or a batch).

Thin over services.delivery.shipping and services.delivery.feed; reads are scoped with
permissions.scope; each call is one transaction.
"""

from datetime import timedelta

from flask import current_app, jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

import permissions
from extensions import db
from models.delivery import DELIVERY_STATUSES, DeliveryEvent, DeliveryOrder
from models.user import ROLE_NAMES
from services.calendar import day_start
from services.delivery import events as delivery_events
from services.delivery import shipping
from services.delivery.feed import FeedItem, record_events
from services.errors import NotFound
from services.transactions import transaction
from views.api.auth import current_api_user, token_required
from views.api.blueprint import bp
from views.api.delivery_serializers import order_detail, order_dict
from views.api.dossiers import DEFAULT_PER_PAGE, MAX_PER_PAGE, require, visible_dossier
from views.api.errors import ApiError
from views.api.inputs import Fields, json_object, positive_int, query_args, query_day

ATTEMPTS = 3  # a batch racing another on the same parcels is applied again, duplicates found
_EAGER = (
    joinedload(DeliveryOrder.dossier),
    joinedload(DeliveryOrder.post_office),
)


def visible_order(user, tracking_code: str) -> DeliveryOrder:
    """The order TRACKING_CODE if USER may see it; 404 alike for missing and out of scope."""
    require(user, "delivery_order", "view", "Vai trò của bạn không được xem phiếu chuyển phát.")
    code = tracking_code.strip().upper()[:13]
    query = (
        select(DeliveryOrder)
        .options(*_EAGER, selectinload(DeliveryOrder.events).joinedload(DeliveryEvent.actor))
        .where(DeliveryOrder.tracking_code == code)
    )
    order = (
        None
        if "\x00" in code
        else db.session.scalar(permissions.scope(user, "delivery_order", query))
    )
    if order is None:
        raise NotFound("Không tìm thấy bưu gửi.")
    return order


@bp.post("/delivery-orders")
@token_required
def ship_result():
    """Ship a result by post: 201 with the order; the dossier goes to in_delivery."""
    user = current_api_user()
    require(user, "delivery_order", "create", "Vai trò của bạn không được tạo phiếu chuyển phát.")
    fields = Fields(json_object())
    code = fields.text("dossier_code")
    shipment = shipping.Shipment(
        tracking_code=fields.text("tracking_code"),
        recipient_name=fields.text("recipient_name"),
        recipient_phone=fields.text("recipient_phone"),
        address=fields.text("recipient_address"),
        province_code=fields.integer("recipient_province_code"),
        ward_code=fields.integer("recipient_ward_code"),
        street=fields.text("recipient_street"),
        weight_grams=fields.integer("weight_grams"),
        postage=fields.integer("postage"),
        cod_amount=fields.integer("cod_amount"),
        note=fields.text("note", max_length=1000),
    )
    fields.check()
    if not (code or "").strip():
        raise ApiError(422, "Vui lòng cho biết mã hồ sơ.", {"dossier_code": "Bắt buộc."})
    dossier = visible_dossier(user, code.strip())
    with transaction():
        order = shipping.ship(dossier, user, shipment, ip_address=request.remote_addr)
    response = jsonify(order_detail(order))
    response.status_code = 201
    response.headers["Location"] = url_for(
        "api.get_delivery_order", tracking_code=order.tracking_code
    )
    return response


@bp.get("/delivery-orders")
@token_required
def list_delivery_orders():
    """Orders in the caller's scope, newest first, a page at a time (no COUNT)."""
    user = current_api_user()
    require(user, "delivery_order", "view", "Vai trò của bạn không được xem phiếu chuyển phát.")
    args, errors = query_args(), {}
    page = positive_int(args, "page", 1, errors)
    per_page = min(positive_int(args, "per_page", DEFAULT_PER_PAGE, errors), MAX_PER_PAGE)
    status = args.get("status", "").strip()
    if status and status not in DELIVERY_STATUSES:
        errors["status"] = "Phải là một trong: " + ", ".join(DELIVERY_STATUSES)
    start, end = query_day(args, "from", errors), query_day(args, "to", errors)
    if errors:
        raise ApiError(422, "Tham số truy vấn chưa hợp lệ.", errors)
    query = permissions.scope(user, "delivery_order", select(DeliveryOrder).options(*_EAGER))
    if status:
        query = query.where(DeliveryOrder.status == status)
    if start:
        query = query.where(DeliveryOrder.created_at >= day_start(start))
    if end:
        query = query.where(DeliveryOrder.created_at < day_start(end + timedelta(days=1)))
    rows = db.session.scalars(
        query.order_by(DeliveryOrder.created_at.desc(), DeliveryOrder.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    return jsonify(
        items=[order_dict(o) for o in rows[:per_page]],
        page=page,
        per_page=per_page,
        has_next=len(rows) > per_page,
    )


@bp.get("/delivery-orders/<tracking_code>")
@token_required
def get_delivery_order(tracking_code: str):
    """One order with its events, oldest first."""
    return jsonify(order_detail(visible_order(current_api_user(), tracking_code)))


@bp.post("/delivery-orders/<tracking_code>/events")
@token_required
def record_delivery_event(tracking_code: str):
    """One event: 201 when stored, 200 when it was already there."""
    user = current_api_user()
    require(
        user, "delivery_order", "record_event", "Vai trò của bạn không được ghi trạng thái bưu gửi."
    )
    event = _event(Fields(json_object()))
    for attempt in range(ATTEMPTS):  # the same event racing in twice: the second is a duplicate
        order = visible_order(user, tracking_code)
        try:
            with transaction():
                result = delivery_events.record_event(
                    order, event, user, source="tracking", ip_address=request.remote_addr
                )
            break
        except (IntegrityError, StaleDataError):
            if attempt == ATTEMPTS - 1:
                raise
    db.session.expire(order)
    body = {
        "result": "duplicate" if result == "duplicate" else "applied",
        "moved": result == "applied",
    }
    response = jsonify({**body, "order": order_detail(visible_order(user, tracking_code))})
    response.status_code = 200 if result == "duplicate" else 201
    return response


def _event(fields: Fields) -> delivery_events.Event:
    status, note = fields.text("status"), fields.text("note")
    at = fields.instant("at")
    fields.check()
    if not (status or "").strip():
        raise ApiError(422, "Vui lòng cho biết trạng thái.", {"status": "Bắt buộc."})
    return delivery_events.Event(status=status.strip(), at=at, note=note)


@bp.post("/delivery-events")
@token_required
def record_delivery_events():
    """A batch from the postal tracking system, answered event by event."""
    user = current_api_user()
    require(
        user, "delivery_order", "record_event", "Vai trò của bạn không được ghi trạng thái bưu gửi."
    )
    raw = json_object().get("events")
    if not isinstance(raw, list):
        raise ApiError(400, "«events» phải là một danh sách.", {"events": "Phải là danh sách."})
    limit = batch_limit(user)
    if len(raw) > limit:
        raise ApiError(
            422,
            f"Tối đa {limit} sự kiện mỗi lần gửi từ tài khoản này.",
            {"events": "Quá nhiều."},
        )
    items, refused = _feed_items(raw)
    for attempt in range(ATTEMPTS):
        try:
            with transaction():
                outcomes = record_events(items, user, ip_address=request.remote_addr)
            break
        except (IntegrityError, StaleDataError):
            if attempt == ATTEMPTS - 1:
                raise
    results = sorted([*(_outcome_dict(o) for o in outcomes), *refused], key=lambda r: r["index"])
    totals = {
        k: sum(r["result"] == k for r in results) for k in ("applied", "duplicate", "refused")
    }
    return jsonify(results=results, **totals)


def batch_limit(user) -> int:
    """The postal system's own account (README) sends the big batches; a person's smaller."""
    config = current_app.config
    system = config["FEED_SYSTEM_ROLE"] in user.role_names and not (
        user.role_names & set(ROLE_NAMES)
    )
    return int(config["FEED_BATCH_MAX" if system else "FEED_HUMAN_BATCH_MAX"])


def _feed_items(raw: list) -> tuple[list[FeedItem], list[dict]]:
    """The well-formed events, and a refusal for each malformed one."""
    items, refused = [], []
    for index, entry in enumerate(raw):
        code = entry.get("tracking_code") if isinstance(entry, dict) else None
        try:
            if not isinstance(entry, dict):
                raise ApiError(400, "Mỗi sự kiện phải là một đối tượng JSON.")
            fields = Fields(entry)
            fields.text("tracking_code")
            event = _event(fields)
            if not isinstance(code, str) or not code.strip():
                raise ApiError(422, "Thiếu mã bưu gửi.", {"tracking_code": "Bắt buộc."})
        except ApiError as exc:
            refused.append(
                {"index": index, "tracking_code": code if isinstance(code, str) else None,
                 "result": "refused", "message": exc.message, "fields": exc.fields}
            )  # fmt: skip
            continue
        items.append(FeedItem(index, code.strip(), event))
    return items, refused


def _outcome_dict(outcome) -> dict:
    answer = {
        "index": outcome.index,
        "tracking_code": outcome.tracking_code,
        "result": outcome.result,
    }
    if outcome.result == "refused":
        answer |= {"message": outcome.message, "fields": outcome.fields or {}}
        if outcome.order_status:  # the parcel is known: where it stands
            answer["order_status"] = outcome.order_status
    else:
        answer |= {"moved": outcome.moved, "order_status": outcome.order_status}
    return answer
