"""Request values that must never reach the database as they came: ids, pages, offsets."""

MAX_ID = 2**31 - 1


def parse_id(value) -> int | None:
    """A row id from request text, or None when it cannot be one (never an overflow)."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def clamp(value, low: int, high: int, default: int) -> int:
    """VALUE as an int within LOW..HIGH, or DEFAULT when it is not a number."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(number, high))
