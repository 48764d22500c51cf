"""Days as Vietnamese write them (dd/mm/yyyy), whatever the browser's language."""

import re
from datetime import date, datetime, time

#: How a day may be typed: as every screen shows it, or as a machine or an older link wrote it.
DAY_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
_HOUR = re.compile(r"(\d{1,2})[:hg.](\d{2})")


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
