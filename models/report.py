"""Report figures: the catalogue of every figure, and the daily table keeping the stored ones.

Each figure is one record (``Figure``): its English msgid (Vietnamese in
messages.po), its kind (how it reads), which way is better, whether it is a
column of ``report_daily`` or computed, and where it is shown. The daily table's
columns, the summary API's fields, the dashboard's KPIs and charts, the reports
page's tables, the review and the formatting all derive from ``FIGURES``.

The daily table is kept in the same transaction as every change of a dossier or
a parcel (services.reporting.facts), so that a year of figures sums a few
thousand rows instead of a million dossiers.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import BigInteger, Date, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

COUNT, MONEY, RATE, HOURS = "count", "money", "rate", "hours"
KINDS = (COUNT, MONEY, RATE, HOURS)
UP, DOWN, NEITHER = "up", "down", "neither"
#: How a figure is had: a column of report_daily; the sum of stored PARTS; PARTS over WHOLE;
#: or a query of its own (overdue, the handover delays), which does not add up across days.
STORED, SUM, RATIO, QUERY = "stored", "sum", "ratio", "query"
#: Where a figure may be placed, each an ordered list (1, 2, …).
PLACES = ("kpi", "table", "api", "review")


def N_(msgid: str) -> str:
    """Mark MSGID for pybabel (a default keyword); it is translated where it is shown."""
    return msgid


@dataclass(frozen=True)
class Figure:
    """One report figure. KPI, TABLE, API, REVIEW: its place on the dashboard, among the
    reports page's table columns, in GET /api/v1/reports/summary and in the review (None:
    not there); CHART: the dashboard and reports chart that plots it."""

    name: str
    msgid: str
    kind: str
    better: str
    source: str = STORED
    parts: tuple[str, ...] = ()
    whole: tuple[str, ...] = ()
    kpi: int | None = None
    chart: str | None = None
    table: int | None = None
    api: int | None = None
    review: int | None = None

    def place(self, where: str) -> int | None:
        return getattr(self, where)


# In the order the reports page and its XLSX show them.
# fmt: off
FIGURES = (
    Figure("received", N_("Dossiers received"), COUNT, NEITHER,
           kpi=1, chart="flow", table=1, api=1, review=1),
    Figure("received_counter", N_("Received at the counter"), COUNT, NEITHER),
    Figure("received_post", N_("Received by post"), COUNT, NEITHER),
    Figure("received_online", N_("Received online"), COUNT, NEITHER),
    Figure("in_progress", N_("Still being processed"), COUNT, NEITHER, kpi=4, table=7, api=5),
    Figure("overdue", N_("Received in the period, now overdue"), COUNT, DOWN, QUERY,
           kpi=5, table=8, api=6, review=7),
    Figure("completed", N_("Completed"), COUNT, UP,
           kpi=2, chart="flow", table=2, review=2),
    Figure("completed_early", N_("Completed early"), COUNT, UP, table=3, api=2, review=3),
    Figure("completed_on_time", N_("Completed on time"), COUNT, UP, table=4, api=3, review=4),
    Figure("completed_late", N_("Completed late"), COUNT, DOWN, table=5, api=4, review=5),
    Figure("on_time_rate", N_("On-time rate"), RATE, UP, RATIO,
           ("completed_early", "completed_on_time"), ("completed",),
           kpi=3, chart="ontime", table=6, api=14, review=6),
    Figure("supplement_requests", N_("Supplement requests"), COUNT, DOWN,
           kpi=8, table=9, api=9, review=8),
    Figure("refused", N_("Refusals"), COUNT, DOWN, table=10, api=10, review=9),
    Figure("apologies", N_("Apologies"), COUNT, DOWN, api=11, review=10),
    Figure("stopped", N_("Processing stopped"), COUNT, DOWN),
    Figure("withdrawn", N_("Withdrawn by the applicant"), COUNT, NEITHER),
    Figure("returned_at_counter", N_("Returned at the counter"), COUNT, NEITHER,
           kpi=6, chart="returns", table=11, api=7, review=11),
    Figure("returned_by_post", N_("Returned by post"), COUNT, NEITHER, SUM, ("delivered",),
           kpi=7, chart="returns", table=12, api=8, review=12),
    Figure("delivered", N_("Parcels delivered"), COUNT, UP, api=12),
    Figure("returned_to_sender", N_("Parcels returned to sender"), COUNT, DOWN, api=13),
    Figure("parcels", N_("Parcels sent"), COUNT, NEITHER),
    Figure("delivered_rate", N_("Delivery success rate"), RATE, UP, RATIO,
           ("delivered",), ("delivered", "returned_to_sender"), review=13),
    Figure("returned_to_sender_rate", N_("Return-to-sender rate"), RATE, DOWN, RATIO,
           ("returned_to_sender",), ("delivered", "returned_to_sender"), review=14),
    Figure("postage", N_("Postage"), MONEY, NEITHER, review=15),
    Figure("fees", N_("Fees collected"), MONEY, NEITHER, review=16),
    Figure("handover_delay_median", N_("Receipt to department, median"), HOURS, DOWN, QUERY,
           review=17),
    Figure("handover_delay_p90", N_("Receipt to department, 9 in 10 within"), HOURS, DOWN,
           QUERY),
)
# fmt: on
FIGURE = {figure.name: figure for figure in FIGURES}
#: The figures the daily table keeps, one column each (additive: they sum across days).
MEASURES = tuple(f.name for f in FIGURES if f.source == STORED)


def placed(where: str) -> tuple[Figure, ...]:
    """The figures shown at WHERE (one of PLACES), in their order there."""
    return tuple(sorted((f for f in FIGURES if f.place(where)), key=lambda f: f.place(where)))


def stored_for(names) -> tuple[str, ...]:
    """The stored figures that the figures NAMES are made of, in catalogue order."""
    wanted = set()
    for name in names:
        figure = FIGURE[name]
        wanted |= {name} if figure.source == STORED else {*figure.parts, *figure.whole}
    return tuple(m for m in MEASURES if m in wanted)


class ReportDaily(db.Model):
    """One local day's figures of the dossiers of one procedure received by one post office.

    ``post_office_id`` 0 stands for dossiers that no post office received (online).
    Besides its key, one column per stored figure (added below, from FIGURES):
    ``in_progress`` counts those of the day's receipts open now (received,
    processing, supplement); ``parcels`` and ``postage`` the delivery orders
    created that day for those dossiers.
    """

    __tablename__ = "report_daily"
    __table_args__ = (
        Index("ix_report_daily_agency_day", "agency_id", "day"),
        Index("ix_report_daily_post_office_day", "post_office_id", "day"),
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    agency_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    procedure_type_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    post_office_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


#: Bookkeeping columns of the daily table that are not figures. ``overdue_change``: +1 on the
#: local day at whose end a dossier's appointment has passed while its clock runs, −1 on the
#: day at whose end it no longer has (closed, paused for a supplement, a new appointment);
#: summed over every day up to D it gives the dossiers overdue at D's end (services.reporting.
#: timeline). It does not add up within a period, so no figure reads it directly.
TALLIES = ("overdue_change",)
#: Every counted column of the daily table.
COLUMNS = (*MEASURES, *TALLIES)


def _add_measure_columns() -> None:
    """One column per stored figure; money in BigInteger (a year of fees passes 2**31 đồng)."""
    for name in MEASURES:
        kind = BigInteger if FIGURE[name].kind == MONEY else Integer
        column = mapped_column(kind, nullable=False, default=0, server_default="0")
        setattr(ReportDaily, name, column)
    for name in TALLIES:
        column = mapped_column(Integer, nullable=False, default=0, server_default="0")
        setattr(ReportDaily, name, column)


_add_measure_columns()


class ReportDelay(db.Model):
    """How many dossiers went from receipt to the department's confirmation within each
    delay BUCKET (services.reporting.delays), per local day (GRAIN "d") and per month
    ("m", START its first day), under the dossier's agency, procedure and post office.

    The handover-delay percentiles of any period are read from these counts (whole
    months from the month rows, the days at its ends from the day rows) instead of
    sorting every handover of the period; kept with the daily figures.
    """

    __tablename__ = "report_delay"

    grain: Mapped[str] = mapped_column(String(1), primary_key=True)
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    agency_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    procedure_type_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    post_office_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    bucket: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    # The shortest and longest delay (whole seconds) counted in the row: the values inside
    # a bucket are taken as evenly spread between them (exact for one or two, or equal ones).
    # Their sum, exact through every count taken back: a row of one delay reads it exactly.
    low: Mapped[int | None] = mapped_column(Integer)
    high: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0, server_default="0")


@dataclass(frozen=True)
class PeriodicColumn:
    """One column of the periodic report (DOMAIN.md "Periodic report"): its name in the API,
    its English msgid (Vietnamese in messages.po), its kind, and the heading group it sits
    under in the published layout."""

    name: str
    msgid: str
    kind: str = COUNT
    group: str | None = None


# In the order provinces publish them; the API fields, the screen and the XLSX derive from it.
# fmt: off
PERIODIC = (
    PeriodicColumn("carried_over", N_("Carried over")),
    PeriodicColumn("received_counter", N_("In person"), group=N_("Received in the period")),
    PeriodicColumn("received_online", N_("Online"), group=N_("Received in the period")),
    PeriodicColumn("received_post", N_("Through the public postal service"),
                   group=N_("Received in the period")),
    PeriodicColumn("to_handle", N_("To handle")),
    PeriodicColumn("settled_early", N_("Early"), group=N_("Settled")),
    PeriodicColumn("settled_on_time", N_("On time"), group=N_("Settled")),
    PeriodicColumn("settled_late", N_("Late"), group=N_("Settled")),
    PeriodicColumn("withdrawn", N_("Withdrawn"), group=N_("Closed otherwise")),
    PeriodicColumn("stopped", N_("Stopped"), group=N_("Closed otherwise")),
    PeriodicColumn("refused", N_("Refused at reception"), group=N_("Closed otherwise")),
    PeriodicColumn("in_progress_within_time", N_("Within time"),
                   group=N_("In progress at the end")),
    PeriodicColumn("in_progress_overdue", N_("Overdue"), group=N_("In progress at the end")),
    PeriodicColumn("on_time_rate", N_("On-time rate"), RATE),
)
# fmt: on
PERIODIC_NAMES = tuple(c.name for c in PERIODIC)
