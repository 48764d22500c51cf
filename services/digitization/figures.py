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

from sqlalchemy import and_, case, func, select

import permissions
from extensions import db
from models.catalog import RequiredDocument
from models.digitization import DossierFile
from models.dossier import Dossier
from services.calendar import day_start

GROUPS = {
    "agency": (Dossier.agency_id,),
    "procedure": (Dossier.procedure_type_id,),
    # every pair at once (the scorecard sums them into its three groupings: one read)
    "agency_procedure": (Dossier.agency_id, Dossier.procedure_type_id),
}
COUNTS = ("received", "digitized", "reused", "completed", "e_results", "national_store")


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
    """The figures for dossiers received START..END (inclusive); a list of rows with BY.

    Two reads, neither with a subquery per dossier: the dossiers of the period (received,
    completed, and those whose procedure asks for no document: digitized while unfinished),
    then the period's dossiers that have files, each once, with its files summed up.
    """
    required = (
        select(
            RequiredDocument.procedure_type_id.label("procedure_type_id"),
            func.count(RequiredDocument.id).label("n"),
        )
        .group_by(RequiredDocument.procedure_type_id)
        .subquery()
    )
    asked = func.coalesce(required.c.n, 0)
    completed = Dossier.completed_at.is_not(None)
    group = GROUPS.get(by, ())
    keys = [column.label(f"key{i}") for i, column in enumerate(group)]

    def narrowed(query):
        query = query.where(
            Dossier.received_at >= day_start(start),
            Dossier.received_at < day_start(end + timedelta(days=1)),
        ).outerjoin(required, required.c.procedure_type_id == Dossier.procedure_type_id)
        for column, value in (
            (Dossier.agency_id, agency_id),
            (Dossier.procedure_type_id, procedure_id),
            (Dossier.post_office_id, post_office_id),
        ):
            if value:
                query = query.where(column == value)
        if user is not None:  # None: every row (a report of the whole province)
            query = permissions.scope(user, "dossier", query)
        return query

    dossiers = narrowed(
        select(
            *keys,
            func.count(Dossier.id).label("received"),
            func.sum(case((completed, 1), else_=0)).label("completed"),
            func.sum(case((and_(asked == 0, ~completed), 1), else_=0)).label("nothing_asked"),
        ).select_from(Dossier)
    )
    ready = DossierFile.state == "ready"
    document = and_(DossierFile.kind == "document", ready)
    result = and_(DossierFile.kind.in_(("result", "result_scan")), ready)
    per_dossier = narrowed(
        select(
            *keys,
            Dossier.id.label("dossier_id"),
            asked.label("asked"),
            completed.label("completed"),
            func.count(func.distinct(case((document, DossierFile.document)))).label("documents"),
            func.max(case((result, 1), else_=0)).label("e_result"),
            func.max(case((DossierFile.reused_from_id.is_not(None), 1), else_=0)).label("reused"),
            func.max(case((DossierFile.from_national_store.is_(True), 1), else_=0)).label(
                "national"
            ),
        )
        .select_from(Dossier)
        .join(DossierFile, DossierFile.dossier_id == Dossier.id)
    ).group_by(*group, Dossier.id, asked, completed)
    files = per_dossier.subquery()
    done, e_result = files.c.completed, files.c.e_result == 1
    whole = case(
        (files.c.asked == 0, case((and_(done, e_result), 1), else_=0)),  # else counted above
        (and_(files.c.documents >= files.c.asked, ~done | e_result), 1),
        else_=0,
    )
    file_keys = [files.c[f"key{i}"] for i in range(len(group))]
    with_files = select(
        *file_keys,
        func.sum(whole).label("digitized"),
        func.sum(files.c.reused).label("reused"),
        func.sum(case((and_(done, e_result), 1), else_=0)).label("e_results"),
        func.sum(files.c.national).label("national_store"),
    )
    if not group:
        head = db.session.execute(dossiers).one()._mapping
        extra = db.session.execute(with_files).one()._mapping
        return _figures(_merged(head, extra))

    def key_of(row):
        return row[0] if len(group) == 1 else tuple(row[: len(group)])

    heads = db.session.execute(dossiers.group_by(*group).order_by(*group)).all()
    extras = {key_of(r): r._mapping for r in db.session.execute(with_files.group_by(*file_keys))}
    return [
        {"key": key_of(r), **_figures(_merged(r._mapping, extras.get(key_of(r), {})))}
        for r in heads
    ]


def summed(rows) -> dict:
    """The figures of ROWS taken together (their counts added, their rates made again)."""
    return _figures({name: sum(int(r[name] or 0) for r in rows) for name in COUNTS})


def _merged(head, extra) -> dict:
    """The two reads of one row: the dossiers' counts and their files' sums."""
    return {
        "received": head["received"],
        "completed": head["completed"],
        "digitized": int(head["nothing_asked"] or 0) + int(extra.get("digitized") or 0),
        "reused": extra.get("reused"),
        "e_results": extra.get("e_results"),
        "national_store": extra.get("national_store"),
    }


def _figures(row) -> dict:
    counts = {k: int(row[k] or 0) for k in COUNTS}
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
