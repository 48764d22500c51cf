"""Gap-free per-day sequence numbers for dossier and handover codes.

The counter row is upserted and incremented in the caller's transaction, so
the row stays locked until it commits: concurrent receipts queue on it, and a
rolled-back receipt gives its number back.
"""

from datetime import date, datetime

from sqlalchemy.dialects import postgresql, sqlite

from extensions import db
from models.counter import CodeCounter
from services.calendar import LOCAL_TZ


def next_sequence(scope: str, day: date) -> int:
    """Increment and return the counter of SCOPE on DAY."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = CodeCounter.__table__
    stmt = (
        insert(table)
        .values(scope=scope, day=day, last_seq=1)
        .on_conflict_do_update(
            index_elements=[table.c.scope, table.c.day],
            set_={"last_seq": table.c.last_seq + 1},
        )
        .returning(table.c.last_seq)
    )
    return db.session.execute(stmt).scalar_one()


def dossier_code(agency_id: int, agency_code: str, received_at: datetime) -> str:
    """``<agency code>-YYMMDD-NNNN`` for a dossier received at RECEIVED_AT."""
    day = received_at.astimezone(LOCAL_TZ).date()
    seq = next_sequence(f"dossier:{agency_id}", day)
    return f"{agency_code}-{day:%y%m%d}-{seq:04d}"


def handover_code(created_at: datetime) -> str:
    """``BG-YYMMDD-NNN`` for a handover created at CREATED_AT."""
    day = created_at.astimezone(LOCAL_TZ).date()
    seq = next_sequence("handover", day)
    return f"BG-{day:%y%m%d}-{seq:03d}"
