"""Dossiers and their history in quarter partitions (PostgreSQL; models.partitions).

A dossier's id now tells its quarter of receipt (quarter number × 10^10 + the sequence),
so ids and everything pointing at them become BIGINTs. ``dossier`` becomes a table
range-partitioned on its id and ``dossier_history`` one on its dossier's id. The tables as
they were become the ``_legacy`` partitions (every id below the year 2000's first quarter),
keeping their rows and their indexes: no row is copied. A ``_default`` partition and this
quarter's and the next two's are created; ``flask partitions ensure`` adds the rest ahead.

What takes time on a large database: the BIGINT columns (each table written once), the
history's (id, dossier_id) key, attaching the legacy tables (a check of their ids) and
checking the foreign keys again. Run it off-peak; its duration at scale is in README.

The outbox's pointer to the history row that raised it loses its foreign key (on both
databases): a partitioned history has no unique index on its id alone.

Revision ID: 0023_partitions
Revises: 0022_digitization_more
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0023_partitions"
down_revision = "0022_digitization_more"
branch_labels = None
depends_on = None

SPAN = 10**10
LEGACY_BELOW = 2000 * 4 * SPAN
KEYS = {"dossier": "id", "dossier_history": "dossier_id"}
HISTORY_FK = "fk_outbox_message_history_id_dossier_history"
# Every column holding a dossier's (or a history row's) id, the keys included.
BIG_COLUMNS = {
    "dossier": ["id"],
    "dossier_history": ["id", "dossier_id"],
    "handover_item": ["dossier_id", "open_dossier_id"],
    "delivery_order": ["dossier_id"],
    "dossier_file": ["dossier_id"],
    "notification_log": ["dossier_id"],
    "dossier_rating": ["dossier_id"],
    "outbox_message": ["dossier_id", "history_id"],
    "portal_sync": ["dossier_id"],
}


def _rows(sql: str, **params):
    return op.get_bind().execute(sa.text(sql), params).all()


def _run(*statements: str) -> None:
    for statement in statements:
        op.execute(statement)


def _foreign_keys_to(table: str) -> list[tuple[str, str, str]]:
    """(table, name, definition) of the foreign keys pointing at TABLE (not clones)."""
    return _rows(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND confrelid = CAST(:t AS regclass) AND conparentid = 0",
        t=table,
    )


def _foreign_keys_of(table: str) -> list[tuple[str, str]]:
    return _rows(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE contype = 'f' AND conrelid = CAST(:t AS regclass) AND conparentid = 0",
        t=table,
    )


def _indexes(table: str) -> list[tuple[str, str, bool]]:
    """(name, definition, backs a constraint) of TABLE's own indexes."""
    return _rows(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid),"
        " EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
        " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE i.indrelid = CAST(:t AS regclass)",
        t=table,
    )


def _legacy(name: str) -> str:
    return f"{name[:55]}_legacy"


def _quarter_partitions(table: str) -> None:
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    now = today.year * 4 + (today.month - 1) // 3
    for number in ("default", now, now + 1, now + 2):
        if number == "default":
            name, bounds = f"{table}_default", "DEFAULT"
        else:
            name = f"{table}_{number // 4}q{number % 4 + 1}"
            bounds = f"FOR VALUES FROM ({number * SPAN}) TO ({(number + 1) * SPAN})"
        _run(f"CREATE TABLE {name} PARTITION OF {table} {bounds}")
        if table == "dossier":
            _run(f"CREATE UNIQUE INDEX {name}_code_key ON {name} (code)")


def _partition(table: str) -> None:
    """TABLE as it is becomes the legacy partition of a new partitioned TABLE."""
    key = KEYS[table]
    legacy = f"{table}_legacy"
    indexes = [(n, d) for n, d, constraint in _indexes(table) if not constraint]
    own_keys = _foreign_keys_of(table)
    _run(f"ALTER TABLE {table} RENAME TO {legacy}")
    for name, _, _ in _indexes(legacy):
        _run(f"ALTER INDEX {name} RENAME TO {_legacy(name)}")
    _run(
        f"CREATE TABLE {table} (LIKE {legacy} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        f" PARTITION BY RANGE ({key})",
        f"ALTER SEQUENCE {table}_id_seq OWNED BY {table}.id",
        f"ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY "
        + ("(id)" if key == "id" else f"(id, {key})"),
    )
    if key != "id":  # the legacy rows take the parent's key: attached, not built again
        _run(
            f"CREATE UNIQUE INDEX {legacy}_id_key ON {legacy} (id, {key})",
            f"ALTER TABLE {legacy} DROP CONSTRAINT pk_{legacy},"
            f" ADD CONSTRAINT pk_{legacy} PRIMARY KEY USING INDEX {legacy}_id_key",
        )
    for name, definition in own_keys:
        _run(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for _, definition in indexes:  # on a parent with no partition yet: nothing to build
        _run(definition)
    _run(
        f"ALTER TABLE {table} ATTACH PARTITION {legacy}"
        f" FOR VALUES FROM (MINVALUE) TO ({LEGACY_BELOW})"
    )
    _quarter_partitions(table)


def upgrade():
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint(HISTORY_FK, type_="foreignkey")
    if op.get_bind().dialect.name != "postgresql":
        return
    referring = _foreign_keys_to("dossier")
    for table, name, _ in referring:
        _run(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for table, columns in BIG_COLUMNS.items():
        _run(f"ALTER TABLE {table} " + ", ".join(f"ALTER {c} TYPE bigint" for c in columns))
    _run("ALTER SEQUENCE dossier_id_seq AS bigint", "ALTER SEQUENCE dossier_history_id_seq AS bigint")
    _partition("dossier")
    _partition("dossier_history")
    for table, name, definition in referring:
        _run(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def _unpartition(table: str) -> None:
    key = KEYS[table]
    legacy = f"{table}_legacy"
    if _rows(f"SELECT 1 FROM {table} WHERE {key} >= {LEGACY_BELOW} LIMIT 1"):
        raise RuntimeError(
            f"{table} holds rows of the quarter partitions: their ids do not fit the tables"
            " before migration 0023, which cannot be restored with them."
        )
    own_keys = _foreign_keys_of(table)
    _run(
        f"ALTER TABLE {table} DETACH PARTITION {legacy}",
        f"ALTER SEQUENCE {table}_id_seq OWNED BY {legacy}.id",
        f"DROP TABLE {table}",
    )
    if key != "id":
        _run(
            f"ALTER TABLE {legacy} DROP CONSTRAINT pk_{legacy},"
            f" ADD CONSTRAINT pk_{legacy} PRIMARY KEY (id)"
        )
    _run(f"ALTER TABLE {legacy} RENAME TO {table}")
    for name, _, _ in _indexes(table):
        if name.endswith("_legacy"):
            _run(f"ALTER INDEX {name} RENAME TO {name.removesuffix('_legacy')}")
    present = {name for name, _ in _foreign_keys_of(table)}
    for name, definition in own_keys:
        if name not in present:
            _run(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        referring = _foreign_keys_to("dossier")
        for table, name, _ in referring:
            _run(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        _unpartition("dossier_history")
        _unpartition("dossier")
        for table, columns in BIG_COLUMNS.items():
            _run(f"ALTER TABLE {table} " + ", ".join(f"ALTER {c} TYPE integer" for c in columns))
        _run("ALTER SEQUENCE dossier_id_seq AS integer", "ALTER SEQUENCE dossier_history_id_seq AS integer")
        for table, name, definition in referring:
            _run(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.create_foreign_key(HISTORY_FK, "dossier_history", ["history_id"], ["id"])
