"""Receiving dossiers: code, resolving agency, clock start and appointment."""

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from extensions import db
from models.base import utcnow
from models.catalog import ProcedureType
from models.dossier import Dossier, DossierHistory
from services import audit, codes
from services.calendar import due_date_for, parse_cutoff
from services.errors import ValidationFailed


def receivable_procedure_types():
    """Active procedure types, ordered for a select list."""
    return db.session.scalars(
        select(ProcedureType).where(ProcedureType.active.is_(True)).order_by(ProcedureType.code)
    ).all()


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
