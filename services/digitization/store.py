"""The applicant's store: digitized documents kept by ID number, offered again while valid.

Decree 45/2020: a valid digitized document the system holds is reused, not asked for again.
A document stays valid for its checklist entry's ``validity_months`` (default six).
"""

import calendar
from datetime import date, datetime

from sqlalchemy import select

from extensions import db
from models.catalog import ProcedureType
from models.digitization import DEFAULT_VALIDITY_MONTHS, ApplicantDocument, DossierFile
from models.dossier import Dossier
from services.calendar import LOCAL_TZ
from services.errors import ValidationFailed


def holder_of(dossier: Dossier) -> str | None:
    """The ID number the dossier's documents are kept under: the CCCD, else the tax code."""
    return (dossier.applicant_id_number or dossier.organization_tax_code or "").strip() or None


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _today() -> date:
    return datetime.now(LOCAL_TZ).date()


def record_for_reuse(row: DossierFile, dossier: Dossier, details: dict) -> None:
    """Keep the document ROW under its holder's ID number (nothing without one)."""
    holder = holder_of(dossier)
    if holder is None:
        return
    months = DEFAULT_VALIDITY_MONTHS
    for entry in dossier.procedure_type.documents:
        if entry.name == row.document and entry.validity_months:
            months = entry.validity_months
    issued_on = details.get("issued_on")
    db.session.add(
        ApplicantDocument(
            holder_id_number=holder,
            document_type=row.document,
            number=(details.get("number") or None),
            issuer=(details.get("issuer") or None),
            issued_on=issued_on,
            valid_until=details.get("valid_until") or add_months(issued_on or _today(), months),
            file=row,
        )
    )


def offers_query(id_number: str, procedure: ProcedureType | None, today: date):
    """The look-up behind ``offers`` (the benchmark prints its plan)."""
    query = (
        select(ApplicantDocument)
        .join(DossierFile, DossierFile.id == ApplicantDocument.file_id)
        .where(
            ApplicantDocument.holder_id_number == id_number,
            ApplicantDocument.valid_until >= today,
            DossierFile.state == "ready",
        )
        .order_by(ApplicantDocument.valid_until.desc(), ApplicantDocument.id.desc())
        .limit(200)
    )
    if procedure is not None:
        names = [d.name for d in procedure.documents]
        query = query.where(ApplicantDocument.document_type.in_(names))
    return query


def offers(
    id_number: str, procedure: ProcedureType | None = None, today: date | None = None
) -> list[ApplicantDocument]:
    """The holder's still-valid digitized documents (of PROCEDURE's checklist), newest first,
    one per document type."""
    id_number = (id_number or "").strip()
    if not id_number or len(id_number) > 14:
        return []
    kept: dict[str, ApplicantDocument] = {}
    for entry in db.session.scalars(offers_query(id_number, procedure, today or _today())):
        kept.setdefault(entry.document_type, entry)
    return list(kept.values())


def reuse(dossier: Dossier, file_ids, user, today: date | None = None) -> list[DossierFile]:
    """Attach the holder's still-valid files FILE_IDS to DOSSIER, flagged reused.

    Each must be one the store offers for this applicant and checklist, else one
    ValidationFailed names them all (the receipt's transaction then keeps nothing).
    """
    ids = list(dict.fromkeys(file_ids or []))
    if not ids:
        return []
    offered = {
        e.file_id: e for e in offers(holder_of(dossier) or "", dossier.procedure_type, today)
    }
    wrong = [i for i in ids if i not in offered]
    if wrong:
        message = "Tệp không thể dùng lại (không thuộc người nộp, hết hiệu lực hoặc không có "
        message += "trong thành phần hồ sơ): " + ", ".join(str(i) for i in wrong)
        raise ValidationFailed(message, {"reuse_file_ids": message})
    rows = []
    for file_id in ids:
        source = offered[file_id].file
        row = DossierFile(
            dossier=dossier,
            kind="document",
            document=source.document,
            originality=source.originality,
            state="ready",
            raw_type="application/pdf",
            storage_key=source.storage_key,
            pages=source.pages,
            sha256=source.sha256,
            size=source.size,
            signed=source.signed,
            signer_serial=source.signer_serial,
            signer_ca=source.signer_ca,
            signer_name=source.signer_name,
            reused_from_id=source.id,
            created_by_id=user.id,
            processed_at=source.processed_at,
        )
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows
