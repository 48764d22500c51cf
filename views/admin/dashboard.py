"""The home page's figures: this month and the last 12 months, in the user's scope."""

import permissions
from services import reports
from services.report_periods import last_months, preset
from views.admin import report_context as ctx

KPIS = ("received", "completed", "on_time_rate", "in_progress", "overdue")
KPIS += ("returned_at_counter", "returned_by_post", "supplement_requests")


def dashboard(user) -> dict | None:
    """KPIs of this month and of 12 months, and the three charts; None without the report right.

    One pass of grouped queries by local day over the 12 months feeds every
    number. The handover delay is left to the reports page: its percentiles
    read every handover of the period, too slow for a home page at scale.
    """
    if not permissions.can(user, "report", "view"):
        return None
    year, month = last_months(12), preset("this_month")
    days = reports.daily(user, year, open_too=False)
    weeks = reports.fold(days, year, "week")
    months = reports.fold(days, year, "month")
    return {
        "year": year,
        "month": month,
        "kpis": KPIS,
        "this_month": reports.total(days, month, reports.open_now(user, month)),
        "last_12": reports.total(days, year, reports.open_now(user, year)),
        "charts": ctx.charts(weeks, "week", months, "month"),
        "ctx": ctx,
    }
