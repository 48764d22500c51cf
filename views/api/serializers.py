"""Rows as the API's JSON: instants in ISO 8601 with +07:00, money as integer VND."""

from datetime import date, datetime

from models.base import utcnow
from models.catalog import ProcedureType
from models.dossier import Dossier, DossierHistory
from services.calendar import LOCAL_TZ
from services.dossiers.extra_fields import describe as describe_extra_fields
from services.dossiers.timeliness import is_overdue


def iso(value: datetime | None) -> str | None:
    """``2026-03-10T09:30:00+07:00`` for an aware instant."""
    if value is None:
        return None
    return value.astimezone(LOCAL_TZ).isoformat(timespec="seconds")


def iso_day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def money(value) -> int | None:
    return None if value is None else int(value)


def timeliness(dossier: Dossier, now: datetime | None = None) -> str | None:
    """The recorded ``early`` / ``on_time`` / ``late``, or ``overdue`` while late and open."""
    if dossier.timeliness:
        return dossier.timeliness
    if is_overdue(dossier.status, dossier.due_at, now or utcnow()):
        return "overdue"
    return None


def dossier_dict(dossier: Dossier) -> dict:
    procedure = dossier.procedure_type
    return {
        "code": dossier.code,
        "status": dossier.status,
        "procedure_code": procedure.code,
        "procedure_name": procedure.name,
        "agency_code": dossier.agency.code,
        "post_office_code": dossier.post_office.code if dossier.post_office else None,
        "applicant_name": dossier.applicant_name,
        "applicant_id_number": dossier.applicant_id_number,
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "applicant_address": dossier.applicant_address,
        "organization_name": dossier.organization_name,
        "organization_tax_code": dossier.organization_tax_code,
        "channel": dossier.channel,
        "return_method": dossier.return_method,
        "notify": dossier.notify_channels or [],
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "fee_amount": money(dossier.fee_amount),
        "extra_data": dossier.extra_data or {},
        "documents": dossier.documents_checked or [],
        "notes": dossier.notes,
        "result_number": dossier.result_number,
        "result_date": iso_day(dossier.result_date),
        "result_outcome": dossier.result_outcome,
        "result_summary": dossier.result_summary,
        "completed_at": iso(dossier.completed_at),
        "returned_at": iso(dossier.returned_at),
        "collector": collector_dict(dossier),
        "timeliness": timeliness(dossier),
        "supplement_count": dossier.supplement_count,
        "apology_count": dossier.apology_count,
        "version": dossier.version,
    }


def collector_dict(dossier: Dossier) -> dict | None:
    """Who took the result at the counter, once it was."""
    if dossier.collected_by is None:
        return None
    return {
        "kind": dossier.collected_by,
        "name": dossier.collector_name,
        "id_number": dossier.collector_id_number,
        "authorisation": dossier.collector_authorisation,
    }


def history_dict(step: DossierHistory) -> dict:
    return {
        "action": step.action,
        "from": step.from_status,
        "to": step.to_status,
        "at": iso(step.at),
        "by": step.actor.username if step.actor else None,
        "by_name": step.actor.full_name if step.actor else None,
        "note": step.note,
    }


def dossier_detail(dossier: Dossier, actions: list[str]) -> dict:
    """The dossier with its status history and the actions the caller may take now."""
    return {
        **dossier_dict(dossier),
        "history": [history_dict(step) for step in dossier.history],
        "actions": actions,
    }


def procedure_type_dict(procedure: ProcedureType) -> dict:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field,
        "agency_code": procedure.agency.code,
        "processing_days": procedure.processing_days,
        "fee": money(procedure.fee),
        "online_level": procedure.online_level,
        "postal_return": procedure.postal_return,
        "documents": [
            {"name": d.name, "kind": d.kind, "quantity": d.quantity} for d in procedure.documents
        ],
        "extra_fields": describe_extra_fields(procedure),
    }
