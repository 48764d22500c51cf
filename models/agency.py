"""Agencies: departments, post offices, the IT unit and the leadership."""

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import UTCDateTime, utcnow
from models.vocabulary import N_, Term, Vocabulary

AGENCY_KINDS = Vocabulary(
    Term("department", "sở, ngành", N_("Department")),
    Term("post_office", "bưu điện", N_("Post office")),
    Term("it_unit", "đơn vị CNTT", N_("IT unit")),
    Term("leadership", "lãnh đạo", N_("Leadership")),
)


class Agency(db.Model):
    """An organisation a user belongs to; departments resolve procedures."""

    __tablename__ = "agency"
    __table_args__ = (CheckConstraint(AGENCY_KINDS.check("kind"), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    address: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.name
