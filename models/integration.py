"""The transactional outbox and the national portal's sync state and mappings.

An ``OutboxMessage`` is written in the same transaction as the change it reports (a
dossier's history row, a parcel event) and delivered at least once by the workers;
the receiving side makes it effectively once with the row's idempotency key.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import BigId, JSONType, UTCDateTime, utcnow
from models.vocabulary import N_, Term, Vocabulary

OUTBOX_STATUSES = Vocabulary(
    Term("pending", "chờ gửi", N_("Pending"), "warning"),
    Term("sending", "đang gửi", N_("Sending"), "info"),
    Term("done", "đã gửi", N_("Sent"), "success"),
    Term("dead", "lỗi, ngừng gửi", N_("Failed"), "danger"),
    Term("discarded", "đã bỏ qua", N_("Discarded"), "secondary"),
)
OUTBOX_KINDS = Vocabulary(
    Term("step", "bước xử lý", N_("Processing step")),
    Term("state", "trạng thái hồ sơ", N_("Dossier state")),
    Term("export", "tệp báo cáo tải về", N_("Report download")),
    Term("digitize", "số hóa tệp", N_("File digitization")),
    Term("carrier", "sự kiện của đơn vị vận chuyển", N_("Carrier event")),
    Term("notify", "tin nhắn cho người nộp", N_("Message to the applicant")),
)
#: What an IT user maps to the portal's own codes.
PORTAL_MAPPING_KINDS = Vocabulary(
    Term("procedure", "Mã thủ tục", N_("Procedure code")),
    Term("field", "Mã lĩnh vực", N_("Field code")),
    Term("status", "Mã trạng thái", N_("Status code")),
)
DUE_SQL = "status IN ('pending', 'sending')"
OPEN_SQL = "status IN ('pending', 'sending', 'dead')"
DONE_SQL = "status = 'done'"


class OutboxMessage(db.Model):
    """One event for one sink, delivered by the workers until done (or dead)."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(OUTBOX_STATUSES.check("status"), name="status"),
        CheckConstraint(OUTBOX_KINDS.check("kind"), name="kind"),
        # Due rows: pending ones by next attempt, sending ones by the end of their lease.
        Index(
            "ix_outbox_due",
            "next_attempt_at",
            postgresql_where=text(DUE_SQL),
            sqlite_where=text(DUE_SQL),
        ),
        # The screen's counts and lists of rows not yet sent (few, whatever the done ones).
        Index(
            "ix_outbox_open",
            "sink",
            "status",
            "created_at",
            postgresql_where=text(OPEN_SQL),
            sqlite_where=text(OPEN_SQL),
        ),
        # The screen's latest sent rows, newest first, and its capped count of the last day.
        Index(
            "ix_outbox_done",
            "done_at",
            postgresql_where=text(DONE_SQL),
            sqlite_where=text(DONE_SQL),
        ),
        # The same per sink: a sink with nothing sent lately is counted without walking the
        # others' rows.
        Index(
            "ix_outbox_done_sink",
            "sink",
            "done_at",
            postgresql_where=text(DONE_SQL),
            sqlite_where=text(DONE_SQL),
        ),
        Index("ix_outbox_dossier", "dossier_id", "sink", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sink: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(20))
    dossier_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("dossier.id"))
    # The event that raised the row; no foreign key: the history is partitioned on its
    # dossier (models.partitions), so its id alone has no unique index to point at.
    history_id: Mapped[int | None] = mapped_column(BigId)
    payload: Mapped[dict | None] = mapped_column(JSONType)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # While sending, next_attempt_at is the end of the lease: past it the row is due again.
    lease_token: Mapped[str | None] = mapped_column(String(32))
    # Still failing then: dead (a week after it was written, or after IT staff retried it).
    give_up_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)  # why IT staff retried or discarded it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __str__(self) -> str:
        return f"#{self.id} {self.sink}/{self.kind}"


class OutboxLock(db.Model):
    """One delivery at a time per key (a coalescing sink's dossier), held until ``until``."""

    __tablename__ = "outbox_lock"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    until: Mapped[datetime] = mapped_column(UTCDateTime)


class PortalSync(db.Model):
    """What the national portal has acknowledged of one dossier (its sync state)."""

    __tablename__ = "portal_sync"

    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossier.id"), primary_key=True)
    portal_status: Mapped[int | None]
    first_synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PortalMapping(db.Model):
    """Our value (a procedure code, a field name, a status) → the portal's code; IT edits it."""

    __tablename__ = "portal_mapping"
    __table_args__ = (
        CheckConstraint(PORTAL_MAPPING_KINDS.check("kind"), name="kind"),
        UniqueConstraint("kind", "ours", name="uq_portal_mapping_ours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    ours: Mapped[str] = mapped_column(String(120))
    portal: Mapped[str] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(String(255))

    def __str__(self) -> str:
        return f"{self.ours} → {self.portal}"
