"""The handover log (sổ giao nhận): batches between post office and department."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.agency import Agency
from models.base import BigId, UTCDateTime, utcnow
from models.dossier import Dossier
from models.user import User
from models.vocabulary import N_, Term, Vocabulary

DIRECTIONS = Vocabulary(
    Term("to_department", "Bưu điện → Sở, ngành", N_("To the department")),
    Term("to_post_office", "Sở, ngành → Bưu điện", N_("To the post office")),
)
HANDOVER_STATUSES = Vocabulary(
    Term("draft", "Nháp", N_("Draft"), "secondary"),
    Term("sent", "Đã gửi", N_("Sent"), "warning"),
    Term("confirmed", "Đã xác nhận", N_("Confirmed"), "success"),
    Term("cancelled", "Đã hủy", N_("Cancelled"), "dark"),
)
#: Statuses of a batch still on its way: its dossiers may be in no other batch.
OPEN_STATUSES = ("draft", "sent")


class Handover(db.Model):
    """A batch of dossiers (or results) given from one agency to another."""

    __tablename__ = "handover"
    __table_args__ = (
        CheckConstraint(DIRECTIONS.check("direction"), name="direction"),
        CheckConstraint(HANDOVER_STATUSES.check("status"), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    direction: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    from_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    to_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    has_missing: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    from_agency: Mapped[Agency] = relationship(foreign_keys=[from_agency_id])
    to_agency: Mapped[Agency] = relationship(foreign_keys=[to_agency_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])
    items: Mapped[list["HandoverItem"]] = relationship(
        back_populates="handover", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.code


class HandoverItem(db.Model):
    """One dossier in a handover batch; marked missing if the receiver lacks it."""

    __tablename__ = "handover_item"
    __table_args__ = (
        UniqueConstraint("handover_id", "dossier_id", name="uq_handover_item_handover_dossier"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handover.id", ondelete="CASCADE"))
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossier.id"), index=True)
    missing: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(500))
    # The dossier's id while the batch is open, NULL once it is confirmed or cancelled:
    # unique, so the database itself keeps a dossier in at most one open batch.
    open_dossier_id: Mapped[int | None] = mapped_column(BigId, unique=True)

    handover: Mapped[Handover] = relationship(back_populates="items")
    dossier: Mapped[Dossier] = relationship()
