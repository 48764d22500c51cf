"""The reports page as XLSX sheets: the totals, then one table per grouping.

Headings and cell values follow each figure's record in models.report.FIGURES (its msgid
and kind); the page's own labels (views/admin/reports/context.py) are these same ones.
"""

from flask_babel import lazy_gettext as _l

from models.report import FIGURE, FIGURES, HOURS, RATE, placed
from services.reporting import pages
from services.reporting.periods import Period
from services.reporting.queries import Filters
from services.reporting.xlsx import Sheet

#: Each figure's name as people read it (its msgid, translated when shown).
LABELS = {figure.name: _l(figure.msgid) for figure in FIGURES}
#: The figures in the order the page and the XLSX show them.
SHOWN = tuple(LABELS)
#: The columns of the reports page's tables (and of its XLSX sheets).
TABLE_COLUMNS = tuple(figure.name for figure in placed("table"))
GROUP_NAMES = {
    "agency": _l("By resolving agency"),
    "procedure": _l("By procedure"),
    "post_office": _l("By post office"),
}


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


def totals_sheet(period: Period, totals: dict) -> Sheet:
    rows = [(heading(n), plain(n, totals[n])) for n in SHOWN]
    title = f"{_l('Figures')} {period.label()}"
    return Sheet(str(_l("Figures")), (str(_l("Figure")), str(_l("Value"))), rows, (44, 16), title)


def table_sheet(by: str, rows: list) -> Sheet:
    header = (str(_l("Name")), *(heading(n) for n in TABLE_COLUMNS))
    body = [(r["name"], *(plain(n, r[n]) for n in TABLE_COLUMNS)) for r in rows]
    return Sheet(str(GROUP_NAMES[by]), header, body, (40,) + (14,) * len(TABLE_COLUMNS))


def sheets(user, period: Period, filters: Filters | None = None, now=None) -> list[Sheet]:
    """What the reports page shows for PERIOD in USER's scope, as sheets."""
    report = pages.report(user, period, filters, now, options=False)
    return [totals_sheet(period, report.totals)] + [
        table_sheet(by, rows) for by, rows in report.tables.items()
    ]
