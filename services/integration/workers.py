"""Who works the outbox: the relay and RQ workers, or the app process's own loop.

With ``RQ_REDIS_URL`` the relay (``flask outbox relay``) claims due rows and queues one
RQ job per delivery (a dossier's rows together when the sink coalesces), with a job id
unique to the lease; RQ workers (``flask outbox worker``) run them. Without it, the
app process claims and delivers due rows itself in a background thread. Either way
the table is the truth: a job lost with Redis, or a worker killed mid-delivery, ends
as an expired lease and the row is claimed again.
"""

import logging
import threading
from collections import defaultdict

from flask import current_app

from extensions import db
from services.integration import locks, outbox
from services.integration.outbox import Batch, Busy, Claimed, Retry
from services.integration.sinks import BY_NAME, enabled_sinks

log = logging.getLogger(__name__)
QUEUE = "outbox"


def groups(rows: list[Claimed]) -> list[list[Claimed]]:
    """The deliveries of claimed ROWS: one per row, or per (sink, dossier) when coalescing."""
    grouped: dict[tuple, list[Claimed]] = defaultdict(list)
    for row in rows:
        sink = BY_NAME.get(row.sink)
        key = (row.sink, row.dossier_id) if sink and sink.coalesce else (row.sink, row.id)
        grouped[key].append(row)
    return list(grouped.values())


def deliver(token: str, row_ids: list[int]) -> str:
    """Deliver the rows of ROW_IDS still leased to TOKEN (the RQ job, and the loop's step)."""
    rows = outbox.leased(token, row_ids)
    if not rows:
        return "lease lost"
    sink = BY_NAME.get(rows[0].sink)
    batch = Batch(rows[0].sink, token, rows)
    if sink is None:
        outcome = outbox.Terminal(f"Không có kênh gửi «{rows[0].sink}».")
    elif not sink.coalesce:
        outcome = _run(sink, batch)
    else:  # one delivery per dossier at a time: a state read earlier never lands last
        key = f"{sink.name}:{rows[0].dossier_id}"
        if not locks.lock(key, token):
            outcome = Busy()
        else:
            try:
                outcome = _run(sink, batch)
            finally:
                locks.unlock(key, token)
    outbox.finish(batch, outcome)
    return type(outcome).__name__


def _run(sink, batch: Batch):
    try:
        return sink.deliver(batch)
    except Exception as exc:  # any failure of a sink is retried later
        db.session.rollback()
        log.exception("outbox delivery failed")
        return Retry(f"{type(exc).__name__}: {exc}")


def deliver_job(token: str, row_ids: list[int]) -> str:
    """The RQ job: in the worker's app context (``flask outbox worker`` gives one)."""
    try:
        return deliver(token, row_ids)
    finally:
        db.session.remove()


def _sink_names() -> list[str]:
    return [s.name for s in enabled_sinks(current_app.config)]


def deliver_due(limit: int = 50) -> int:
    """Claim due rows and deliver them here and now; how many rows were claimed."""
    token, rows = outbox.claim(limit, sinks=_sink_names())
    for group in groups(rows):
        deliver(token, [r.id for r in group])
    return len(rows)


# -- RQ --------------------------------------------------------------------------------------
def redis_url(config) -> str | None:
    """RQ_REDIS_URL, else the rate limits' Redis when that is one, else None (no RQ)."""
    url = config.get("RQ_REDIS_URL")
    if url:
        return url
    limits = config.get("RATELIMIT_STORAGE_URI") or ""
    return limits if limits.startswith(("redis://", "rediss://")) else None


def queue(config):
    from redis import Redis
    from rq import Queue

    name = config.get("RQ_QUEUE") or QUEUE
    return Queue(name, connection=Redis.from_url(redis_url(config)))


#: Jobs waiting in the queue beyond which the relay claims nothing more: a lease must not
#: end while its job is still queued (it would be claimed again, and again).
MAX_QUEUED = 50


def relay_once(q, limit: int = 100) -> int:
    """Claim due rows and queue their deliveries; rows go back at once if Redis refuses."""
    room = MAX_QUEUED - q.count
    if room <= 0:
        return 0
    token, rows = outbox.claim(min(limit, room), sinks=_sink_names())
    if not rows:
        return 0
    try:
        for group in groups(rows):
            ids = [r.id for r in group]
            q.enqueue(
                deliver_job,
                token,
                ids,
                job_id=f"outbox-{ids[0]}-{token}",
                result_ttl=60,
                failure_ttl=3600,
                job_timeout=current_app.config.get("OUTBOX_LEASE_SECONDS", 120),
            )
    except Exception:
        log.warning("outbox relay: the queue refused; rows released", exc_info=True)
        outbox.release(token)
        raise
    return len(rows)


def relay_forever(q, idle_seconds: float = 1.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            claimed = relay_once(q)
        except Exception:
            db.session.rollback()
            claimed = 0
            stop.wait(idle_seconds)
        if not claimed:
            stop.wait(idle_seconds)


def run_worker(config, burst: bool = False) -> None:
    """Run an RQ worker on the outbox queue in this process (jobs share its app context)."""
    from rq import SimpleWorker

    q = queue(config)
    SimpleWorker([q], connection=q.connection).work(burst=burst, with_scheduler=False)


# -- the app process's own loop (no Redis) ----------------------------------------------------
_start_lock = threading.Lock()


def start_loop(app, idle_seconds: float = 2.0) -> threading.Event | None:
    """Deliver due rows from a daemon thread of this process, once per app.

    Returns the event that stops it (kept in ``app.extensions["outbox_loop"]``), or None
    when the loop already runs.
    """
    with _start_lock:
        if "outbox_loop" in app.extensions:
            return None
        stop = app.extensions["outbox_loop"] = threading.Event()
    thread = threading.Thread(target=_loop, args=(app, idle_seconds, stop), daemon=True)
    thread.name = "outbox-loop"
    thread.start()
    return stop


def _loop(app, idle_seconds: float, stop: threading.Event) -> None:
    while not stop.is_set():
        with app.app_context():
            try:
                claimed = deliver_due()
            except Exception:  # the database may be away for a while
                log.warning("outbox loop failed; trying again", exc_info=True)
                claimed = 0
            finally:
                db.session.remove()
        if not claimed:
            stop.wait(idle_seconds)
