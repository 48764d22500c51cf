"""The home page and the reports page, each built in one call as plain data.

The views format and chart what these return; nothing is read while a page is
drawn. Which figures the dashboard shows and charts comes from the catalogue
(models.report.FIGURES: ``kpi`` and ``chart``).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

import permissions
from extensions import db
from models.agency import Agency
from models.base import utcnow
from models.catalog import ProcedureType
from models.report import FIGURES, placed, stored_for
from services.calendar import LOCAL_TZ
from services.dossiers.ratings import follow_ups
from services.reporting import figures, replica
from services.reporting.periods import Period, last_months, preset
from services.reporting.queries import Filters
from services.reporting.replica import PRIMARY, Source
from services.reporting.work_queues import Queue, work_queues

#: The dashboard's KPIs, in their order.
KPIS = tuple(f.name for f in placed("kpi"))
#: The stored daily figures the KPIs and the charts are made of.
DASHBOARD_MEASURES = stored_for((*KPIS, *(f.name for f in FIGURES if f.chart)))


@dataclass(frozen=True)
class Dashboard:
    """This month's and the last 12 months' figures, and the charts' series."""

    month: Period
    year: Period
    this_month: dict
    last_12: dict
    weeks: list  # every figure per week (from Monday) of the 12 months, oldest first
    months: list  # per month


@dataclass(frozen=True)
class Home:
    """The signed-in user as the page greets them, their work queues and the dashboard."""

    name: str
    roles: tuple[str, ...]  # the roles' labels
    agency: str
    queues: tuple[Queue, ...]
    dashboard: Dashboard | None  # None without the report right
    may_receive: bool = False  # the "receive a dossier" button: only for who may create one
    follow_ups: tuple = ()  # disliked ratings to call back (services.dossiers.ratings.follow_ups)
    source: Source = PRIMARY  # where the dashboard was read (the replica or the primary)


@dataclass(frozen=True)
class Report:
    """The reports page: totals, series, one table per grouping, the filters' options."""

    period: Period
    totals: dict
    flow: list  # every figure per FLOW_UNIT of the period
    flow_unit: str
    monthly: list  # per MONTHLY_UNIT
    monthly_unit: str
    tables: dict  # grouping (figures.GROUPS) → rows
    options: dict  # "agency" | "procedure" | "post_office" → [(id, text)]


def home(user, now: datetime | None = None) -> Home:
    """The home page of USER at NOW."""
    now = now or utcnow()
    shows_figures = permissions.can(user, "report", "view")
    figures_now, source = None, PRIMARY
    if shows_figures:  # the figures from the replica; the queues stay on the primary
        figures_now, source = replica.read(lambda: dashboard(user, now))
    return Home(
        name=user.full_name,
        roles=tuple(role.label for role in user.roles),
        agency=user.agency.name,
        queues=tuple(work_queues(user, now)),
        dashboard=figures_now,
        may_receive=permissions.can(user, "dossier", "create"),
        follow_ups=tuple(follow_ups.open_for(user)),
        source=source,
    )


def dashboard(user, now: datetime) -> Dashboard:
    """The KPIs of this month and of 12 months, and the charts' series, in USER's scope.

    The daily figures table by local day over the 12 months feeds every number
    but overdue, which one statement over the overdue dossiers gives. The
    handover delay is left to the reports page: its percentiles read every
    handover of the period, too slow for a home page at scale.
    """
    today = now.astimezone(LOCAL_TZ).date()
    year, month = last_months(12, today), preset("this_month", today)
    days = figures.daily(user, year, now=now, open_too=False, measures=DASHBOARD_MEASURES)
    overdue_month, overdue_year = figures.overdue_of(user, (month, year), now=now)
    return Dashboard(
        month=month,
        year=year,
        this_month=figures.total(days, month, overdue_month),
        last_12=figures.total(days, year, overdue_year),
        weeks=figures.fold(days, Period(year.first, today), "week"),  # no weeks to come
        months=figures.fold(days, year, "month"),
    )


def units_for(days: int) -> tuple[str, str]:
    """The buckets of the flow series and of the monthly series for a period of DAYS."""
    if days <= 45:
        return "day", "week"
    if days <= 190:
        return "week", "month" if days > 62 else "week"
    return "month", "month"


def report(
    user, period: Period, filters: Filters | None = None, now=None, options: bool = True
) -> Report:
    """The reports page of PERIOD in USER's scope, narrowed by FILTERS; OPTIONS False leaves
    the filters' options out (the XLSX has no form)."""
    filters, now = filters or Filters(), now or utcnow()
    flow_unit, monthly_unit = units_for(period.days)
    days = figures.daily(user, period, filters, now)
    return Report(
        period=period,
        totals=figures.total(days, period, figures.delays(user, period, filters)),
        flow=figures.fold(days, period, flow_unit),
        flow_unit=flow_unit,
        monthly=figures.fold(days, period, monthly_unit),
        monthly_unit=monthly_unit,
        tables={by: figures.table(user, period, by, filters, now) for by in figures.GROUPS},
        options=filter_options(user) if options else {},
    )


def filter_options(user) -> dict:
    """The agencies, procedures and post offices USER may narrow the figures to."""
    department, office = permissions.report_filter_bounds(user)
    departments = select(Agency.id, Agency.name).where(Agency.kind == "department")
    offices = select(Agency.id, Agency.name).where(Agency.kind == "post_office")
    procedures = select(ProcedureType.id, ProcedureType.code + " – " + ProcedureType.name)
    if department is not None:
        departments = departments.where(Agency.id == department)
        procedures = procedures.where(ProcedureType.agency_id == department)
    if office is not None:
        offices = offices.where(Agency.id == office)
    queries = {
        "agency": departments.order_by(Agency.name),
        "procedure": procedures.order_by(ProcedureType.code),
        "post_office": offices.order_by(Agency.name),
    }
    return {name: [tuple(row) for row in db.session.execute(q)] for name, q in queries.items()}
