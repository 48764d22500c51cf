"""Digitized files of dossiers (one PDF per document) and the applicant's store of them."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import BigId, UTCDateTime, utcnow
from models.dossier import Dossier
from models.user import User
from models.vocabulary import N_, Term, Vocabulary

#: What a file of a dossier is: a document of the checklist, or the result.
FILE_KINDS = Vocabulary(
    Term("document", "Giấy tờ thành phần hồ sơ", N_("Document of the dossier")),
    Term("result", "Kết quả điện tử", N_("Electronic result")),
    Term("result_scan", "Bản số hóa kết quả", N_("Digitized copy of the result")),
)
#: Whether the paper the clerk scanned was the original or a copy.
ORIGINALITY = Vocabulary(
    Term("original", "Bản chính", N_("Original")),
    Term("copy", "Bản sao", N_("Copy")),
)
#: Where the heavy work (conversion to one PDF, signing) stands.
FILE_STATES = Vocabulary(
    Term("pending", "Đang xử lý", N_("Processing"), "warning"),
    Term("ready", "Đã số hóa", N_("Digitized"), "success"),
    Term("failed", "Lỗi xử lý", N_("Processing failed"), "danger"),
)
#: The media types accepted at the door, decided by content.
MEDIA_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/tiff")
DEFAULT_VALIDITY_MONTHS = 6


class DossierFile(db.Model):
    """One PDF of a dossier: a document of its checklist, or its result."""

    __tablename__ = "dossier_file"
    __table_args__ = (
        CheckConstraint(FILE_KINDS.check("kind"), name="kind"),
        CheckConstraint(ORIGINALITY.check("originality"), name="originality"),
        CheckConstraint(FILE_STATES.check("state"), name="state"),
        Index("ix_dossier_file_dossier", "dossier_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossier.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12), default="document")
    document: Mapped[str] = mapped_column(String(500))
    originality: Mapped[str] = mapped_column(String(10), default="copy")
    state: Mapped[str] = mapped_column(String(10), default="pending")
    # The upload as it came (kept until the PDF is recorded) and the stored PDF.
    raw_key: Mapped[str | None] = mapped_column(String(300))
    raw_type: Mapped[str] = mapped_column(String(40))
    original_name: Mapped[str | None] = mapped_column(String(255))
    storage_key: Mapped[str | None] = mapped_column(String(300))
    pages: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    signed: Mapped[bool] = mapped_column(default=False)
    signer_serial: Mapped[str | None] = mapped_column(String(80))
    signer_ca: Mapped[str | None] = mapped_column(String(300))
    signer_name: Mapped[str | None] = mapped_column(String(300))
    # Flags the portal sync sends per document (TaiLieuNop).
    reused_from_id: Mapped[int | None] = mapped_column(ForeignKey("dossier_file.id"))
    from_national_store: Mapped[bool] = mapped_column(default=False)
    replaces_document: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    dossier: Mapped[Dossier] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def reused(self) -> bool:
        return self.reused_from_id is not None

    def __str__(self) -> str:
        return self.document


# The dossier's files, read with it on its page (views.admin.dossiers.query): no statement
# of their own. Read-only: files are written through services.digitization.
Dossier.files = relationship(DossierFile, viewonly=True, order_by=DossierFile.id)


class ApplicantDocument(db.Model):
    """A digitized document kept under its holder's ID number (CCCD or tax code) for reuse."""

    __tablename__ = "applicant_document"
    __table_args__ = (
        # The counter's look-up (store.offers_query): the holder's still-valid documents of
        # the checklist's types; every condition is an index condition, so expired documents
        # and other types are never read from the table.
        Index("ix_applicant_document_holder", "holder_id_number", "document_type", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id_number: Mapped[str] = mapped_column(String(14))
    document_type: Mapped[str] = mapped_column(String(500))
    number: Mapped[str | None] = mapped_column(String(60))
    issuer: Mapped[str | None] = mapped_column(String(255))
    issued_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    file_id: Mapped[int] = mapped_column(ForeignKey("dossier_file.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    file: Mapped[DossierFile] = relationship()

    def __str__(self) -> str:
        return self.document_type
