"""Column types and defaults shared by every model."""

from datetime import UTC, datetime

from sqlalchemy import JSON, BigInteger, DateTime, Integer
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC (used as a column default)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """An instant stored in UTC and always read back timezone-aware.

    SQLite keeps no offset, so naive values read back are taken as UTC; naive
    values written are refused, which catches local times slipping in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")
#: A dossier's id and what points at it: a quarter's number inside (models.partitions);
#: plain on SQLite, whose rowid is only an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def enum_check(column: str, values) -> str:
    """SQL for a CHECK that keeps COLUMN inside VALUES."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
