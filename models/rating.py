"""The citizen's rating of a dossier (at receipt, at return) and its follow-up when disliked."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import BigId, UTCDateTime, utcnow
from models.dossier import Dossier
from models.vocabulary import N_, Term, Vocabulary

#: The overall verdict, the three faces, and the same three for each aspect.
FACES = Vocabulary(
    Term("very_satisfied", "Rất hài lòng", N_("Very satisfied")),
    Term("satisfied", "Hài lòng", N_("Satisfied")),
    Term("dissatisfied", "Không hài lòng", N_("Dissatisfied")),
)
#: When the applicant rates: after the receipt, after the result was returned.
STAGES = Vocabulary(
    Term("receipt", "Tiếp nhận hồ sơ", N_("Receipt of the dossier")),
    Term("return", "Trả kết quả", N_("Return of the result")),
)
#: Where the rating came from: the printed QR code, the counter's tablet.
SOURCES = Vocabulary(
    Term("qr", "Mã QR trên phiếu", N_("QR code on the slip")),
    Term("kiosk", "Máy tính bảng tại quầy", N_("Counter tablet")),
)
#: A disliked rating's follow-up by the supervisor.
FOLLOW_UPS = Vocabulary(
    Term("open", "Cần gọi lại", N_("To call back")),
    Term("called_back", "Đã gọi lại", N_("Called back")),
    Term("closed", "Đã đóng", N_("Closed")),
)
ASPECTS = ("convenience", "timeliness", "attitude")


class Rating(db.Model):
    """One rating of one stage of a dossier (at most one per stage)."""

    __tablename__ = "dossier_rating"
    __table_args__ = (
        UniqueConstraint("dossier_id", "stage", name="uq_dossier_rating_stage"),
        CheckConstraint(FACES.check("overall"), name="overall"),
        CheckConstraint(STAGES.check("stage"), name="stage"),
        CheckConstraint(SOURCES.check("source"), name="source"),
        CheckConstraint("follow_up IS NULL OR " + FOLLOW_UPS.check("follow_up"), name="follow_up"),
        Index("ix_dossier_rating_follow_up", "follow_up", "created_at"),
        Index("ix_dossier_rating_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossier.id"))
    stage: Mapped[str] = mapped_column(String(10))
    overall: Mapped[str] = mapped_column(String(20))
    convenience: Mapped[str | None] = mapped_column(String(20))
    timeliness: Mapped[str | None] = mapped_column(String(20))
    attitude: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(10), default="qr")
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    follow_up: Mapped[str | None] = mapped_column(String(12))
    follow_up_note: Mapped[str | None] = mapped_column(Text)
    follow_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    dossier: Mapped[Dossier] = relationship()
