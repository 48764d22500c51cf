"""Periods of local days (Asia/Ho_Chi_Minh) for the figures: parsing, presets, bounds.

A period is a first and a last local day, both included; instants are stored in
UTC, so a period turns into the half-open UTC range [start, end).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from services.calendar import LOCAL_TZ
from services.errors import ValidationFailed

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_DAYS = 3 * 366  # a review may span three years; more is a typing mistake
PRESETS = ("this_month", "last_month", "this_quarter", "this_year", "custom")


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        """The first instant of the period, in UTC."""
        return datetime.combine(self.first, time(0), tzinfo=LOCAL_TZ).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the period, in UTC."""
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=LOCAL_TZ).astimezone(
            UTC
        )

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def before(self) -> "Period":
        """The period just before: as many whole months when this is whole months, else days."""
        last = self.first - timedelta(days=1)
        if self.first.day == 1 and self.last == _month_end(self.last.replace(day=1)):
            months = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
            first = last.replace(day=1)
            for _ in range(months):
                first = (first - timedelta(days=1)).replace(day=1)
            return Period(first, last)
        return Period(self.first - timedelta(days=self.days), last)

    def year_before(self) -> "Period":
        """The same days one year earlier (29/02 becomes 28/02)."""
        return Period(_minus_year(self.first), _minus_year(self.last))

    def label(self) -> str:
        return f"{self.first:%d/%m/%Y} – {self.last:%d/%m/%Y}"


def _minus_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def parse_day(raw: str | None, field: str, errors: dict) -> date | None:
    """A day written YYYY-MM-DD or dd/mm/yyyy; records a Vietnamese error in ERRORS."""
    raw = (raw or "").strip()
    if not raw:
        errors[field] = "Bắt buộc."
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(raw, fmt).date()
            break
        except ValueError:
            continue
    else:
        errors[field] = "Phải là ngày dạng YYYY-MM-DD hoặc dd/mm/yyyy."
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors[field] = f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}."
        return None
    return day


def make_period(raw_from: str | None, raw_to: str | None) -> Period:
    """The period FROM..TO (both included), or ValidationFailed naming the bad fields."""
    errors: dict[str, str] = {}
    first = parse_day(raw_from, "from", errors)
    last = parse_day(raw_to, "to", errors)
    if first and last and first > last:
        errors["to"] = "Ngày kết thúc phải từ ngày bắt đầu trở đi."
    elif first and last and (last - first).days + 1 > MAX_DAYS:
        errors["to"] = f"Khoảng thời gian tối đa {MAX_DAYS} ngày."
    if errors:
        raise ValidationFailed("Khoảng thời gian chưa hợp lệ.", errors)
    return Period(first, last)


def today() -> date:
    return datetime.now(LOCAL_TZ).date()


def preset(name: str, on: date | None = None) -> Period:
    """The period a preset button means, counted from the local day ON (today)."""
    on = on or today()
    month_start = on.replace(day=1)
    if name == "last_month":
        last = month_start - timedelta(days=1)
        return Period(last.replace(day=1), last)
    if name == "this_quarter":
        first = on.replace(month=(on.month - 1) // 3 * 3 + 1, day=1)
        return Period(first, _month_end(first.replace(month=first.month + 2)))
    if name == "this_year":
        return Period(on.replace(month=1, day=1), on.replace(month=12, day=31))
    return Period(month_start, _month_end(month_start))


def last_months(count: int, on: date | None = None) -> Period:
    """COUNT whole months ending with the month of ON."""
    on = on or today()
    first = on.replace(day=1)
    for _ in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return Period(first, _month_end(on.replace(day=1)))


def _month_end(month_start: date) -> date:
    following = (month_start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)
