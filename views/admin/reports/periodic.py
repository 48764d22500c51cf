"""The periodic report page (/admin/report/periodic) and its XLSX, as provinces publish it."""

from flask import Response, abort, request
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from models.report import PERIODIC, RATE
from services.errors import ValidationFailed
from services.reporting import periodic, replica
from services.reporting.periods import make_period, preset
from services.reporting.xlsx import Sheet
from views.admin.reports import context as ctx
from views.admin.reports.choice import read_choice

#: Each column's heading, and the heading of the group it sits under (None: none).
HEADINGS = tuple((c.name, _l(c.msgid), c.group and _l(c.group)) for c in PERIODIC)
GROUPINGS = {"procedure": _l("Agencies and their procedures"), "post_office": _l("Post offices")}


def read_period(args):
    """The period of FROM..TO when typed, else the chosen preset, else last month."""
    choice = read_choice(args)
    if args.get("from") or args.get("to"):
        choice.preset = "custom"
        try:
            choice.period = make_period(args.get("from"), args.get("to"))
            choice.errors = {}
        except ValidationFailed as exc:
            choice.errors = exc.fields
            choice.period = preset("last_month")
    elif "preset" not in args:
        choice.preset, choice.period = "last_month", preset("last_month")
    return choice


def header_groups() -> list[tuple]:
    """(label, span) of the first heading row: each group once, a lone column spanning 2 rows."""
    groups = []
    for _name, label, group in HEADINGS:
        if group is not None and groups and groups[-1][0] == group:
            groups[-1] = (group, groups[-1][1] + 1, False)
        else:
            groups.append((group or label, 1, group is None))
    return groups


KINDS = {c.name: c.kind for c in PERIODIC}


def cell(name: str, value) -> str:
    """VALUE of column NAME as a person reads it."""
    return ctx.show("on_time_rate" if KINDS[name] == RATE else "received", value)


class PeriodicMixin:
    """The reports screen's /periodic page; ``format=xlsx`` gives the same table as XLSX."""

    @expose("/periodic")
    def periodic_view(self):
        choice = read_period(request.args)
        by = request.args.get("by") if request.args.get("by") in GROUPINGS else "procedure"
        xlsx = request.args.get("format") == "xlsx"
        report, source = replica.read(
            lambda: periodic.report(
                current_user, choice.period, choice.filters, by=by, with_corrections=not xlsx
            )
        )
        if xlsx:
            if choice.errors:
                message = _("The period is not valid: %(fields)s", fields=choice.errors)
                return Response(message, status=400, mimetype="text/plain")
            if not self.allows("export"):
                abort(403)
            self._audit("periodic", choice.period)
            return self.xlsx_response([_sheet(report)], "bao-cao-dinh-ky", choice.period)
        return self.render(
            "admin/report/periodic.html",
            choice=choice,
            report=report,
            source=source,
            by=by,
            groupings=GROUPINGS,
            headings=HEADINGS,
            groups=header_groups(),
            cell=cell,
            may_export=self.allows("export"),
        )


def _sheet(report) -> Sheet:
    header = (_("Code"), _("Name"), *(_full(label, group) for _n, label, group in HEADINGS))
    rows = [
        _line(r.code, r.name if r.kind != "procedure" else f"   {r.name}", r.figures)
        for r in report.rows
    ]
    rows.append(_line("", _("Total"), report.total))
    title = f"{_('Periodic report')} {report.period.label()}"
    widths = (18, 48, *(12,) * len(HEADINGS))
    return Sheet(_("Periodic report"), header, rows, widths, title)


def _full(label, group) -> str:
    return f"{group} – {label}" if group else str(label)


def _line(code, name, figures) -> tuple:
    values = [figures[n] for n, _label, _group in HEADINGS]
    rate = figures["on_time_rate"]
    values[-1] = None if rate is None else round(rate, 4)
    return (code, name, *values)
