"""The outbox kernel: rows written with the change, claimed under a lease, finished once.

A sink (``services.integration.sinks``) delivers a batch of claimed rows and answers
with an outcome: ``Done``, ``Retry`` (transient: a 5xx, a timeout, a refused
connection; tried again later with a growing, jittered delay) or ``Terminal`` (an
answer a retry cannot fix: dead at once). A row still failing at its ``give_up_at``
(a week after it was written) is dead too. Claiming is a compare-and-set on the row
(``FOR UPDATE SKIP LOCKED`` first on PostgreSQL), so any number of relays, workers and
app processes may claim at once; a lease that ends unfinished (a killed worker, a
lost queue) makes the row due again. Every finishing write checks the lease's token,
so a late worker never overwrites what another one did.
"""

import random
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from extensions import db
from models.base import utcnow
from models.integration import OutboxMessage

GIVE_UP_AFTER = timedelta(days=7)
BACKOFF_CAP = timedelta(hours=24)
ERROR_CHARS = 500


@dataclass(frozen=True)
class Done:
    """Delivered and acknowledged."""


@dataclass(frozen=True)
class Retry:
    """A transient failure: try again later."""

    error: str


@dataclass(frozen=True)
class Terminal:
    """An answer no retry can fix: the rows are dead at once."""

    error: str


@dataclass(frozen=True)
class Busy:
    """Another delivery holds the same key: try again in a moment (no attempt counted)."""


@dataclass(frozen=True)
class Later:
    """Not now (quiet hours, a rate limit): due again AT, no attempt counted."""

    at: datetime
    reason: str


Outcome = Done | Retry | Terminal | Busy | Later
BUSY_DELAY = timedelta(seconds=1)


@dataclass(frozen=True)
class Claimed:
    """A claimed row, as plain values (no database session is held while delivering)."""

    id: int
    sink: str
    kind: str
    dossier_id: int | None
    history_id: int | None
    idempotency_key: str
    payload: dict | None


@dataclass
class Batch:
    """The rows one delivery works on (one dossier's, when the sink coalesces)."""

    sink: str
    token: str
    rows: list[Claimed]
    finished: set[int] = field(default_factory=set)

    def done(self, row_ids) -> None:
        """Mark ROW_IDS done now (any of the sink's rows not yet done, even another lease's)."""
        ids = set(row_ids)
        if ids:
            mark_done(ids)
            self.finished |= ids


def new_row(sink: str, kind: str, *, dossier_id=None, history_id=None, payload=None) -> dict:
    """The column values of a new outbox row (for ``enqueue`` or a core insert)."""
    now = utcnow()
    return {
        "sink": sink,
        "kind": kind,
        "dossier_id": dossier_id,
        "history_id": history_id,
        "payload": payload,
        "idempotency_key": f"{sink}:{uuid.uuid4().hex}",
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "give_up_at": now + GIVE_UP_AFTER,
        "created_at": now,
        "updated_at": now,
    }


def enqueue(sink: str, kind: str, **values) -> OutboxMessage:
    """Add a row to the current session: it commits, or rolls back, with the caller's change."""
    row = OutboxMessage(**new_row(sink, kind, **values))
    db.session.add(row)
    return row


# -- claiming ------------------------------------------------------------------------------
def _due(now: datetime):
    return and_(
        OutboxMessage.status.in_(("pending", "sending")), OutboxMessage.next_attempt_at <= now
    )


def claim(limit: int = 100, sinks=None, now: datetime | None = None) -> tuple[str, list[Claimed]]:
    """Lease up to LIMIT due rows (of SINKS) to a new token; commits. Returns (token, rows)."""
    now = now or utcnow()
    token = secrets.token_hex(16)
    lease_end = now + timedelta(seconds=current_app.config.get("OUTBOX_LEASE_SECONDS", 120))
    candidates = select(OutboxMessage.id).where(_due(now))
    if sinks is not None:
        candidates = candidates.where(OutboxMessage.sink.in_(tuple(sinks)))
    candidates = candidates.order_by(OutboxMessage.next_attempt_at).limit(limit)
    if db.engine.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    session = db.session
    try:
        ids = list(session.scalars(candidates))
        if ids:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), _due(now))  # the compare-and-set
                .values(status="sending", lease_token=token, next_attempt_at=lease_end)
                .execution_options(synchronize_session=False)
            )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    if not ids:
        return token, []
    return token, leased(token)


def leased(token: str, ids=None) -> list[Claimed]:
    """The rows still leased to TOKEN (and still sending), in order; ends the read."""
    query = select(
        OutboxMessage.id,
        OutboxMessage.sink,
        OutboxMessage.kind,
        OutboxMessage.dossier_id,
        OutboxMessage.history_id,
        OutboxMessage.idempotency_key,
        OutboxMessage.payload,
    ).where(OutboxMessage.lease_token == token, OutboxMessage.status == "sending")
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    rows = [Claimed(*r) for r in db.session.execute(query.order_by(OutboxMessage.id))]
    db.session.rollback()  # no transaction stays open while a sink talks to the outside
    return rows


def release(token: str) -> None:
    """Give TOKEN's rows back at once (the queue could not take them)."""
    write(
        update(OutboxMessage)
        .where(OutboxMessage.lease_token == token, OutboxMessage.status == "sending")
        .values(status="pending", lease_token=None, next_attempt_at=utcnow())
    )


# -- finishing -----------------------------------------------------------------------------
def write(statement) -> None:
    """Run one writing STATEMENT in its own short transaction."""
    session = db.session
    try:
        session.execute(statement.execution_options(synchronize_session=False))
        session.commit()
    except BaseException:
        session.rollback()
        raise


def mark_done(ids) -> None:
    now = utcnow()
    write(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(list(ids)), OutboxMessage.status.in_(("pending", "sending")))
        .values(status="done", done_at=now, updated_at=now, lease_token=None, last_error=None)
    )


def backoff(attempts: int) -> timedelta:
    """The wait after the ATTEMPTS-th failure: ~30 s doubling to 24 h, with jitter."""
    base = current_app.config.get("OUTBOX_BACKOFF_SECONDS", 30)
    ceiling = min(BACKOFF_CAP.total_seconds(), base * 2 ** min(attempts - 1, 20))
    return timedelta(seconds=ceiling * random.uniform(0.5, 1.0))  # noqa: S311 (jitter)


def finish(batch: Batch, outcome: Outcome) -> None:
    """Apply OUTCOME to the batch's rows still leased to it."""
    ids = [r.id for r in batch.rows if r.id not in batch.finished]
    if not ids:
        return
    now = utcnow()
    mine = and_(
        OutboxMessage.id.in_(ids),
        OutboxMessage.lease_token == batch.token,
        OutboxMessage.status == "sending",
    )
    if isinstance(outcome, Done):
        write(
            update(OutboxMessage)
            .where(mine)
            .values(status="done", done_at=now, updated_at=now, lease_token=None, last_error=None)
        )
        return
    if isinstance(outcome, Busy | Later):  # not now, and no attempt counted
        values = {"status": "pending", "lease_token": None, "next_attempt_at": now + BUSY_DELAY}
        if isinstance(outcome, Later):
            values |= {"next_attempt_at": outcome.at, "last_error": mask_personal(outcome.reason)}
        write(update(OutboxMessage).where(mine).values(**values))
        return
    error = mask_personal(outcome.error)
    attempts = OutboxMessage.attempts + 1
    if isinstance(outcome, Terminal):
        values = {"status": "dead", "lease_token": None, "attempts": attempts}
        write(update(OutboxMessage).where(mine).values(last_error=error, updated_at=now, **values))
        return
    session = db.session
    try:
        for row_id, tries, give_up_at in session.execute(
            select(OutboxMessage.id, OutboxMessage.attempts, OutboxMessage.give_up_at).where(mine)
        ).all():
            dead = give_up_at <= now
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.lease_token == batch.token)
                .values(
                    status="dead" if dead else "pending",
                    attempts=tries + 1,
                    next_attempt_at=now + backoff(tries + 1),
                    lease_token=None,
                    last_error=error,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
        session.commit()
    except BaseException:
        session.rollback()
        raise


def open_rows(sink: str, dossier_id: int) -> list[tuple[int, int | None, str]]:
    """(id, history id, key) of SINK's rows of DOSSIER_ID not done yet, in order; ends the read."""
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.history_id, OutboxMessage.idempotency_key)
        .where(
            OutboxMessage.dossier_id == dossier_id,
            OutboxMessage.sink == sink,
            or_(OutboxMessage.status == "pending", OutboxMessage.status == "sending"),
        )
        .order_by(OutboxMessage.id)
    ).all()
    db.session.rollback()
    return [tuple(r) for r in rows]


# -- what an error may say -------------------------------------------------------------------
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_DIGITS = re.compile(r"(?<![\d.])(\+?\d(?: ?\d){8,})(?![\d.])")  # ID numbers, phones


def mask_personal(text: str | None) -> str:
    """TEXT with e-mail addresses and long digit runs (ID numbers, phones) masked, shortened."""
    text = (text or "").replace("\x00", "")
    text = _EMAIL.sub("***@***", text)
    text = _DIGITS.sub(lambda m: "*" * (len(m.group(1)) - 3) + m.group(1)[-3:], text)
    return text[:ERROR_CHARS]
