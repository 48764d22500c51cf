"""The reports screen (/admin/report/): figures, tables, charts; the review; the tracking book."""

from flask import Response, request, stream_with_context, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from services import audit
from services.errors import ValidationFailed
from services.reporting import exports, pages, replica, report_sheets, tracking_book
from services.reporting.periods import Period, make_period
from services.reporting.queries import Filters
from services.reporting.xlsx import stream_workbook
from views.admin.core.exports import local_stamp
from views.admin.core.screens import SecuredScreen
from views.admin.reports import context as ctx
from views.admin.reports.choice import read_choice
from views.admin.reports.exports import ExportsMixin
from views.admin.reports.periodic import PeriodicMixin
from views.admin.reports.review import ReviewMixin
from views.admin.reports.scorecard import ScorecardMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportView(ExportsMixin, PeriodicMixin, ScorecardMixin, ReviewMixin, SecuredScreen):
    resource = "report"
    route_actions = {
        "index_view": "view",
        "review_view": "view",
        "report_export": "export",
        "tracking_book": "export",
        "exports_view": "export",
        "export_status": "export",
        "export_again": "export",
        "export_download": "export",
        "periodic_view": "view",
        "scorecard_view": "view",
    }

    @expose("/")
    def index_view(self):
        choice = read_choice(request.args)
        report, source = replica.read(
            lambda: pages.report(current_user, choice.period, choice.filters)
        )
        return self.render(
            "admin/report/index.html",
            choice=choice,
            report=report,
            source=source,
            charts=ctx.charts(report.flow, report.flow_unit, report.monthly, report.monthly_unit),
            ctx=ctx,
            may_export=self.allows("export"),
            query=request.query_string.decode()[:500],
        )

    @expose("/export.xlsx")
    def report_export(self):
        """What the page shows, as XLSX: totals, then each table."""
        choice = read_choice(request.args)
        if exports.is_heavy(choice.period):
            return self.ask_in_background("report", choice.period, choice.filters)
        self._audit("report", choice.period)
        replica.use()  # read while the file streams
        sheets = report_sheets.sheets(current_user, choice.period, choice.filters)
        return _xlsx(stream_workbook(sheets), _name("bao-cao", choice.period))

    @expose("/tracking-book.xlsx")
    def tracking_book(self):
        """The tracking book of FROM..TO (YYYY-MM-DD or dd/mm/yyyy), the user's rows only."""
        try:
            period = make_period(request.args.get("from"), request.args.get("to"))
        except ValidationFailed as exc:
            message = _("The period is not valid: %(fields)s", fields=exc.fields)
            return Response(message, status=400, mimetype="text/plain")
        if exports.is_heavy(period):
            return self.ask_in_background("tracking_book", period, Filters())
        self._audit("tracking_book", period)
        replica.use()
        sheet = tracking_book.sheet(current_user, period)
        return _xlsx(stream_workbook([sheet]), _name("so-theo-doi", period))

    def _audit(self, what: str, period: Period) -> None:
        audit.record_now(
            "export",
            "report",
            None,
            actor=current_user,
            ip_address=request.remote_addr,
            summary=f"{what} {period.label()}: {request.query_string.decode()[:300]}",
        )

    def xlsx_response(self, sheets, what: str, period: Period) -> Response:
        return _xlsx(stream_workbook(sheets), _name(what, period))

    def report_url(self, **args) -> str:
        return url_for(".index_view", **args)


def _name(what: str, period: Period) -> str:
    """``so-theo-doi-20260301-20260331_2026-04-01_09-15-00.xlsx``: the period, then when it
    was taken out on the office's clock."""
    return f"{what}-{period.first:%Y%m%d}-{period.last:%Y%m%d}_{local_stamp()}.xlsx"


def _xlsx(chunks, filename: str) -> Response:
    response = Response(stream_with_context(chunks), mimetype=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
