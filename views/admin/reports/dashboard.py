"""The home page's figures: this month and the last 12 months, in the user's scope."""

import permissions
from models.report import FIGURES, placed, stored_for
from services.reporting import figures
from services.reporting.periods import last_months, preset
from views.admin.reports import context as ctx

#: The dashboard's KPIs, in their order (the catalogue's ``kpi`` places).
KPIS = tuple(figure.name for figure in placed("kpi"))
#: The stored daily figures the KPIs and the charts are made of.
MEASURES = stored_for((*KPIS, *(figure.name for figure in FIGURES if figure.chart)))


def dashboard(user) -> dict | None:
    """KPIs of this month and of 12 months, and the three charts; None without the report right.

    The daily figures table by local day over the 12 months feeds every number
    but overdue, which one statement over the overdue dossiers gives.
    The handover delay is left to the reports page: its percentiles read every
    handover of the period, too slow for a home page at scale.
    """
    if not permissions.can(user, "report", "view"):
        return None
    year, month = last_months(12), preset("this_month")
    days = figures.daily(user, year, open_too=False, measures=MEASURES)
    weeks = figures.fold(days, year, "week")
    months = figures.fold(days, year, "month")
    overdue_month, overdue_year = figures.overdue_of(user, (month, year))
    return {
        "year": year,
        "month": month,
        "kpis": KPIS,
        "this_month": figures.total(days, month, overdue_month),
        "last_12": figures.total(days, year, overdue_year),
        "charts": ctx.charts(weeks, "week", months, "month"),
        "ctx": ctx,
    }
