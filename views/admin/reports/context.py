"""What the dashboard and the reports page show: figure names, formatted values, chart data.

Every figure's label and formatting follow its record in models.report.FIGURES
(its msgid and its kind: count, money, rate or hours).
"""

from flask_babel import format_decimal, format_percent
from flask_babel import lazy_gettext as _l

from i18n import vnd
from models.report import FIGURE, FIGURES, HOURS, MONEY, RATE, placed

#: Each figure's name as people read it (its msgid, translated when shown).
LABELS = {figure.name: _l(figure.msgid) for figure in FIGURES}
#: The figures in the order the page and the XLSX show them.
SHOWN = tuple(LABELS)
#: The columns of the reports page's tables (and of its XLSX sheets).
TABLE_COLUMNS = tuple(figure.name for figure in placed("table"))
#: The charts: id, title, drawing, and the buckets they plot (the flow or the monthly
#: ones); each plots the figures whose ``chart`` is its id, in the catalogue's order.
CHARTS = (
    ("flow", _l("Received and completed"), "bar", "flow"),
    ("ontime", _l("On-time rate (%)"), "line", "monthly"),
    ("returns", _l("Results returned: at the counter and by post"), "stacked", "monthly"),
)
GROUP_NAMES = {
    "agency": _l("By resolving agency"),
    "procedure": _l("By procedure"),
    "post_office": _l("By post office"),
}


def hours(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{format_decimal(round(seconds / 3600, 1), format='#,##0.0')} {_l('h')}"


def show(name: str, value) -> str:
    """VALUE of figure NAME as a person reads it."""
    kind = FIGURE[name].kind
    if kind == RATE:
        return "—" if value is None else format_percent(value, format="#,##0.0 %")
    if kind == HOURS:
        return hours(value)
    if kind == MONEY:
        return vnd(value)
    return format_decimal(value or 0)


def plain(name: str, value):
    """VALUE of figure NAME for a spreadsheet cell: a number, or text for a rate or delay."""
    if value is None:
        return "—"
    kind = FIGURE[name].kind
    if kind == RATE:
        return round(value * 100, 1)
    if kind == HOURS:
        return round(value / 3600, 1)
    return value


def heading(name: str) -> str:
    """A column title for figure NAME in a spreadsheet, with its unit."""
    kind = FIGURE[name].kind
    if kind == RATE:
        return f"{LABELS[name]} (%)"
    if kind == HOURS:
        return f"{LABELS[name]} ({_l('hours')})"
    return str(LABELS[name])


def bucket_label(start, unit: str) -> str:
    if unit == "month":
        return f"{start:%m/%Y}"
    return f"{start:%d/%m}"


def _point(name: str, value):
    """VALUE of figure NAME as a chart plots it: rates in per cent."""
    if FIGURE[name].kind == RATE:
        return None if value is None else round(value * 100, 1)
    return value


def charts(flow: list, flow_unit: str, monthly: list, monthly_unit: str) -> list[dict]:
    """The three charts: received vs completed; on-time rate; returns at counter vs by post."""
    buckets = {"flow": (flow, flow_unit), "monthly": (monthly, monthly_unit)}
    drawn = []
    for chart, title, kind, which in CHARTS:
        rows, unit = buckets[which]
        names = [figure.name for figure in FIGURES if figure.chart == chart]
        drawn.append(
            {
                "id": chart,
                "title": str(title),
                "kind": kind,
                "labels": [bucket_label(b["start"], unit) for b in rows],
                "series": [
                    {"label": str(LABELS[n]), "data": [_point(n, b[n]) for b in rows]}
                    for n in names
                ],
            }
        )
    return drawn
