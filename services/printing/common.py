"""What every printed form shares: Decree 30/2020's heading, signatures, local dates."""

from dataclasses import dataclass
from datetime import date, datetime

from models.dossier import Dossier, DossierHistory
from services.calendar import LOCAL_TZ

PROVINCE = "Thái Nguyên"
PARENT_BY_KIND = {
    "department": f"UBND TỈNH {PROVINCE.upper()}",
    "post_office": "TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM",
}
SIGN_NOTE = "(Ký và ghi rõ họ tên)"


@dataclass(frozen=True)
class Heading:
    """Decree 30/2020's top block: issuing agency (left), motto (right), place and date."""

    parent: str
    agency: str
    number: str
    place: str
    day: date

    @property
    def place_date(self) -> str:
        """``Thái Nguyên, ngày 05 tháng 3 năm 2026`` (months 1 and 2 written 01, 02)."""
        month = f"{self.day.month:02d}" if self.day.month < 3 else str(self.day.month)
        return f"{self.place}, ngày {self.day.day:02d} tháng {month} năm {self.day.year}"


@dataclass(frozen=True)
class Signature:
    title: str
    name: str
    note: str = SIGN_NOTE


def local(value: datetime | None) -> datetime | None:
    return value.astimezone(LOCAL_TZ) if value else None


def heading_for(agency, number: str, at: datetime) -> Heading:
    """The heading of a form issued by AGENCY at AT."""
    name = agency.name if agency else ""
    parent = PARENT_BY_KIND.get(getattr(agency, "kind", ""), f"UBND TỈNH {PROVINCE.upper()}")
    return Heading(parent, name, number, PROVINCE, local(at).date())


def last_step(dossier: Dossier, action: str) -> DossierHistory | None:
    """The latest step ACTION of DOSSIER's history, or None."""
    steps = [s for s in dossier.history if s.action == action]
    return max(steps, key=lambda s: s.at) if steps else None
