"""Request values that must never reach the database as they came: ids, pages, offsets."""

from sqlalchemy import BigInteger

MAX_ID = 2**31 - 1
#: A dossier's id holds its quarter (models.partitions): a PostgreSQL BIGINT.
MAX_BIG_ID = 2**63 - 1


def parse_id(value, big: bool = False) -> int | None:
    """A row id from request text, or None when it cannot be one (never an overflow):
    up to INTEGER's limit, or BIGINT's for BIG ids (a dossier's)."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= (MAX_BIG_ID if big else MAX_ID) else None


def big_ids(model) -> bool:
    """Whether MODEL's ids are BIGINTs (the dossier's)."""
    return isinstance(model.__table__.c.id.type, BigInteger)


def clamp(value, low: int, high: int, default: int) -> int:
    """VALUE as an int within LOW..HIGH, or DEFAULT when it is not a number."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(number, high))
