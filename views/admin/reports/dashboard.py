"""The home page's figures as shown: the KPIs of this month and of 12 months, and the charts."""

from services.reporting.pages import KPIS, Dashboard
from views.admin.reports import context as ctx


def dashboard_shown(dashboard: Dashboard | None) -> dict | None:
    """DASHBOARD (services.reporting.pages.home's) for the template; None stays None."""
    if dashboard is None:
        return None
    return {
        "year": dashboard.year,
        "month": dashboard.month,
        "kpis": KPIS,
        "this_month": dashboard.this_month,
        "last_12": dashboard.last_12,
        "charts": ctx.charts(dashboard.weeks, "week", dashboard.months, "month"),
        "ctx": ctx,
    }
