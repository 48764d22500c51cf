"""Per-day sequence counters behind gap-free dossier and handover codes."""

from datetime import date

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db


class CodeCounter(db.Model):
    """The last number used in one scope (e.g. ``dossier:<agency id>``) on one day."""

    __tablename__ = "code_counter"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
