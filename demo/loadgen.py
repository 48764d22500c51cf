"""``generate-data``: dossiers with their whole life, in bulk (COPY on PostgreSQL).

Receipts fall on the working days of the last DAYS days (the holiday calendar and
make-up Saturdays included) within office hours, busier in the morning and on Mondays.
Each dossier's life follows from its receipt: handed to its department the next working
morning (one handover batch per post office, department and day), completed in about
its processing time (some late, a few after a supplement request), handed back,
returned at the counter or shipped by post (a delivery order and its tracking events).
Whatever would lie after now has not happened yet, which fixes each status. A few are
refused at the counter, withdrawn or stopped.

A second run adds to what is there: codes continue from the per-day counters, ids from
the highest ones; each batch (dossiers, history, handovers, parcels, counters) is one
transaction, so an interrupted run loses at most the batch under way.
"""

import queue
import random
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select

from demo import bulk
from demo.demo_data import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M, STREETS
from demo.lives import Life
from demo.seed import ensure_demo_world
from demo.timeline import Timeline
from extensions import db
from models import Agency, CodeCounter, ProcedureType, RequiredDocument, User
from services.calendar import LOCAL_TZ, load_calendar, parse_cutoff
from services.dossiers import partitions as dossier_partitions
from services.reporting import delays
from services.reporting.facts import rebuild
from vietnam.text import fold

WEEKDAY_LOAD = (1.25, 1.05, 1.0, 1.0, 0.9, 0.5, 0.5)
# Receipt minutes: 07:30–11:30 and 13:30–17:00, mornings twice as busy.
OFFICE_MINUTES = [m for m in range(450, 690) for _ in range(2)] + list(range(810, 1020))


def generate_dossiers(
    count: int,
    *,
    batch: int = 50_000,
    seed: int = 7,
    days: int = 365,
    cutoff: str = "15:00",
    progress: Callable[[int], None] | None = None,
    note: Callable[[str], None] = print,
) -> int:
    """Add COUNT dossiers received over the last DAYS days; returns how many."""
    ensure_demo_world()
    db.session.commit()
    ids = bulk.next_ids()
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:  # ids in each day's quarter, from a block of the sequence kept for the run
        ids["dossier"] = bulk.reserve_dossier_ids(count)
    rng = random.Random(seed * 1_000_003 + ids["dossier"])
    today = datetime.now(LOCAL_TZ)
    first = today.date() - timedelta(days=days)
    timeline = Timeline(load_calendar(first, days=days + 500), first, today, parse_cutoff(cutoff))
    counters = {(c.scope, c.day): c.last_seq for c in db.session.scalars(select(CodeCounter))}
    life = Life(rng, timeline, _world(rng), counters, ids, quarter_ids=postgres)
    db.session.commit()
    dossier_partitions.ensure(since=first)  # the past quarters receive rows too
    done = 0
    large = count >= max(100_000, ids["dossier"] // 2)
    with bulk.bulk_mode(large, note), Writer() as writer:
        for w, n in _quotas(count, timeline, rng):
            life.receive_day(w, n)
            done += n
            if progress:
                progress(n)
            if life.pending >= batch:
                writer.put(*life.take())
        writer.put(*life.take())
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":  # a recount of millions outlasts a page's limit
        connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    rebuild(connection)  # rows went in without the ORM: recount the daily figures
    delays.rebuild(connection)  # and the handover delays
    db.session.commit()
    return done


class Writer:
    """Writes batches on a second connection while the next one is being built (on
    PostgreSQL the server ingests on one core while Python generates on the other)."""

    def __init__(self):
        self.engine = db.engine  # the thread has no app context to find it in
        self.threaded = self.engine.dialect.name == "postgresql"
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        if self.threaded:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        if self.threaded:
            self.queue.put(None)
            self.thread.join()
        if self.error and not exc[0]:
            raise self.error
        return False

    def put(self, rows: dict, counters: list[dict]) -> None:
        if self.error:
            raise self.error
        if self.threaded:
            self.queue.put((rows, counters))
        else:
            self._write(rows, counters)

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self._write(*item)
                except BaseException as exc:  # handed to the generating thread
                    self.error = exc

    def _write(self, rows: dict, counters: list[dict]) -> None:
        with self.engine.begin() as conn:
            bulk.write(conn, rows, counters)


def _quotas(count: int, timeline: Timeline, rng: random.Random):
    """(working-day index, receipts) over the period, summing to COUNT."""
    weights = [
        WEEKDAY_LOAD[timeline.day(w).weekday()] * rng.uniform(0.85, 1.15)
        for w in timeline.received_days()
    ]
    total, running, given = sum(weights), 0.0, 0
    for w, weight in zip(timeline.received_days(), weights, strict=True):
        running += count * weight / total
        n = round(running) - given
        given += n
        if n:
            yield w, n


def _world(rng: random.Random) -> dict:
    """What receipts draw from: procedures, counters and their clerks, people."""
    procedures = db.session.execute(
        select(
            ProcedureType.id,
            ProcedureType.agency_id,
            Agency.code,
            ProcedureType.processing_days,
            ProcedureType.fee,
            ProcedureType.postal_return,
        )
        .join(Agency, Agency.id == ProcedureType.agency_id)
        .where(ProcedureType.active.is_(True))
    ).all()
    checklists: dict[int, list[str]] = {}  # what a receipt records as handed in: all of it
    for proc_id, name in db.session.execute(
        select(RequiredDocument.procedure_type_id, RequiredDocument.name).order_by(
            RequiredDocument.procedure_type_id, RequiredDocument.position, RequiredDocument.id
        )
    ):
        checklists.setdefault(proc_id, []).append(name)
    procedures = [(*p, checklists.get(p[0], [])) for p in procedures]
    staff: dict[int, list[int]] = {}
    for user_id, agency_id in db.session.execute(select(User.id, User.agency_id)):
        staff.setdefault(agency_id, []).append(user_id)
    offices = db.session.scalars(select(Agency.id).where(Agency.kind == "post_office")).all()
    names = []
    for _ in range(20_000):
        male = rng.random() < 0.5
        middle, given = (MIDDLE_M, GIVEN_M) if male else (MIDDLE_F, GIVEN_F)
        name = f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"
        names.append((name, fold(name)))
    streets = [
        rng.choice(STREETS).format(n=rng.randrange(1, 300)) + ", Thái Nguyên" for _ in range(500)
    ]
    return {
        "procedures": procedures,
        "staff": staff,
        "offices": offices,
        "names": names,
        "streets": streets,
        "minutes": OFFICE_MINUTES,
    }
