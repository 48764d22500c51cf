"""Receiving dossiers: code, resolving agency, clock start and appointment."""

from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

import permissions
from extensions import db
from models.base import utcnow
from models.catalog import ProcedureType
from models.dossier import Dossier, DossierHistory
from services import audit
from services.calendar import LOCAL_TZ, due_date_for, parse_cutoff
from services.dossiers import codes, receipt
from services.dossiers.ratings.recording import new_key
from services.dossiers.receipt import Receipt
from services.errors import Forbidden, ValidationFailed


def prepare_received(
    dossier: Dossier,
    received_by=None,
    received_at: datetime | None = None,
    *,
    backdate_reason: str | None = None,
    ip_address: str | None = None,
) -> Dossier:
    """Fill in what receipt decides for a new DOSSIER (in the caller's transaction).

    The resolving agency and fee come from the procedure type, the post office
    from the receiving clerk's agency, the code from the agency's daily
    counter, the appointment from the working-day calendar. BACKDATE_REASON,
    why a receipt is dated further back than allowed, goes into the history
    note and the audit entry.
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
                note=_backdate_note(dossier, backdate_reason),
            )
        )
        agency_code = procedure.agency.code
        dossier.rating_key = dossier.rating_key or new_key()  # printed on the receipt
        db.session.add(dossier)
        # The day's counter row stays locked until the commit: draw the number last.
        dossier.code = codes.dossier_code(procedure.agency_id, agency_code, dossier.received_at)
    db.session.flush()
    audit.record(
        "create",
        "dossier",
        dossier.id,
        actor=received_by,
        ip_address=ip_address,
        summary=(
            f"Tiếp nhận hồ sơ {dossier.code}"
            + (f" (nhập muộn; lý do: {backdate_reason})" if backdate_reason else "")
        )[:500],
        changes={
            "after": {
                "received_at": dossier.received_at.isoformat(),
                "received_at_reason": backdate_reason,
            }
        }
        if backdate_reason
        else None,
    )
    return dossier


def _backdate_note(dossier: Dossier, reason: str | None) -> str | None:
    if not reason:
        return None
    day = dossier.received_at.astimezone(LOCAL_TZ)
    return f"Nhập muộn hồ sơ tiếp nhận ngày {day:%d/%m/%Y}. Lý do: {reason}"


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


def record_receipt(dossier: Dossier, decided: Receipt, actor, *, ip_address=None) -> Dossier:
    """Give DOSSIER what the receipt rules DECIDED and receive it (in the caller's transaction)."""
    if not permissions.can(actor, "dossier", "receive"):
        raise Forbidden("Vai trò của bạn không được tiếp nhận hồ sơ.")
    with db.session.no_autoflush:  # the caller may have added DOSSIER already
        for key, value in decided.applicant.items():
            setattr(dossier, key, value)
        dossier.procedure_type = decided.procedure
        dossier.channel = decided.channel
        dossier.return_method = decided.return_method
        dossier.documents_checked = decided.documents
        dossier.extra_data = decided.extra or None
        dossier.fee_amount = decided.fee
        dossier.received_at = decided.received_at
        dossier.notify_channels = decided.notify
    prepare_received(
        dossier,
        received_by=actor,
        received_at=decided.received_at,
        backdate_reason=decided.backdate_reason,
        ip_address=ip_address,
    )
    if not permissions.in_scope(actor, "dossier", dossier):
        raise Forbidden("Bạn chỉ được tiếp nhận hồ sơ cho đơn vị của mình.")
    return dossier


def receive(fields: dict, actor, *, ip_address: str | None = None, errors=None) -> Dossier:
    """Receive a dossier from plain FIELDS (the API's door); caller commits.

    ERRORS are the door's parse errors, named in the same answer as the rules'.
    """
    if not permissions.can(actor, "dossier", "receive"):
        raise Forbidden("Vai trò của bạn không được tiếp nhận hồ sơ.")
    query = (
        select(ProcedureType)
        .options(  # one statement: a procedure has a handful of documents and fields
            joinedload(ProcedureType.agency),
            joinedload(ProcedureType.documents),
            joinedload(ProcedureType.extra_fields),
        )
        .where(ProcedureType.code == (fields.get("procedure_code") or ""))
    )
    procedure = db.session.execute(query).unique().scalar_one_or_none()
    decided = receipt.decide(procedure, fields, actor, errors=errors)
    dossier = Dossier(
        applicant_address=(fields.get("applicant_address") or "").strip()[:500] or None,
        organization_name=(fields.get("organization_name") or "").strip()[:255] or None,
        notes=(fields.get("notes") or "").strip() or None,
    )
    return record_receipt(dossier, decided, actor, ip_address=ip_address)
