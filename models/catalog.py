"""The procedure catalog: procedure types, their documents and extra fields."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.agency import Agency
from models.base import UTCDateTime, utcnow
from models.vocabulary import N_, Term, Vocabulary

ONLINE_LEVELS = Vocabulary(
    Term("toan_trinh", "Toàn trình", N_("Full online")),
    Term("mot_phan", "Một phần", N_("Partly online")),
    Term("none", "Không trực tuyến", N_("Not online")),
)
#: The longest validity IT staff may give a digitized document (ten years).
VALIDITY_MAX_MONTHS = 120
DOCUMENT_KINDS = Vocabulary(
    Term("original", "Bản chính", N_("Original")),
    Term("copy", "Bản sao", N_("Copy")),
    Term("certified_copy", "Bản sao chứng thực", N_("Certified copy")),
)
EXTRA_FIELD_TYPES = Vocabulary(
    Term("text", "Văn bản", N_("Text")),
    Term("number", "Số", N_("Number")),
    Term("date", "Ngày", N_("Date")),
    Term("choice", "Lựa chọn", N_("Choice")),
)


class ProcedureType(db.Model):
    """An administrative procedure a department resolves (thủ tục hành chính)."""

    __tablename__ = "procedure_type"
    __table_args__ = (
        CheckConstraint(ONLINE_LEVELS.check("online_level"), name="online_level"),
        CheckConstraint("processing_days >= 0", name="processing_days"),
        CheckConstraint("fee >= 0", name="fee"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    field: Mapped[str] = mapped_column(String(120), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    processing_days: Mapped[int] = mapped_column(default=0)
    fee: Mapped[int] = mapped_column(default=0)
    online_level: Mapped[str] = mapped_column(String(20), default="none")
    postal_return: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    agency: Mapped[Agency] = relationship()
    documents: Mapped[list["RequiredDocument"]] = relationship(
        back_populates="procedure_type",
        cascade="all, delete-orphan",
        order_by="RequiredDocument.position",
    )
    extra_fields: Mapped[list["ExtraFieldDefinition"]] = relationship(
        back_populates="procedure_type",
        cascade="all, delete-orphan",
        order_by="ExtraFieldDefinition.position",
    )

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class RequiredDocument(db.Model):
    """A document the applicant must hand in for a procedure type."""

    __tablename__ = "required_document"
    __table_args__ = (
        CheckConstraint(DOCUMENT_KINDS.check("kind"), name="kind"),
        CheckConstraint("quantity >= 1", name="quantity"),
        CheckConstraint(
            f"validity_months IS NULL OR validity_months BETWEEN 1 AND {VALIDITY_MAX_MONTHS}",
            name="validity_months",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_type_id: Mapped[int] = mapped_column(
        ForeignKey("procedure_type.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), default="original")
    quantity: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    # How long a digitized copy stays reusable (months); None: the default of six.
    validity_months: Mapped[int | None]

    procedure_type: Mapped[ProcedureType] = relationship(back_populates="documents")

    def __str__(self) -> str:
        return self.name


class ExtraFieldDefinition(db.Model):
    """A field the counter must capture for dossiers of one procedure type."""

    __tablename__ = "extra_field"
    __table_args__ = (
        CheckConstraint(EXTRA_FIELD_TYPES.check("field_type"), name="field_type"),
        UniqueConstraint("procedure_type_id", "key", name="uq_extra_field_procedure_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_type_id: Mapped[int] = mapped_column(
        ForeignKey("procedure_type.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    field_type: Mapped[str] = mapped_column(String(10), default="text")
    required: Mapped[bool] = mapped_column(default=False)
    # One choice a line; used when field_type is "choice".
    choices: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    procedure_type: Mapped[ProcedureType] = relationship(back_populates="extra_fields")

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in (self.choices or "").splitlines() if c.strip()]

    def __str__(self) -> str:
        return self.label
