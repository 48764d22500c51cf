"""Days as Vietnamese write them (dd/mm/yyyy), whatever the browser's language."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

#: The office's clock: every local day, quarter and printed time is on it.
OFFICE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: How a day may be typed: as every screen shows it, or as a machine or an older link wrote it.
DAY_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
_HOUR = re.compile(r"(\d{1,2})[:hg.](\d{2})")
_SECONDS = re.compile(r"(\d{1,2})[:hg.](\d{2})[:.](\d{2})")
#: An instant as a machine or an older form wrote it (the browser's own date-time input).
_ISO_MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")


def parse_day(text) -> date:
    """The day in TEXT, typed dd/mm/yyyy (or yyyy-mm-dd); ValueError when it is none."""
    text = str(text or "").strip()
    for fmt in DAY_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a day: {text!r}")


def parse_hour(text) -> time:
    """The time of day in TEXT, typed ``9:30``, ``09:30`` or ``9h30``; ValueError otherwise."""
    match = _HOUR.fullmatch(str(text or "").strip().lower())
    if not match:
        raise ValueError(f"not a time: {text!r}")
    return time(int(match[1]), int(match[2]))


def format_day(day: date | None) -> str:
    """DAY as dd/mm/yyyy (blank for None)."""
    return day.strftime("%d/%m/%Y") if day else ""


def parse_instant(text) -> datetime:
    """The day and time in TEXT, typed ``dd/mm/yyyy HH:MM`` (seconds optional; ``9h30`` too)
    or as ISO ``yyyy-mm-ddTHH:MM[:SS]``; naive (the caller says where); ValueError otherwise."""
    text = " ".join(str(text or "").split())
    if _ISO_MINUTE.fullmatch(text):
        return datetime.fromisoformat(text)
    day, _space, clock = text.partition(" ")
    full = _SECONDS.fullmatch(clock.lower())
    hour = time(int(full[1]), int(full[2]), int(full[3])) if full else parse_hour(clock)
    return datetime.combine(parse_day(day), hour)


def format_instant(moment: datetime | None) -> str:
    """MOMENT as dd/mm/yyyy HH:MM:SS (blank for None), in its own offset."""
    return moment.strftime("%d/%m/%Y %H:%M:%S") if moment else ""
