"""Exports of the lists: audited, and opening correctly in Excel on Windows.

CSV starts with a UTF-8 byte-order mark (else Excel reads Vietnamese as
Windows-1258 mojibake); XLSX has text cells. Every cell is formula-safe: text through
views/admin/core/formatters.spreadsheet_safe, then, whatever a column formatter or a choice
map made of it, a last guard over every column (relations and lists of them included).
"""

import re
from datetime import date, datetime
from decimal import Decimal

from flask import g, request
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from services import audit
from services.calendar import LOCAL_TZ
from vietnam.text import formula_safe

BOM = "\ufeff"
# What spreadsheet_safe makes of a long digit string in a CSV: a text literal, not a formula.
_TEXT_LITERAL = re.compile(r'="\+?\d{6,}"')
_PLAIN = (bool, int, float, Decimal, date, datetime)


def export_cell(value):
    """VALUE as a cell no spreadsheet runs: numbers, dates and empties as they are; text,
    related rows and lists of them as formula-safe text."""
    if value is None or isinstance(value, _PLAIN):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    return text if _TEXT_LITERAL.fullmatch(text) else formula_safe(text)


def local_stamp() -> str:
    """Now on the office's clock (Asia/Ho_Chi_Minh), for file names: ``2026-03-05_14-30-00``."""
    return datetime.now(LOCAL_TZ).strftime("%Y-%m-%d_%H-%M-%S")


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
            summary=self.export_summary(export_type)[:500],
        )
        g.export_type = export_type  # CSV cells of IDs and phones are wrapped to stay text
        return super().export(export_type)

    def get_export_name(self, export_type: str = "csv") -> str:
        """``<list>_<local time>.<type>``: Flask-Admin stamps the server's clock (UTC)."""
        return f"{self.name}_{local_stamp()}.{export_type}"

    def export_summary(self, export_type: str) -> str:
        """What was taken out, for the audit log: ``XLSX – Hồ sơ; lọc: Trạng thái = …``."""
        parts = [f"{export_type.upper()} – {self.name}"]
        filters = [
            f"{self._filters[index].name} {self._filters[index].operation()} «{value}»"
            for index, _name, value in self._get_list_filter_args()
        ]
        if filters:
            parts.append(_("filters: %(list)s", list="; ".join(map(str, filters))))
        if request.args.get("search"):
            parts.append(_("search: «%(text)s»", text=request.args["search"][:100]))
        return ", ".join(parts)

    def get_export_value(self, model, name):
        """Flask-Admin's export value, guarded in every column (relation columns too)."""
        return export_cell(super().get_export_value(model, name))

    def _export_csv(self, return_url):
        response = super()._export_csv(return_url)
        rows = response.response
        response.response = (text for part in ([BOM], rows) for text in part)
        response.mimetype = "text/csv"
        response.charset = "utf-8"
        return response
