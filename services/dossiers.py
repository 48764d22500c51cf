"""Receiving dossiers: code, resolving agency, clock start and appointment."""

from datetime import datetime

from flask import current_app
from sqlalchemy import select

import permissions
from extensions import db
from models.base import utcnow
from models.catalog import ProcedureType
from models.dossier import Dossier, DossierHistory
from services import audit, codes
from services.calendar import due_date_for, parse_cutoff
from services.errors import Forbidden, ValidationFailed
from services.extra_fields import clean_extra
from services.validation import (
    normalise_citizen_id,
    normalise_phone,
    normalise_tax_code,
)

CHANNELS = ("counter", "post", "online")
RETURN_METHODS = ("counter", "post")


def prepare_received(
    dossier: Dossier, received_by=None, received_at: datetime | None = None
) -> Dossier:
    """Fill in what receipt decides for a new DOSSIER (in the caller's transaction).

    The resolving agency and fee come from the procedure type, the post office
    from the receiving clerk's agency, the code from the agency's daily
    counter, the appointment from the working-day calendar.
    """
    with db.session.no_autoflush:  # the caller may have added DOSSIER already
        procedure = dossier.procedure_type or db.session.get(
            ProcedureType, dossier.procedure_type_id
        )
    if procedure is None or not procedure.active:
        raise ValidationFailed(
            "Thủ tục hành chính không tồn tại hoặc đã ngừng áp dụng.",
            {"procedure_type": "Chọn một thủ tục đang áp dụng."},
        )
    with db.session.no_autoflush:  # the caller may have added DOSSIER already
        _fill_receipt(dossier, procedure, received_by, received_at)
    dossier.history.append(
        DossierHistory(
            action="receive",
            from_status=None,
            to_status="received",
            at=dossier.received_at,
            actor_id=dossier.received_by_id,
        )
    )
    db.session.add(dossier)
    db.session.flush()
    audit.record(
        "create",
        "dossier",
        dossier.id,
        actor=received_by,
        summary=f"Tiếp nhận hồ sơ {dossier.code}",
    )
    return dossier


def _fill_receipt(dossier, procedure, received_by, received_at) -> None:
    received_at = received_at or dossier.received_at or utcnow()
    cutoff = parse_cutoff(current_app.config["RECEIPT_CUTOFF"])
    dossier.procedure_type = procedure
    dossier.agency_id = procedure.agency_id
    if received_by is not None and received_by.agency.kind == "post_office":
        dossier.post_office_id = received_by.agency_id
    dossier.received_by_id = getattr(received_by, "id", None)
    dossier.received_at = received_at
    dossier.status = "received"
    if dossier.fee_amount is None:
        dossier.fee_amount = procedure.fee
    dossier.clock_started_at, dossier.due_at = due_date_for(
        received_at, procedure.processing_days, cutoff
    )
    dossier.code = codes.dossier_code(procedure.agency_id, procedure.agency.code, received_at)


def check_applicant(fields: dict) -> tuple[dict, dict[str, str]]:
    """Applicant fields normalised by DOMAIN.md's formats: (clean values, errors by field)."""
    clean, errors = {}, {}
    name = (fields.get("applicant_name") or "").strip()
    if not name:
        errors["applicant_name"] = "Vui lòng nhập họ tên người nộp."
    clean["applicant_name"] = name[:200]
    for key, normalise in (
        ("applicant_id_number", normalise_citizen_id),
        ("applicant_phone", normalise_phone),
        ("organization_tax_code", normalise_tax_code),
    ):
        raw = (fields.get(key) or "").strip()
        if not raw:
            clean[key] = None
            continue
        try:
            clean[key] = normalise(raw)
        except ValueError as exc:
            errors[key] = str(exc)
    email = (fields.get("applicant_email") or "").strip()
    if email and (
        len(email) > 255 or "@" not in email or "." not in email.rsplit("@", 1)[-1] or " " in email
    ):
        errors["applicant_email"] = "Địa chỉ email không hợp lệ."
    clean["applicant_email"] = email or None
    return clean, errors


def receive(fields: dict, actor, *, ip_address: str | None = None) -> Dossier:
    """Receive a dossier from plain FIELDS (the API's and CLI's door); caller commits."""
    if not permissions.can(actor, "dossier", "receive"):
        raise Forbidden("Vai trò của bạn không được tiếp nhận hồ sơ.")
    procedure = db.session.scalar(
        select(ProcedureType).where(ProcedureType.code == (fields.get("procedure_code") or ""))
    )
    errors: dict[str, str] = {}
    if procedure is None or not procedure.active:
        errors["procedure_code"] = "Không có thủ tục đang áp dụng mang mã này."
    clean, applicant_errors = check_applicant(fields)
    errors |= applicant_errors
    channel = fields.get("channel") or "counter"
    return_method = fields.get("return_method") or "counter"
    if channel not in CHANNELS:
        errors["channel"] = "Hình thức nộp phải là: " + ", ".join(CHANNELS)
    if return_method not in RETURN_METHODS:
        errors["return_method"] = "Hình thức nhận kết quả phải là counter hoặc post."
    elif procedure is not None and return_method == "post" and not procedure.postal_return:
        errors["return_method"] = "Thủ tục này không trả kết quả qua bưu chính."
    extra = {}
    if procedure is not None:
        extra, extra_errors = clean_extra(procedure, fields.get("extra") or {})
        errors |= {f"extra.{k}": v for k, v in extra_errors.items()}
    received_at = fields.get("received_at")
    if received_at is not None and (
        not isinstance(received_at, datetime) or received_at.tzinfo is None
    ):
        errors["received_at"] = "Thời điểm tiếp nhận phải có múi giờ (ISO 8601)."
    if errors:
        raise ValidationFailed("Dữ liệu hồ sơ chưa hợp lệ.", errors)
    dossier = Dossier(
        procedure_type=procedure,
        channel=channel,
        return_method=return_method,
        applicant_address=(fields.get("applicant_address") or "").strip()[:500] or None,
        organization_name=(fields.get("organization_name") or "").strip()[:255] or None,
        notes=(fields.get("notes") or "").strip() or None,
        extra_data=extra or None,
        **clean,
    )
    prepare_received(dossier, received_by=actor, received_at=received_at)
    if not permissions.in_scope(actor, "dossier", dossier):
        raise Forbidden("Bạn chỉ được tiếp nhận hồ sơ cho đơn vị của mình.")
    return dossier
