"""The home page's figures: this month and the last 12 months, in the user's scope."""

import permissions
from services.reporting import figures
from services.reporting.periods import last_months, preset
from views.admin.reports import context as ctx

KPIS = ("received", "completed", "on_time_rate", "in_progress", "overdue")
KPIS += ("returned_at_counter", "returned_by_post", "supplement_requests")
#: The stored daily figures the KPIs and the charts are made of (returned by post is
#: ``delivered``; the on-time rate, early and on-time over completed).
MEASURES = ("received", "completed", "completed_early", "completed_on_time", "in_progress")
MEASURES += ("returned_at_counter", "delivered", "supplement_requests")


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
