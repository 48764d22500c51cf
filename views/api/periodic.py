"""``GET /api/v1/reports/periodic`` (CONTRACT.md): the periodic report in the caller's scope."""

from flask import jsonify

from models.report import PERIODIC_NAMES
from services.errors import ValidationFailed
from services.reporting import figures as reports
from services.reporting import periodic, replica
from services.reporting.periods import make_period
from views.api.auth import current_api_user, token_required
from views.api.blueprint import bp
from views.api.dossiers import require
from views.api.inputs import query_args
from views.api.reports import with_source

#: Rows: one per agency (default), per procedure, or per post office.
BY = ("agency", "procedure", "post_office")


def _figures(values: dict) -> dict:
    return {name: values[name] for name in PERIODIC_NAMES}


def _items(report, by: str) -> list[dict]:
    items, agency = [], None
    for row in report.rows:
        if row.kind == "agency":
            agency = row
        if by == "procedure" and row.kind == "procedure":
            head = {"agency_code": agency.code, "agency_name": agency.name}
            head |= {"procedure_code": row.code, "procedure_name": row.name}
        elif by == "agency" and row.kind == "agency":
            head = {"agency_code": row.code, "agency_name": row.name}
        elif by == "post_office":
            head = {"post_office_code": row.code or None, "post_office_name": row.name}
        else:
            continue
        items.append({**head, **_figures(row.figures)})
    return items


@bp.get("/reports/periodic")
@token_required
def report_periodic():
    """The report of FROM..TO (local days) as the dossiers stood at its end; 422 naming a bad
    date, filter or grouping."""
    user = current_api_user()
    require(user, "report", "view", "Vai trò của bạn không được xem báo cáo.")
    args = query_args()
    by = args.get("by") or "agency"
    if by not in BY:
        raise ValidationFailed(
            "Cách nhóm chưa hợp lệ.", {"by": "Chọn agency, procedure hoặc post_office."}
        )
    period = make_period(args.get("from"), args.get("to"))
    filters = reports.filters_from_codes(args.get("agency_code"), args.get("procedure_code"))
    rows = "post_office" if by == "post_office" else "procedure"
    report, source = replica.read(lambda: periodic.report(user, period, filters, by=rows))
    answer = jsonify(
        {
            "from": period.first.isoformat(),
            "to": period.last.isoformat(),
            "by": by,
            "items": _items(report, by),
            "total": _figures(report.total),
        }
    )
    return with_source(answer, source)
