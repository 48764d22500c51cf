"""The digitization figures of the national scorecard (indicators 4.2, 4.3, 4.4) per period.

Dossiers received in the period, in the user's scope (optionally one agency or procedure,
or grouped by either):
- digitization rate: every checklist document has a digitized file and, once there is a
  result, an e-result (the department's signed PDF or the counter's scan) ÷ received;
- reuse rate: at least one document reused from earlier digitized ones ÷ received;
- e-result rate: completed with an e-result ÷ completed;
- national-store rate: a document taken from, or a result pushed to, the national store.
An empty denominator is None (shown "—"), never 0 %.
"""

from datetime import date, timedelta

from sqlalchemy import and_, case, exists, func, select

import permissions
from extensions import db
from models.catalog import RequiredDocument
from models.digitization import DossierFile
from models.dossier import Dossier
from services.calendar import day_start

GROUPS = {"agency": Dossier.agency_id, "procedure": Dossier.procedure_type_id}


def _ratio(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


def rates(
    user,
    start: date,
    end: date,
    *,
    agency_id: int | None = None,
    procedure_id: int | None = None,
    post_office_id: int | None = None,
    by: str | None = None,
) -> dict | list[dict]:
    """The figures for dossiers received START..END (inclusive); a list of rows with BY."""
    required = (
        select(func.count(RequiredDocument.id))
        .where(RequiredDocument.procedure_type_id == Dossier.procedure_type_id)
        .scalar_subquery()
    )
    digitized = (
        select(func.count(func.distinct(DossierFile.document)))
        .where(
            DossierFile.dossier_id == Dossier.id,
            DossierFile.kind == "document",
            DossierFile.state == "ready",
        )
        .scalar_subquery()
    )
    e_result = exists().where(
        DossierFile.dossier_id == Dossier.id,
        DossierFile.kind.in_(("result", "result_scan")),
        DossierFile.state == "ready",
    )
    reused = exists().where(
        DossierFile.dossier_id == Dossier.id, DossierFile.reused_from_id.is_not(None)
    )
    national = exists().where(
        DossierFile.dossier_id == Dossier.id, DossierFile.from_national_store.is_(True)
    )
    completed = Dossier.completed_at.is_not(None)
    whole = and_(digitized >= required, ~completed | e_result)
    columns = [
        func.count(Dossier.id).label("received"),
        func.sum(case((whole, 1), else_=0)).label("digitized"),
        func.sum(case((reused, 1), else_=0)).label("reused"),
        func.sum(case((completed, 1), else_=0)).label("completed"),
        func.sum(case((and_(completed, e_result), 1), else_=0)).label("e_results"),
        func.sum(case((national, 1), else_=0)).label("national_store"),
    ]
    group = GROUPS.get(by)
    query = select(*([group.label("key")] if group is not None else []), *columns).where(
        Dossier.received_at >= day_start(start),
        Dossier.received_at < day_start(end + timedelta(days=1)),
    )
    if agency_id:
        query = query.where(Dossier.agency_id == agency_id)
    if procedure_id:
        query = query.where(Dossier.procedure_type_id == procedure_id)
    if post_office_id:
        query = query.where(Dossier.post_office_id == post_office_id)
    if user is not None:  # None: every row (a report of the whole province)
        query = permissions.scope(user, "dossier", query)
    if group is None:
        return _figures(db.session.execute(query).one()._mapping)
    rows = db.session.execute(query.group_by(group).order_by(group)).all()
    return [{"key": r.key, **_figures(r._mapping)} for r in rows]


def _figures(row) -> dict:
    counts = {
        k: int(row[k] or 0)
        for k in ("received", "digitized", "reused", "completed", "e_results", "national_store")
    }
    return counts | {
        "digitization_rate": _ratio(counts["digitized"], counts["received"]),
        "reuse_rate": _ratio(counts["reused"], counts["received"]),
        "e_result_rate": _ratio(counts["e_results"], counts["completed"]),
        "national_store_rate": _ratio(counts["national_store"], counts["received"]),
    }


def document_flags(dossier: Dossier) -> list[dict]:
    """Per document, what the portal sync sends (TaiLieuNop / DanhSachGiayToKetQua)."""
    rows = db.session.scalars(
        select(DossierFile).where(DossierFile.dossier_id == dossier.id).order_by(DossierFile.id)
    ).all()
    return [
        {
            "file_id": f.id,
            "document": f.document,
            "kind": f.kind,
            "digitized": f.state == "ready",
            "reused": f.reused,
            "from_national_store": f.from_national_store,
            "replaces_document": f.replaces_document,
        }
        for f in rows
    ]
