"""The quarter partitions of the dossiers and their history, made ahead (PostgreSQL).

``flask partitions ensure`` (daily from cron; ``generate-data`` before it loads past years)
creates each missing quarter from this one to a few ahead, one quarter per transaction,
with a short lock wait: creating a partition locks the parent table a moment. A quarter
whose rows already wait in the default partition (nobody made it ahead) is left there and
reported: they are served from it all the same. See models.partitions for the layout.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import text

from extensions import db
from models.partitions import (
    PARTITIONED,
    partition_ddl,
    partition_name,
    quarter_bounds,
    quarter_label,
    quarter_number,
    quarter_of_name,
)

LOCK_WAIT = "5s"


@dataclass(frozen=True)
class Outcome:
    created: list[str]
    skipped: list[str]  # a quarter whose rows wait in the default partition


@dataclass(frozen=True)
class Partition:
    name: str
    bounds: str
    rows: int  # PostgreSQL's estimate (no count of millions of rows)
    table: str  # the partitioned table: dossier or dossier_history
    quarter: int | None  # its quarter number; None for the legacy and default partitions


def postgres() -> bool:
    return db.engine.dialect.name == "postgresql"


def this_quarter_first_id(now: datetime | None = None) -> int:
    """The first dossier id of this quarter (office clock): ids from it on are in this
    quarter's partitions, the ones made ahead, or the default one."""
    return quarter_bounds(quarter_number(now or datetime.now(UTC)))[0]


def ensure(ahead: int = 2, since: date | None = None, now: datetime | None = None) -> Outcome:
    """Create the missing partitions from SINCE's quarter (default: this one) to AHEAD
    quarters after this one. Nothing on SQLite."""
    if not postgres():
        return Outcome([], [])
    current = quarter_number(now or datetime.now(UTC))
    first = min(quarter_number(since), current) if since else current
    have = {partition.name for partition in listing()}
    db.session.commit()
    created, skipped = [], []
    for number in range(first, current + ahead + 1):
        names = [partition_name(table, number) for table in PARTITIONED]
        if all(name in have for name in names):
            continue
        if _waiting_in_default(number):
            skipped.append(quarter_label(number))
            continue
        db.session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'"))
        for table, name in zip(PARTITIONED, names, strict=True):
            if name not in have:
                for statement in partition_ddl(table, number):
                    db.session.execute(text(statement))
                created.append(name)
        db.session.commit()
    return Outcome(created, skipped)


def _waiting_in_default(number: int) -> bool:
    low, high = quarter_bounds(number)
    for table, key in PARTITIONED.items():
        name = partition_name(table, "default")
        found = db.session.execute(
            text(f"SELECT 1 FROM {name} WHERE {key} >= :low AND {key} < :high LIMIT 1"),  # noqa: S608 (names of ours)
            {"low": low, "high": high},
        ).first()
        if found:
            db.session.rollback()
            return True
    return False


def listing() -> list[Partition]:
    """Every partition, oldest first, with its bounds and estimated rows."""
    if not postgres():
        return []
    rows = db.session.execute(
        text(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), GREATEST(c.reltuples, 0),"
            " i.inhparent::regclass::text"
            " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = ANY (CAST(:parents AS regclass[])) ORDER BY c.relname"
        ),
        {"parents": list(PARTITIONED)},
    ).all()
    return [
        Partition(name, bounds, int(estimate), table, quarter_of_name(name))
        for name, bounds, estimate, table in rows
    ]
