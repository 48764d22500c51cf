"""Figures in the API: ``GET /api/v1/reports/summary`` (CONTRACT.md), in the caller's scope."""

from flask import jsonify

from models.report import placed
from services.reporting import figures as reports
from services.reporting import replica
from services.reporting.periods import make_period
from views.api.auth import current_api_user, token_required
from views.api.blueprint import bp
from views.api.dossiers import require
from views.api.inputs import query_args

#: The figures CONTRACT.md promises, in its order (the catalogue's ``api`` places).
SUMMARY_FIELDS = tuple(figure.name for figure in placed("api"))


@bp.get("/reports/summary")
@token_required
def report_summary():
    """Counts for the period FROM..TO (local days); 422 naming a bad date or filter."""
    user = current_api_user()
    require(user, "report", "view", "Vai trò của bạn không được xem báo cáo.")
    args = query_args()
    period = make_period(args.get("from"), args.get("to"))
    filters = reports.filters_from_codes(args.get("agency_code"), args.get("procedure_code"))
    figures, source = replica.read(
        lambda: reports.summary(user, period, filters, delays=False)  # not in the contract
    )
    return with_source(jsonify({name: figures[name] for name in SUMMARY_FIELDS}), source)


def with_source(response, source):
    """RESPONSE saying where its figures were read (headers: the body is the contract's)."""
    if source.configured:
        response.headers["X-Reports-Source"] = source.name
        if source.lag is not None:
            response.headers["X-Reports-Lag"] = str(source.seconds)
    return response
