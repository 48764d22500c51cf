"""Dossiers (hồ sơ) and their status history."""

from datetime import date, datetime, timedelta

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from extensions import db
from models import partitions
from models.agency import Agency
from models.base import BigId, JSONType, UTCDateTime, utcnow
from models.catalog import ProcedureType
from models.user import User
from models.vocabulary import N_, Term, Vocabulary
from vietnam.addresses import full_address
from vietnam.text import search_key

STATUSES = Vocabulary(
    Term("received", "đã tiếp nhận", N_("Received"), "info", portal=2),
    Term("processing", "đang xử lý", N_("Processing"), "primary", portal=4),
    Term("supplement_requested", "chờ bổ sung", N_("Supplement requested"), "warning", portal=5),
    Term("result_ready", "đã có kết quả", N_("Result ready"), "success", portal=9),
    Term("result_at_counter", "kết quả tại bưu điện", N_("Result at counter"), "success", portal=9),
    Term("in_delivery", "đang chuyển phát", N_("In delivery"), "success", portal=9),
    Term("returned", "đã trả kết quả", N_("Returned"), "dark", portal=10),
    Term("not_accepted", "từ chối tiếp nhận", N_("Not accepted"), "danger", portal=3),
    Term("withdrawn", "đã rút", N_("Withdrawn"), "secondary", portal=7),
    Term("stopped", "dừng xử lý", N_("Stopped"), "danger", portal=8),
)
CHANNELS = Vocabulary(
    Term("counter", "Tại quầy", N_("At the counter"), portal=1),
    Term("post", "Qua bưu chính", N_("By post"), portal=3),
    Term("online", "Trực tuyến", N_("Online"), portal=2),
)
# The Vietnamese names are the receipt's (Mẫu 01) wording.
RETURN_METHODS = Vocabulary(
    Term("counter", "Tại Bộ phận Một cửa", N_("At the counter")),
    Term("post", "Qua dịch vụ bưu chính công ích", N_("By post")),
)
OUTCOMES = Vocabulary(
    Term("granted", "Chấp thuận", N_("Granted")),
    Term("refused", "Không chấp thuận", N_("Refused")),
)
TIMELINESS = Vocabulary(
    Term("early", "Trước hạn", N_("Early"), "success"),
    Term("on_time", "Đúng hạn", N_("On time"), "info"),
    Term("late", "Trễ hạn", N_("Late"), "danger"),
)
#: Who took the result at the counter (the «return_at_counter» action records it).
COLLECTORS = Vocabulary(
    Term("applicant", "Chính người nộp hồ sơ", N_("The applicant in person")),
    Term("other", "Người khác", N_("Another person")),
    Term("authorised", "Người được ủy quyền", N_("An authorised person")),
)
RUNNING_SQL = "status IN ('received', 'processing')"
WAITING_SQL = "status IN ('received', 'result_ready', 'result_at_counter')"
HANDOVER_SQL = "from_status = 'received' AND to_status = 'processing'"


class Dossier(db.Model):
    """One applicant's dossier for one procedure, from receipt to return."""

    __tablename__ = "dossier"
    __table_args__ = (
        CheckConstraint(STATUSES.check("status"), name="status"),
        CheckConstraint(CHANNELS.check("channel"), name="channel"),
        CheckConstraint(RETURN_METHODS.check("return_method"), name="return_method"),
        CheckConstraint(
            "result_outcome IS NULL OR " + OUTCOMES.check("result_outcome"),
            name="result_outcome",
        ),
        CheckConstraint(
            "timeliness IS NULL OR " + TIMELINESS.check("timeliness"),
            name="timeliness",
        ),
        CheckConstraint(
            "collected_by IS NULL OR " + COLLECTORS.check("collected_by"),
            name="collected_by",
        ),
        CheckConstraint("fee_amount >= 0", name="fee_amount"),
        # One code, one dossier: on PostgreSQL each quarter partition's own unique index
        # (a code carries its receipt day, so its quarter: models.partitions).
        UniqueConstraint("code", name=partitions.CODE_UNIQUE).ddl_if(dialect="sqlite"),
        # A page in receipt order (id breaking ties) is read from these indexes alone.
        Index("ix_dossier_received_at_id", "received_at", "id"),
        Index("ix_dossier_agency_received", "agency_id", "received_at", "id"),
        Index("ix_dossier_post_office_received", "post_office_id", "received_at", "id"),
        Index("ix_dossier_status_due", "status", "due_at"),
        # the list filtered by one status, newest first (the default order), read in order
        Index("ix_dossier_status_received", "status", "received_at", "id"),
        # Overdue dossiers (clock running, past the appointment): the few due before now.
        Index(
            "ix_dossier_running_due",
            "due_at",
            postgresql_where=text(RUNNING_SQL),
            sqlite_where=text(RUNNING_SQL),
            postgresql_include=["received_at", "agency_id", "post_office_id"],
        ),
        # The scorecard's dossiers losing points: settled late, settled (in order).
        Index(
            "ix_dossier_late_completed",
            "completed_at",
            "id",
            postgresql_where=text("timeliness = 'late'"),
            sqlite_where=text("timeliness = 'late'"),
        ),
        Index("ix_dossier_completed_at", "completed_at", "id"),
        # The home page's work queues: to hand over either way, results at the counter.
        Index(
            "ix_dossier_waiting",
            "status",
            "post_office_id",
            "agency_id",
            postgresql_where=text(WAITING_SQL),
            sqlite_where=text(WAITING_SQL),
            postgresql_include=["id"],
        ),
        # Substring search on PostgreSQL through trigrams (pg_trgm); a plain index elsewhere.
        Index(
            "ix_dossier_search_text_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    procedure_type_id: Mapped[int] = mapped_column(ForeignKey("procedure_type.id"), index=True)
    # The resolving agency, copied from the procedure type at receipt: it
    # scopes department users and prefixes the code, and must not move later.
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    post_office_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    status: Mapped[str] = mapped_column(String(30), default="received")
    channel: Mapped[str] = mapped_column(String(10), default="counter")
    return_method: Mapped[str] = mapped_column(String(10), default="counter")

    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_id_number: Mapped[str | None] = mapped_column(String(12), index=True)
    applicant_phone: Mapped[str | None] = mapped_column(String(15), index=True)
    applicant_email: Mapped[str | None] = mapped_column(String(255))
    applicant_province_code: Mapped[int | None]
    applicant_ward_code: Mapped[int | None]
    applicant_street: Mapped[str | None] = mapped_column(String(255))
    applicant_address: Mapped[str | None] = mapped_column(String(500))
    organization_name: Mapped[str | None] = mapped_column(String(255))
    organization_tax_code: Mapped[str | None] = mapped_column(String(14))

    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    clock_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fee_amount: Mapped[int] = mapped_column(default=0)
    extra_data: Mapped[dict | None] = mapped_column(JSONType)
    documents_checked: Mapped[list | None] = mapped_column(JSONType)
    # The channels the applicant agreed to be told on (models.notification.NOTIFY_CHANNELS).
    notify_channels: Mapped[list | None] = mapped_column(JSONType)

    result_number: Mapped[str | None] = mapped_column(String(60))
    result_date: Mapped[date | None] = mapped_column(Date)
    result_summary: Mapped[str | None] = mapped_column(Text)
    result_outcome: Mapped[str | None] = mapped_column(String(10))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who took the result at the counter: the applicant, another person or an authorised one,
    # with their name and ID number, and the authorisation letter's reference.
    collected_by: Mapped[str | None] = mapped_column(String(12))
    collector_name: Mapped[str | None] = mapped_column(String(200))
    collector_id_number: Mapped[str | None] = mapped_column(String(12))
    collector_authorisation: Mapped[str | None] = mapped_column(String(100))
    timeliness: Mapped[str | None] = mapped_column(String(10), index=True)
    rating_key: Mapped[str | None] = mapped_column(String(6))  # printed: lets the holder rate
    supplement_count: Mapped[int] = mapped_column(default=0)
    apology_count: Mapped[int] = mapped_column(default=0)

    notes: Mapped[str | None] = mapped_column(Text)
    # Lower-case, diacritics-free code, name, phone and ID number, kept on
    # write so that search can use an index instead of scanning every column.
    search_text: Mapped[str] = mapped_column(String(600), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    version: Mapped[int] = mapped_column(default=1)
    # Has a handover batch or a parcel ever carried it? Read only where a screen asks, in
    # the dossier's own statement (services.dossiers.transfers.carried); None when not read.
    carried: Mapped[bool | None] = query_expression()

    procedure_type: Mapped[ProcedureType] = relationship()
    agency: Mapped[Agency] = relationship(foreign_keys=[agency_id])
    post_office: Mapped[Agency | None] = relationship(foreign_keys=[post_office_id])
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    history: Mapped[list["DossierHistory"]] = relationship(
        back_populates="dossier", order_by="DossierHistory.at", cascade="all"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def portal_status_code(self) -> int:
        return STATUSES.portal(self.status)

    def __str__(self) -> str:
        return self.code


class DossierHistory(db.Model):
    """One status change of a dossier: who, when, from, to, and a note."""

    __tablename__ = "dossier_history"
    __table_args__ = (
        Index("ix_dossier_history_dossier_at", "dossier_id", "at"),
        # The handovers to departments of a period (the handover delay).
        Index(
            "ix_dossier_history_handover_at",
            "at",
            postgresql_where=text(HANDOVER_SQL),
            sqlite_where=text(HANDOVER_SQL),
            postgresql_include=["dossier_id"],
        ),
        # A counter tablet's latest receipt or return by its clerk.
        Index("ix_dossier_history_actor_at", "actor_id", "at"),
        # The rows recorded after the fact (few): a closed period's corrections.
        Index(
            "ix_dossier_history_recorded_late",
            "recorded_at",
            postgresql_where=text("recorded_at IS NOT NULL"),
            sqlite_where=text("recorded_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossier.id"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    note: Mapped[str | None] = mapped_column(Text)
    # Action-specific facts: a new appointment, a reason, a handover code.
    data: Mapped[dict | None] = mapped_column(JSONType)
    # When the row was written, kept only when that is later than ``at`` (a receipt entered
    # late, a parcel event arriving late): a closed period's figures change only by such rows.
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    dossier: Mapped[Dossier] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


@event.listens_for(Dossier, "before_insert")
@event.listens_for(Dossier, "before_update")
def _derive_text_columns(mapper, connection, target: Dossier) -> None:
    """Keep the composed address and the folded search column in step with their parts."""
    if target.applicant_province_code or target.applicant_street:
        target.applicant_address = full_address(
            target.applicant_street,
            target.applicant_province_code,
            target.applicant_ward_code,
        )
    target.search_text = search_key(
        target.code,
        target.applicant_name,
        target.organization_name,
        target.applicant_phone,
        target.applicant_id_number,
    )[:600]


#: A history row dated further back than this when written was recorded after the fact.
RECORDED_LATE_AFTER = timedelta(minutes=5)


@event.listens_for(DossierHistory, "before_insert")
def _mark_recorded_late(mapper, connection, target: DossierHistory) -> None:
    """Keep the writing time of a row dated in the past (``recorded_at``), else leave it NULL."""
    now = utcnow()
    at = target.at
    late = at is not None and at.tzinfo is not None and at < now - RECORDED_LATE_AFTER
    if late and target.recorded_at is None:
        target.recorded_at = now


partitions.listen(Dossier.__table__, DossierHistory.__table__, Dossier)
