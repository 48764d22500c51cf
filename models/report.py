"""Daily figures: counts per local day, agency, procedure and post office.

Kept in the same transaction as every change of a dossier or a parcel
(services.reporting.facts), so that a year of figures sums a few thousand rows
instead of a million dossiers.
"""

from datetime import date

from sqlalchemy import BigInteger, Date, Index
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db

#: The additive figures the table keeps, one column each.
MEASURES = (
    "received",
    "received_counter",
    "received_post",
    "received_online",
    "fees",
    "completed",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "supplement_requests",
    "refused",
    "apologies",
    "stopped",
    "withdrawn",
    "returned_at_counter",
    "delivered",
    "returned_to_sender",
    "parcels",
    "postage",
    "in_progress",
)


class ReportDaily(db.Model):
    """One local day's figures of the dossiers of one procedure received by one post office.

    ``post_office_id`` 0 stands for dossiers that no post office received (online).
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
    received: Mapped[int] = mapped_column(default=0)
    received_counter: Mapped[int] = mapped_column(default=0)
    received_post: Mapped[int] = mapped_column(default=0)
    received_online: Mapped[int] = mapped_column(default=0)
    fees: Mapped[int] = mapped_column(BigInteger, default=0)
    completed: Mapped[int] = mapped_column(default=0)
    completed_early: Mapped[int] = mapped_column(default=0)
    completed_on_time: Mapped[int] = mapped_column(default=0)
    completed_late: Mapped[int] = mapped_column(default=0)
    supplement_requests: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    apologies: Mapped[int] = mapped_column(default=0)
    stopped: Mapped[int] = mapped_column(default=0)
    withdrawn: Mapped[int] = mapped_column(default=0)
    returned_at_counter: Mapped[int] = mapped_column(default=0)
    delivered: Mapped[int] = mapped_column(default=0)
    returned_to_sender: Mapped[int] = mapped_column(default=0)
    # Parcels (delivery orders) created that day for those dossiers, and their postage.
    parcels: Mapped[int] = mapped_column(default=0, server_default="0")
    postage: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Of the dossiers received that day, those open now (received, processing, supplement).
    in_progress: Mapped[int] = mapped_column(default=0, server_default="0")
