"""What the dashboard and the reports page show: figure names, formatted values, chart data.

Every figure's label and formatting follow its record in models.report.FIGURES
(its msgid and its kind: count, money, rate or hours).
"""

from flask_babel import format_decimal, format_percent
from flask_babel import lazy_gettext as _l

from i18n import vnd
from models.report import FIGURE, FIGURES, HOURS, MONEY, RATE
from services.reporting.report_sheets import (  # noqa: F401  (the page's names are the sheets')
    GROUP_NAMES,
    LABELS,
    SHOWN,
    TABLE_COLUMNS,
    heading,
    plain,
)

#: The charts: id, title, drawing, and the buckets they plot (the flow or the monthly
#: ones); each plots the figures whose ``chart`` is its id, in the catalogue's order.
CHARTS = (
    ("flow", _l("Received and completed"), "bar", "flow"),
    ("ontime", _l("On-time rate (%)"), "line", "monthly"),
    ("returns", _l("Results returned: at the counter and by post"), "stacked", "monthly"),
)


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
