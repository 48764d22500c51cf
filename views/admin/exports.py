"""Exports of the lists: audited, and opening correctly in Excel on Windows.

CSV starts with a UTF-8 byte-order mark (else Excel reads Vietnamese as
Windows-1258 mojibake); XLSX has text cells. Every cell is formula-safe
(views/admin/formatters.spreadsheet_safe).
"""

from flask import g, request
from flask_admin import expose
from flask_login import current_user

from services import audit

BOM = "\ufeff"


class ExportMixin:
    """Flask-Admin's export routes with an audit entry and Excel-friendly files."""

    export_types = ["csv", "xlsx"]

    @expose("/export/<export_type>/")
    def export(self, export_type):
        """Flask-Admin's export, audited (who took which rows out, with which filters).

        The entry has its own transaction: the export streams rows after this returns.
        """
        audit.record_now(
            "export",
            self.resource,
            None,
            actor=current_user,
            ip_address=request.remote_addr,
            summary=f"{export_type}: {request.query_string.decode()[:400]}",
        )
        g.export_type = export_type  # CSV cells of IDs and phones are wrapped to stay text
        return super().export(export_type)

    def _export_csv(self, return_url):
        response = super()._export_csv(return_url)
        rows = response.response
        response.response = (text for part in ([BOM], rows) for text in part)
        response.mimetype = "text/csv"
        response.charset = "utf-8"
        return response
