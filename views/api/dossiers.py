"""Procedure types and dossiers: receive, list, read, and move through the workflow.

Thin over services.dossiers.receiving and services.dossiers.workflow; every read is scoped with
permissions.scope, and every write is one transaction (commit on success,
roll back on any error).
"""

from datetime import timedelta

from flask import jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

import permissions
from extensions import db
from models.catalog import ProcedureType
from models.dossier import STATUSES, Dossier
from services.calendar import day_start
from services.digitization import store as applicant_store
from services.dossiers import receiving as dossier_service
from services.dossiers import workflow
from services.dossiers.receipt import REASON_MAX
from services.errors import Forbidden, NotFound
from services.transactions import transaction
from vietnam.text import contains_pattern, fold
from views.api.auth import current_api_user, token_required
from views.api.blueprint import bp
from views.api.errors import ApiError
from views.api.inputs import (
    Fields,
    json_object,
    positive_int,
    query_args,
    query_day,
)
from views.api.serializers import dossier_detail, dossier_dict, procedure_type_dict

DEFAULT_PER_PAGE, MAX_PER_PAGE = 20, 100
RECEIVE_TEXT = (
    "procedure_code",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_address",
    "organization_name",
    "organization_tax_code",
    "channel",
    "return_method",
    "notes",
)
_EAGER = (
    joinedload(Dossier.procedure_type),
    joinedload(Dossier.agency),
    joinedload(Dossier.post_office),
)


def require(user, resource: str, action: str, message: str) -> None:
    if not permissions.can(user, resource, action):
        raise Forbidden(message)


def visible_dossier(user, code: str) -> Dossier:
    """The dossier CODE if USER may see it; 404 alike for missing and out of scope."""
    require(user, "dossier", "view", "Vai trò của bạn không được xem hồ sơ.")
    if "\x00" in code:  # no code holds one, and PostgreSQL refuses it in a query
        raise NotFound("Không tìm thấy hồ sơ.")
    query = select(Dossier).options(*_EAGER).where(Dossier.code == code)
    dossier = db.session.scalar(permissions.scope(user, "dossier", query))
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ.")
    return dossier


@bp.get("/procedure-types")
@token_required
def procedure_types():
    """The active procedure types, with their documents and extra fields."""
    user = current_api_user()
    require(user, "procedure_type", "view", "Vai trò của bạn không được xem danh mục thủ tục.")
    rows = db.session.scalars(
        select(ProcedureType)
        .options(
            joinedload(ProcedureType.agency),
            selectinload(ProcedureType.documents),
            selectinload(ProcedureType.extra_fields),
        )
        .where(ProcedureType.active.is_(True))
        .order_by(ProcedureType.code)
    ).all()
    return jsonify(items=[procedure_type_dict(p) for p in rows])


@bp.post("/dossiers")
@token_required
def receive_dossier():
    """Receive a dossier: 201 with its code and appointment.

    Wrong JSON types answer 400; otherwise one 422 names every invalid field,
    the formats read here together with the receipt rules of services.dossiers.receipt.
    """
    user = current_api_user()
    require(user, "dossier", "receive", "Vai trò của bạn không được tiếp nhận hồ sơ.")
    fields = Fields(json_object())
    values = {key: fields.text(key) for key in RECEIVE_TEXT}
    values["applicant_email"] = fields.text("applicant_email", max_length=255)
    values["received_at_reason"] = fields.text("received_at_reason", max_length=REASON_MAX)
    values["documents"] = fields.strings("documents")
    values["notify"] = fields.strings("notify")  # None: the default (SMS when sent by post)
    values["extra"] = _extra(fields)
    values["received_at"] = fields.instant("received_at")
    reuse_ids = _file_ids(fields, "reuse_file_ids")
    fields.check_types()
    with transaction(expire=False):  # the answer is what was just written: no re-read
        dossier = dossier_service.receive(
            values, user, ip_address=request.remote_addr, errors=fields.invalid
        )
        applicant_store.reuse(dossier, reuse_ids, user)
    response = jsonify(dossier_dict(dossier))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_dossier", code=dossier.code)
    return response


def _file_ids(fields: Fields, key: str) -> list[int]:
    """A JSON array of file ids (positive integers), or nothing."""
    value = fields.data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(type(v) is int and 0 < v < 2**31 for v in value):
        fields.wrong_type[key] = "Phải là một mảng mã tệp (số nguyên dương)."
        return []
    return value


def _extra(fields: Fields) -> dict | None:
    """The extra-field values: an object of strings, numbers or booleans.

    Their meaning (a number that is a finite number, a choice in the list) is
    the receipt rules' business.
    """
    extra = fields.object("extra")
    for key, value in (extra or {}).items():
        if isinstance(value, dict | list) or (isinstance(value, str) and "\x00" in value):
            fields.wrong_type[f"extra.{key}"] = "Phải là chuỗi ký tự, số hoặc true/false."
    return extra


@bp.get("/dossiers")
@token_required
def list_dossiers():
    """Dossiers in the caller's scope, newest first, a page at a time (no COUNT)."""
    user = current_api_user()
    require(user, "dossier", "view", "Vai trò của bạn không được xem hồ sơ.")
    args, errors = query_args(), {}
    page = positive_int(args, "page", 1, errors)
    per_page = min(positive_int(args, "per_page", DEFAULT_PER_PAGE, errors), MAX_PER_PAGE)
    status = args.get("status", "").strip()
    if status and status not in STATUSES:
        errors["status"] = "Phải là một trong: " + ", ".join(STATUSES)
    received_from = query_day(args, "received_from", errors)
    received_to = query_day(args, "received_to", errors)
    if errors:
        raise ApiError(422, "Tham số truy vấn chưa hợp lệ.", errors)
    query = permissions.scope(user, "dossier", select(Dossier).options(*_EAGER))
    if status:
        query = query.where(Dossier.status == status)
    if procedure_code := args.get("procedure_code", "").strip():
        query = query.where(
            Dossier.procedure_type_id.in_(
                select(ProcedureType.id).where(ProcedureType.code == procedure_code)
            )
        )
    if q := fold(args.get("q", "")):
        query = query.where(Dossier.search_text.like(contains_pattern(q), escape="\\"))
    if received_from:
        query = query.where(Dossier.received_at >= day_start(received_from))
    if received_to:
        query = query.where(Dossier.received_at < day_start(received_to + timedelta(days=1)))
    rows = db.session.scalars(
        query.order_by(Dossier.received_at.desc(), Dossier.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    return jsonify(
        items=[dossier_dict(d) for d in rows[:per_page]],
        page=page,
        per_page=per_page,
        has_next=len(rows) > per_page,
    )


@bp.get("/dossiers/<code>")
@token_required
def get_dossier(code: str):
    """One dossier with its history and the actions the caller may take now."""
    user = current_api_user()
    dossier = visible_dossier(user, code)
    return jsonify(dossier_detail(dossier, workflow.available_actions(dossier, user)))


@bp.post("/dossiers/<code>/transitions")
@token_required
def transition_dossier(code: str):
    """Take a workflow action on a dossier; 200 with the dossier as it now is.

    One 422 names every invalid or missing input of the action (the formats
    read here and the action's own needs, e.g. every field of ``result``).
    """
    user = current_api_user()
    dossier = visible_dossier(user, code)
    fields = Fields(json_object())
    action, note, version = fields.text("action"), fields.text("note"), fields.integer("version")
    result = _result(fields)
    new_due_at = fields.instant("new_due_at", naive_is_local=True)
    collector = _collector(fields)
    fields.check_types()
    if not (action or "").strip():
        fields.invalid["action"] = "Bắt buộc."
        raise ApiError(422, "Vui lòng chọn thao tác.", fields.invalid)
    with transaction():
        workflow.transition(
            dossier,
            action.strip(),
            user,
            note=note,
            version=version,
            result=result,
            new_due_at=new_due_at,
            collector=collector,
            ip_address=request.remote_addr,
            errors=fields.invalid,
        )
    return jsonify(dossier_detail(dossier, workflow.available_actions(dossier, user)))


def _result(fields: Fields) -> workflow.Result | None:
    """The ``result`` object that ``complete`` records, if one was sent."""
    data = fields.object("result")
    if data is None:
        return None
    sub = Fields(data, prefix="result.")
    number, day, outcome = sub.text("number"), sub.day("date"), sub.text("outcome")
    summary = sub.text("summary")
    fields.wrong_type |= sub.wrong_type
    fields.invalid |= sub.invalid
    return workflow.Result(
        number=number or "", date=day, outcome=(outcome or "").strip(), summary=summary
    )


def _collector(fields: Fields) -> workflow.Collector | None:
    """The ``collector`` object that ``return_at_counter`` records, if one was sent."""
    data = fields.object("collector")
    if data is None:
        return None
    sub = Fields(data, prefix="collector.")
    kind, name = sub.text("kind"), sub.text("name", max_length=200)
    id_number = sub.text("id_number", max_length=20)
    authorisation = sub.text("authorisation", max_length=100)
    fields.wrong_type |= sub.wrong_type
    fields.invalid |= sub.invalid
    return workflow.Collector(
        kind=(kind or "").strip(), name=name, id_number=id_number, authorisation=authorisation
    )
