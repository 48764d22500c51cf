"""Bulk writers for ``generate-data``: COPY on PostgreSQL, multi-row INSERTs elsewhere.

Rows are tuples in the order of a table's COLUMNS below; instants are strings with
their offset (``2026-03-10 09:30:12+07:00``), ids are given by the generator so that
related rows can point at each other without reading anything back.
"""

import json
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite

from extensions import db
from models import partitions
from models.base import UTCDateTime
from models.counter import CodeCounter

COLUMNS = {
    "dossier": (
        "id", "code", "procedure_type_id", "agency_id", "post_office_id", "status", "channel",
        "return_method", "applicant_name", "applicant_id_number", "applicant_phone",
        "applicant_address", "received_at", "received_by_id", "clock_started_at", "due_at",
        "paused_at", "fee_amount", "result_outcome", "completed_at", "returned_at",
        "timeliness", "supplement_count", "apology_count", "search_text", "created_at",
        "updated_at", "version", "documents_checked",
    ),
    "dossier_history": (
        "id", "dossier_id", "action", "from_status", "to_status", "at", "actor_id", "note",
    ),
    "handover": (
        "id", "code", "direction", "status", "from_agency_id", "to_agency_id", "created_at",
        "created_by_id", "sent_at", "confirmed_at", "confirmed_by_id", "has_missing", "version",
    ),
    "handover_item": ("id", "handover_id", "dossier_id", "missing"),
    "delivery_order": (
        "id", "tracking_code", "dossier_id", "post_office_id", "status", "recipient_name",
        "recipient_phone", "recipient_address", "postage", "cod_amount", "created_at",
        "created_by_id", "delivered_at", "status_at", "search_text", "version",
    ),
    "delivery_event": (
        "id", "delivery_order_id", "status", "at", "note", "source", "recorded_at",
    ),
}  # fmt: skip
#: Parents first, so that foreign keys hold at every step.
ORDER = tuple(COLUMNS)
BIG_TABLES = ("dossier", "dossier_history", "handover_item", "delivery_order", "delivery_event")


def next_ids() -> dict[str, int]:
    """The first free id of every table the generator fills."""
    return {
        name: (db.session.scalar(select(func.max(db.metadata.tables[name].c.id))) or 0) + 1
        for name in ORDER
    }


def reserve_dossier_ids(count: int) -> int:
    """PostgreSQL: the first of COUNT values of the dossiers' id sequence kept for a load
    (receipts meanwhile take the values after them); each id adds its quarter to one."""
    last = db.session.scalar(
        text(f"SELECT setval('{partitions.SEQUENCE}', nextval('{partitions.SEQUENCE}') + :n - 1)"),
        {"n": count},
    )
    db.session.commit()
    return last - count + 1


def write(conn: Connection, rows: dict[str, list[tuple]], counters: list[dict]) -> None:
    """One batch in one transaction of CONN: the rows (table → tuples), then the counters."""
    if conn.dialect.name == "postgresql":
        # The generator keeps every foreign key itself: no per-row trigger checks (superuser).
        if conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")):
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
        conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        _copy(conn, rows)
    else:
        _insert(conn, rows)
    if counters:
        upsert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        table = CodeCounter.__table__
        stmt = upsert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.scope, table.c.day], set_={"last_seq": stmt.excluded.last_seq}
        )
        conn.execute(stmt, counters)


def _copy(conn: Connection, rows: dict[str, list[tuple]]) -> None:
    cursor = conn.connection.driver_connection.cursor()
    for name in ORDER:
        if not rows.get(name):
            continue
        columns = ", ".join(COLUMNS[name])
        with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
            chunk = []
            for row in rows[name]:
                chunk.append("\t".join([_copy_text(v) for v in row]))
                if len(chunk) == 20_000:
                    copy.write("\n".join(chunk) + "\n")
                    chunk = []
            if chunk:
                copy.write("\n".join(chunk) + "\n")


def _copy_text(value) -> str:
    """VALUE in COPY's text format (a list as JSON: the checklist of documents)."""
    if value is None:
        return "\\N"
    if isinstance(value, list | tuple):
        return json.dumps(value, ensure_ascii=False).replace("\\", "\\\\")
    return str(value)


def _insert(conn: Connection, rows: dict[str, list[tuple]]) -> None:
    for name in ORDER:
        table = db.metadata.tables[name]
        stamps = {
            i for i, c in enumerate(COLUMNS[name]) if isinstance(table.c[c].type, UTCDateTime)
        }
        values = [
            {
                column: datetime.fromisoformat(v) if i in stamps and v is not None else v
                for i, (column, v) in enumerate(zip(COLUMNS[name], row, strict=True))
            }
            for row in rows.get(name, ())
        ]
        for start in range(0, len(values), 5_000):
            conn.execute(insert(table), values[start : start + 5_000])


@contextmanager
def bulk_mode(large: bool, note=print):
    """PostgreSQL, for a LARGE load: the secondary indexes of the big tables are dropped
    and built again at the end (one sort beats a million index insertions), then the
    tables analysed and the id sequences moved past the new ids. Indexes missing after an
    interrupted run are built by the next one."""
    postgres = db.engine.dialect.name == "postgresql"
    indexes = [i for name in BIG_TABLES for i in db.metadata.tables[name].indexes if not i.unique]
    if postgres and large:
        with db.engine.begin() as conn:
            for index in indexes:
                conn.execute(text(f"DROP INDEX IF EXISTS {index.name}"))
    try:
        yield
    finally:
        if postgres:
            note("Building indexes and statistics…")
            _rebuild(indexes)


def _rebuild(indexes) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL statement_timeout = 0")
        conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
        for index in indexes:
            index.create(conn, checkfirst=True)
        for name in ORDER:
            if name == "dossier":  # its sequence was moved when the ids were kept
                continue
            conn.execute(
                select(
                    func.setval(
                        func.pg_get_serial_sequence(name, "id"),
                        func.max(db.metadata.tables[name].c.id),
                    )
                )
            )
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("SET statement_timeout = 0")  # 20 M rows: minutes, not seconds
        for name in BIG_TABLES:  # the visibility map lets list pages read indexes alone
            conn.exec_driver_sql(f"{'VACUUM ' if name == 'dossier' else ''}ANALYZE {name}")
        conn.exec_driver_sql("RESET statement_timeout")  # the pooled connection as it was
