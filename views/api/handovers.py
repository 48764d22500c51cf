"""Handover batches in the API: create and send, confirm, list, read.

Thin over services.handovers.batches; reads are scoped with permissions.scope, and
every write is one transaction (commit on success, roll back on any error:
a refused batch leaves nothing behind, not even its number).
"""

from datetime import timedelta

from flask import jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

import permissions
from extensions import db
from models.dossier import Dossier
from models.handover import DIRECTIONS, HANDOVER_STATUSES, Handover, HandoverItem
from services.calendar import day_start
from services.errors import NotFound
from services.handovers import batches as handovers
from services.transactions import transaction
from views.api.auth import current_api_user, token_required
from views.api.blueprint import bp
from views.api.dossiers import DEFAULT_PER_PAGE, MAX_PER_PAGE, require
from views.api.errors import ApiError
from views.api.inputs import Fields, json_object, positive_int, query_args, query_day
from views.api.serializers import iso

CODE_LENGTH = 40
_EAGER = (
    joinedload(Handover.from_agency),
    joinedload(Handover.to_agency),
    joinedload(Handover.created_by),
    joinedload(Handover.confirmed_by),
)


def handover_dict(batch: Handover, with_items: bool = False) -> dict:
    data = {
        "code": batch.code,
        "direction": batch.direction,
        "status": batch.status,
        "from_agency_code": batch.from_agency.code,
        "to_agency_code": batch.to_agency.code,
        "created_at": iso(batch.created_at),
        "created_by": batch.created_by.username if batch.created_by else None,
        "sent_at": iso(batch.sent_at),
        "confirmed_at": iso(batch.confirmed_at),
        "confirmed_by": batch.confirmed_by.username if batch.confirmed_by else None,
        "has_missing": batch.has_missing,
        "cancelled_at": iso(batch.cancelled_at),
        "cancel_reason": batch.cancel_reason,
        "note": batch.note,
        "version": batch.version,
    }
    if with_items:
        data["items"] = [
            {
                "dossier_code": item.dossier.code,
                "dossier_status": item.dossier.status,
                "missing": item.missing,
                "note": item.note,
            }
            for item in sorted(batch.items, key=lambda i: i.dossier.code)
        ]
    return data


def visible_handover(user, code: str) -> Handover:
    """The batch CODE with its dossiers if USER may see it; 404 for missing and out of scope."""
    require(user, "handover", "view", "Vai trò của bạn không được xem sổ giao nhận.")
    if "\x00" in code:
        raise NotFound("Không tìm thấy lô bàn giao.")
    query = (
        select(Handover)
        .options(
            *_EAGER,
            selectinload(Handover.items)
            .joinedload(HandoverItem.dossier)
            .load_only(Dossier.code, Dossier.status),
        )
        .where(Handover.code == code)
    )
    batch = db.session.scalar(permissions.scope(user, "handover", query))
    if batch is None:
        raise NotFound("Không tìm thấy lô bàn giao.")
    return batch


def _codes(fields: Fields, key: str) -> list[str] | None:
    """A list of dossier codes (strings), or None when absent; wrong types noted on FIELDS."""
    value = fields.data.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(c, str) and _plain(c) for c in value):
        fields.wrong_type[key] = "Phải là danh sách mã hồ sơ (chuỗi ký tự)."
        return None
    if len(value) > handovers.MAX_ITEMS or any(len(c) > CODE_LENGTH for c in value):
        fields.invalid[key] = f"Tối đa {handovers.MAX_ITEMS} mã, mỗi mã tối đa {CODE_LENGTH} ký tự."
        return None
    return [c.strip() for c in value if c.strip()]


def _plain(text: str) -> bool:
    """Text a database can hold: no NUL, no lone surrogate."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def _written(batch: Handover, status: int):
    """The batch just committed, as its page in the API shows it."""
    response = jsonify(handover_dict(visible_handover(current_api_user(), batch.code), True))
    response.status_code = status
    response.headers["Location"] = url_for("api.get_handover", code=batch.code)
    return response


@bp.post("/handovers")
@token_required
def create_handover():
    """Create and send one batch: 201 with its code, status ``sent`` and items."""
    user = current_api_user()
    require(user, "handover", "create", "Vai trò của bạn không được bàn giao hồ sơ.")
    fields = Fields(json_object())
    direction, note = fields.text("direction"), fields.text("note", max_length=2000)
    codes = _codes(fields, "dossier_codes")
    fields.check()
    with transaction():
        batch = handovers.create_and_send(
            user,
            (direction or "").strip(),
            dossier_codes=codes or [],
            note=note,
            ip_address=request.remote_addr,
        )
    return _written(batch, 201)


@bp.post("/handovers/<code>/confirm")
@token_required
def confirm_handover(code: str):
    """Confirm a batch as its receiver, naming the dossiers missing from it."""
    user = current_api_user()
    require(user, "handover", "confirm", "Vai trò của bạn không được xác nhận lô bàn giao.")
    batch = visible_handover(user, code)
    fields = Fields(json_object())
    missing = _codes(fields, "missing_codes")
    note, version = fields.text("note", max_length=2000), fields.integer("version")
    item_notes = fields.object("item_notes") or {}
    for key, value in item_notes.items():
        if not isinstance(value, str) or "\x00" in value:
            fields.wrong_type[f"item_notes.{key}"] = "Phải là chuỗi ký tự."
    fields.check()
    with transaction():
        handovers.confirm(
            batch,
            user,
            missing_codes=missing or [],
            item_notes=item_notes,
            note=note,
            version=version,
            ip_address=request.remote_addr,
        )
    return _written(batch, 200)


@bp.get("/handovers")
@token_required
def list_handovers():
    """Batches in the caller's scope, newest first, a page at a time (no COUNT)."""
    user = current_api_user()
    require(user, "handover", "view", "Vai trò của bạn không được xem sổ giao nhận.")
    args, errors = query_args(), {}
    page = positive_int(args, "page", 1, errors)
    per_page = min(positive_int(args, "per_page", DEFAULT_PER_PAGE, errors), MAX_PER_PAGE)
    direction, status = args.get("direction", "").strip(), args.get("status", "").strip()
    if direction and direction not in DIRECTIONS:
        errors["direction"] = "Phải là một trong: " + ", ".join(DIRECTIONS)
    if status and status not in HANDOVER_STATUSES:
        errors["status"] = "Phải là một trong: " + ", ".join(HANDOVER_STATUSES)
    start, end = query_day(args, "from", errors), query_day(args, "to", errors)
    if errors:
        raise ApiError(422, "Tham số truy vấn chưa hợp lệ.", errors)
    query = permissions.scope(user, "handover", select(Handover).options(*_EAGER))
    if direction:
        query = query.where(Handover.direction == direction)
    if status:
        query = query.where(Handover.status == status)
    if start:
        query = query.where(Handover.created_at >= day_start(start))
    if end:
        query = query.where(Handover.created_at < day_start(end + timedelta(days=1)))
    rows = db.session.scalars(
        query.order_by(Handover.created_at.desc(), Handover.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    return jsonify(
        items=[handover_dict(h) for h in rows[:per_page]],
        page=page,
        per_page=per_page,
        has_next=len(rows) > per_page,
    )


@bp.get("/handovers/<code>")
@token_required
def get_handover(code: str):
    """One batch with its dossiers (``items``)."""
    return jsonify(handover_dict(visible_handover(current_api_user(), code), True))
