"""Quarter partitions of the dossiers and their history (PostgreSQL).

A dossier's id tells its quarter of receipt: ``QUARTER_SPAN`` × the quarter's number
(year × 4 + quarter − 1, on the office's clock) plus the next value of one sequence.
``dossier`` is range-partitioned on its id and ``dossier_history`` on its dossier's id,
with the same bounds, so a quarter's dossiers and their history each sit in one
partition; foreign keys to ``dossier.id`` stay plain, a dossier code (its date inside)
is unique within its quarter's partition, and a code-shaped search reads its quarter's
partition only (services.dossiers.search). Rows from before the partitions (migration
0023) keep their small ids in the ``_legacy`` partitions; a quarter nobody created ahead
lands in ``_default``.

SQLite has no partitions: its ids stay plain, and every helper here is a no-op there.
"""

import re
from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, event, func, literal, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateTable

from vietnam.dates import OFFICE_TZ

QUARTER_SPAN = 10**10  # ids a quarter can hold: beyond any province's or the nation's
#: table → the column its partitions are ranged on (both by the dossier's id).
PARTITIONED = {"dossier": "id", "dossier_history": "dossier_id"}
#: The first quarter a partition may be made for; smaller ids are the legacy rows'.
FIRST_YEAR = 2000
LEGACY_BELOW = FIRST_YEAR * 4 * QUARTER_SPAN
SEQUENCE = "dossier_id_seq"
#: The code's unique constraint on SQLite; each partition's own index on PostgreSQL.
CODE_UNIQUE = "uq_dossier_code"


def quarter_number(moment: datetime | date) -> int:
    """year × 4 + quarter − 1 of MOMENT (an instant on the office's clock, or a day)."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(OFFICE_TZ).date()
    return moment.year * 4 + (moment.month - 1) // 3


def quarter_label(number: int) -> str:
    """``2026q4`` for the fourth quarter of 2026."""
    return f"{number // 4}q{number % 4 + 1}"


def quarter_bounds(number: int) -> tuple[int, int]:
    """The ids of quarter NUMBER: from the first, to the first of the next (excluded)."""
    return number * QUARTER_SPAN, (number + 1) * QUARTER_SPAN


def quarter_first_day(number: int) -> date:
    """The first day of quarter NUMBER."""
    year, quarter = divmod(number, 4)
    return date(year, quarter * 3 + 1, 1)


def dossier_id(sequence_value: int, received: datetime | date) -> int:
    """The id of a dossier received at RECEIVED, from the next value of its sequence."""
    return quarter_number(received) * QUARTER_SPAN + sequence_value


def quarter_of_id(value: int) -> int | None:
    """The quarter number a dossier id belongs to; None for a legacy id."""
    return value // QUARTER_SPAN if value >= LEGACY_BELOW else None


def same_partition(column, value: int) -> tuple:
    """Conditions keeping COLUMN (a dossier id) to the partition of id VALUE, written in the
    SQL as constants: PostgreSQL then prunes the other partitions when it plans, so a
    prepared statement's lasting (generic) plan reads one partition, and is kept. With
    ``id = $1`` alone it plans each run again (a plan for every partition costs more
    than one planned for the value), a millisecond for a dossier page's ten joins."""
    return quarter_partition(column, quarter_of_id(value))


def quarter_partition(column, number: int | None) -> tuple:
    """``same_partition`` for quarter NUMBER (None: the legacy rows)."""
    if number is None:
        return (column < literal_column(str(LEGACY_BELOW)),)
    low, high = quarter_bounds(number)
    return (column >= literal_column(str(low)), column < literal_column(str(high)))


def partition_name(table: str, number: int | str) -> str:
    """``dossier_2026q4``; NUMBER may also be ``"default"`` or ``"legacy"``."""
    return f"{table}_{number if isinstance(number, str) else quarter_label(number)}"


PARTITION_NAME = re.compile(r"(dossier|dossier_history)_(legacy|default|\d{4}q[1-4])")


def quarter_of_name(name: str) -> int | None:
    """The quarter number of partition NAME (``dossier_2026q4``); None for the legacy and
    default partitions, or a name that is no partition's."""
    found = PARTITION_NAME.fullmatch(name)
    if not found or found[2] in ("legacy", "default"):
        return None
    year, quarter = found[2].split("q")
    return int(year) * 4 + int(quarter) - 1


def include_name(name, type_, parent_names) -> bool:
    """Alembic's filter: the partitions (and their indexes) are not in the models; they are
    made by ``flask partitions ensure`` and migration 0023."""
    if type_ == "table":
        return not PARTITION_NAME.fullmatch(name or "")
    if type_ == "index" and parent_names.get("table_name"):
        return not PARTITION_NAME.fullmatch(parent_names["table_name"])
    return True


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: PostgreSQL shows a foreign key to a partitioned table once more
    per partition; those copies are its own. And the code's one unique constraint is
    SQLite's only (``ddl_if``): PostgreSQL's partitions each have their own."""
    if type_ == "foreign_key_constraint" and reflected:
        return not PARTITION_NAME.fullmatch(obj.referred_table.name)
    if type_ == "unique_constraint" and not reflected and compare_to is None:
        return name != CODE_UNIQUE
    return True


def partition_ddl(table: str, number: int | str) -> list[str]:
    """The statements creating TABLE's partition for quarter NUMBER (or the default one).

    The parent's indexes reach each partition by themselves; the code's uniqueness is
    each dossier partition's own index (the code carries its receipt day, so its quarter).
    """
    name = partition_name(table, number)
    if number == "default":
        bounds = "DEFAULT"
    else:
        low, high = quarter_bounds(number)
        bounds = f"FOR VALUES FROM ({low}) TO ({high})"
    statements = [f"CREATE TABLE {name} PARTITION OF {table} {bounds}"]
    if table == "dossier":
        statements.append(f"CREATE UNIQUE INDEX {name}_code_key ON {name} (code)")
    return statements


@compiles(CreateTable, "postgresql")
def _create_partitioned(create, compiler, **kw):
    """``dossier`` and ``dossier_history`` are made partitioned tables on PostgreSQL; the
    history's primary key then holds its partition key too (the ORM keys it by id)."""
    sql = compiler.visit_create_table(create, **kw)
    if create.element not in _MODEL_TABLES:  # a migration's own table: as it says
        return sql
    key = PARTITIONED[create.element.name]
    if key != "id":
        sql = sql.replace("PRIMARY KEY (id)", f"PRIMARY KEY (id, {key})")
    return sql.rstrip() + f" PARTITION BY RANGE ({key})\n\n"


def _partitions_after_create(target, connection, **kw):
    """A new PostgreSQL database (``create_all``) gets the default partition and the
    quarters from this one to two ahead (``flask partitions ensure`` adds more)."""
    if connection.dialect.name != "postgresql":
        return
    now = quarter_number(datetime.now(OFFICE_TZ))
    for number in ("default", now, now + 1, now + 2):
        for statement in partition_ddl(target.name, number):
            connection.exec_driver_sql(statement)


_MODEL_TABLES: set = set()


def listen(dossier_table, history_table, dossier_class) -> None:
    """Wire the partitioned DDL and the quarter ids (called once, by models.dossier)."""
    for table in (dossier_table, history_table):
        _MODEL_TABLES.add(table)
        event.listen(table, "after_create", _partitions_after_create)

    @event.listens_for(dossier_class, "before_insert")
    def _quarter_id(mapper, connection, target):
        if connection.dialect.name != "postgresql" or target.id is not None:
            return
        if target.received_at is None:
            target.received_at = datetime.now(UTC)
        # inside the INSERT (its RETURNING gives the id back): no statement of its own
        base = quarter_number(target.received_at) * QUARTER_SPAN
        target.id = literal(base, BigInteger) + func.nextval(SEQUENCE)
