"""Heavy downloads made in the background: a long tracking book or report, one row per file.

A user asks, a worker builds the file (progress counted as it goes), the user downloads it
from the same row. At most one of a user's files is being made at a time: a partial unique
index on the user for the unfinished states holds it, whichever server takes the request.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from extensions import db
from models.base import JSONType, UTCDateTime, utcnow
from models.user import User
from models.vocabulary import N_, Term, Vocabulary

EXPORT_KINDS = Vocabulary(
    Term("tracking_book", "Sổ theo dõi hồ sơ", N_("Tracking book")),
    Term("report", "Báo cáo số liệu", N_("Figures report")),
)
EXPORT_STATUSES = Vocabulary(
    Term("queued", "Đang chờ", N_("Waiting"), "secondary"),
    Term("running", "Đang tạo", N_("Being made"), "warning"),
    Term("done", "Sẵn sàng", N_("Ready"), "success"),
    Term("failed", "Không tạo được", N_("Could not be made"), "danger"),
)
#: A user's file in one of these states is still being made: one at a time per user.
UNFINISHED = ("queued", "running")
_UNFINISHED_SQL = text("status IN ('queued', 'running')")


class ReportExport(db.Model):
    """One file asked for: what (KIND and PARAMS), by whom, how far, and the file itself."""

    __tablename__ = "report_export"
    __table_args__ = (
        CheckConstraint(EXPORT_KINDS.check("kind"), name="kind"),
        CheckConstraint(EXPORT_STATUSES.check("status"), name="status"),
        Index(
            "ux_report_export_one_unfinished",
            "user_id",
            unique=True,
            sqlite_where=_UNFINISHED_SQL,
            postgresql_where=_UNFINISHED_SQL,
        ),
        Index("ix_report_export_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict] = mapped_column(JSONType)
    label: Mapped[str] = mapped_column(String(200))  # "Sổ theo dõi hồ sơ 01/01/2026–31/12/2026"
    status: Mapped[str] = mapped_column(String(10), default="queued")
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int | None]  # an estimate when known, for the progress bar
    filename: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int | None]
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED
