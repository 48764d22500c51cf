"""Receipt-to-department delays counted in buckets, so that their percentiles need no sort.

A dossier's delay (from its receipt to the department's confirmation of the handover) falls
in one BUCKET: under a minute is bucket 0, then each bucket is 2 % longer than the one
before (a minute to a year in about 800 buckets). ``report_delay`` keeps how many fell in
each bucket per local day and per month, with the shortest, the longest and their sum; a
period's median and 90th percentile are read from the months it covers whole and the days
at its ends, the values of a bucket taken as evenly spread between its shortest and
longest, and ``percentile_cont``'s interpolation between ranks: exact where a bucket holds
one, two or equal values, within 2 % of the exact figure whatever the number of dossiers.
The counts are kept with the daily figures (services.reporting.facts).
"""

import math
from collections import Counter, defaultdict
from datetime import date, timedelta
from functools import cache

from sqlalchemy import and_, case, delete, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from extensions import db
from models.dossier import Dossier, DossierHistory
from models.report import ReportDelay
from services.calendar import LOCAL_TZ
from services.reporting.periods import Period
from services.reporting.queries import Filters, narrow

STEP = 1.02
_LOG_STEP = math.log(STEP)
FIGURES = {"handover_delay_median": 0.5, "handover_delay_p90": 0.9}
#: The move whose delay is counted: the department confirms the dossier it was handed.
MOVE = ("received", "processing")
D = ReportDelay


def bucket(seconds: float) -> int:
    """The bucket of a delay of SECONDS (negative: 0)."""
    minutes = seconds / 60
    if minutes < 1:
        return 0
    return 1 + int(math.log(minutes) / _LOG_STEP)


def bounds(number: int) -> tuple[float, float]:
    """The delays (seconds) bucket NUMBER holds: from the first, up to the second."""
    if number == 0:
        return 0.0, 60.0
    return 60 * STEP ** (number - 1), 60 * STEP**number


def _value(buckets: list, index: int) -> float:
    """The INDEX-th smallest delay (from 0) of BUCKETS ((number, n, low, high, seconds) in
    order), the values of a bucket taken as evenly spread from its low to its high."""
    seen = 0
    for _number, n, low, high, seconds in buckets:
        if index < seen + n:
            if n == 1:
                return float(seconds)
            return low + (high - low) * (index - seen) / (n - 1)
        seen += n
    return float(buckets[-1][3])


def percentile(buckets: list, fraction: float) -> float | None:
    """The FRACTION percentile (seconds) of the delays in BUCKETS (see ``_value``),
    as ``percentile_cont``: between the ranks around FRACTION × (n − 1), from 0."""
    buckets = sorted(b for b in buckets if b[1] > 0)
    total = sum(b[1] for b in buckets)
    if total <= 0:
        return None
    rank = fraction * (total - 1)
    below, above = _value(buckets, int(rank)), _value(buckets, min(int(rank) + 1, total - 1))
    return below + (above - below) * (rank - int(rank))


def counts(received_at, key: tuple, steps) -> Counter:
    """What one dossier (received at RECEIVED_AT, under KEY) counts for by its STEPS
    ((action, source, target, at)…): (day, *key, ("delay", seconds)) → n."""
    found: Counter = Counter()
    if received_at is None:
        return found
    for _action, source, target, at in steps:
        if (source, target) == MOVE:
            seconds = max(0, round((at - received_at).total_seconds()))
            found[(at.astimezone(LOCAL_TZ).date(), *key, ("delay", seconds))] += 1
    return found


NAMES = ("grain", "start", "agency_id", "procedure_type_id", "post_office_id", "bucket")


def _rows(entries) -> dict:
    """Day and month rows from ENTRIES ((day, agency, procedure, office, seconds), n)."""
    rows: dict = {}
    for (day, *key, seconds), amount in entries:
        if not amount:
            continue
        for grain, start in (("d", day), ("m", day.replace(day=1))):
            row = rows.setdefault((grain, start, *key, bucket(seconds)), [0, None, None, 0])
            row[0] += amount
            row[3] += amount * seconds
            if amount > 0:  # a count taken back leaves the row's span as it was
                row[1] = seconds if row[1] is None else min(row[1], seconds)
                row[2] = seconds if row[2] is None else max(row[2], seconds)
    return rows


def add(connection, change: Counter) -> None:
    """Add CHANGE's delay entries ((day, agency, procedure, office, ("delay", seconds)) → n)
    to the day and month rows, in a fixed order (concurrent moves never deadlock)."""
    entries = (((day, *key, s), n) for (day, *key, (_d, s)), n in change.items())
    rows = _rows(entries)
    for row in sorted(rows):
        n, low, high, seconds = rows[row]
        if n or low is not None:
            params = dict(zip(NAMES, row, strict=True), n=n, low=low, high=high, seconds=seconds)
            connection.execute(_upsert(connection.dialect.name), params)


def add_theirs(connection, change: Counter) -> Counter:
    """Add CHANGE's delay entries (see ``add``); the rest of CHANGE, for the daily rows."""
    delayed = Counter({k: n for k, n in change.items() if isinstance(k[-1], tuple)})
    if delayed:
        add(connection, delayed)
    return Counter({k: n for k, n in change.items() if not isinstance(k[-1], tuple)})


@cache
def _upsert(dialect_name: str):
    postgres = dialect_name == "postgresql"
    stmt = (postgresql if postgres else sqlite).insert(D.__table__)
    least, greatest = (func.least, func.greatest) if postgres else (func.min, func.max)
    new = stmt.excluded

    def keep(pick, old, given):
        return pick(func.coalesce(old, given), func.coalesce(given, old))

    return stmt.on_conflict_do_update(
        index_elements=list(NAMES),
        set_={
            "n": D.n + new.n,
            "seconds": D.seconds + new.seconds,
            "low": keep(least, D.low, new.low),
            "high": keep(greatest, D.high, new.high),
        },
    )


def rebuild(connection) -> int:
    """Recount every delay from the history (bulk loads); returns the rows written."""
    H = DossierHistory
    query = (
        select(
            H.at,
            Dossier.received_at,
            Dossier.agency_id,
            Dossier.procedure_type_id,
            func.coalesce(Dossier.post_office_id, 0),
        )
        .join(Dossier, Dossier.id == H.dossier_id)
        .where(H.from_status == MOVE[0], H.to_status == MOVE[1])
    )
    entries: Counter = Counter()
    result = connection.execute(query.execution_options(yield_per=20_000))
    for at, received_at, *key in result:
        if received_at is not None and None not in key:
            seconds = max(0, round((at - received_at).total_seconds()))
            entries[(at.astimezone(LOCAL_TZ).date(), *key, seconds)] += 1
    rows = _rows(entries.items())
    connection.execute(delete(D.__table__))
    batch = [
        dict(zip(NAMES, row, strict=True), n=n, low=low, high=high, seconds=seconds)
        for row, (n, low, high, seconds) in rows.items()
    ]
    for start in range(0, len(batch), 5000):
        connection.execute(insert(D.__table__), batch[start : start + 5000])
    return len(batch)


def _windows(period: Period):
    """The rows covering PERIOD: its whole months from the month rows, the rest by day."""
    first_month = period.first if period.first.day == 1 else _next_month(period.first)
    after_last = period.last + timedelta(days=1)
    last_month = after_last.replace(day=1)  # months before this one end inside the period
    if first_month >= last_month:  # no whole month: days only
        return [and_(D.grain == "d", D.start >= period.first, D.start <= period.last)]
    return [
        and_(D.grain == "m", D.start >= first_month, D.start < last_month),
        and_(D.grain == "d", D.start >= period.first, D.start < first_month),
        and_(D.grain == "d", D.start >= last_month, D.start <= period.last),
    ]


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


GROUP_COLUMNS = {
    "agency": D.agency_id,
    "procedure": D.procedure_type_id,
    "post_office": D.post_office_id,
}


def percentiles(user, period: Period, filters: Filters, by=None) -> dict:
    """The median and 90th percentile (seconds) of the period's delays in USER's scope,
    per agency, procedure or post office (BY) or in all (key None)."""
    group = GROUP_COLUMNS[by] if by else None
    columns = [group] if group is not None else []
    live = D.n > 0  # a row counted back to nothing keeps no span
    spans = (func.min(case((live, D.low))), func.max(case((live, D.high))))
    sums = (func.sum(D.n), *spans, func.sum(D.seconds))
    query = select(*columns, D.bucket, *sums).where(or_(*_windows(period)))
    query = narrow(query, user, filters, D, "report_delay")
    histograms: dict = defaultdict(list)
    for row in db.session.execute(query.group_by(*columns, D.bucket)):
        key = row[0] if group is not None else None
        number, n, low, high, seconds = row[-5:]
        if n and low is not None:
            histograms[key].append((number, int(n), low, high, int(seconds)))
    return {
        key: {name: percentile(h, fraction) for name, fraction in FIGURES.items()}
        for key, h in histograms.items()
    }
