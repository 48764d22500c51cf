"""The reports' read replica (REPORTS_DATABASE_URL): may a page read from it now, and the
routing of a page's report reads to it.

The dashboard, reports, periodic report, scorecard, tracking book and summary API read
their figures through ``read`` or ``reading`` (``use`` for a download streamed after its
view returns). The replica serves them while it answers and is at most REPORTS_MAX_LAG_S
behind; otherwise they read the primary, and the ``Source`` they get says which. Its state
is read once per REPORTS_LAG_CHECK_S in each process, not once per page. Writes never go
there: extensions.RoutingSession sends it plain reads only.
"""

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from flask import current_app
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError

from extensions import READ_ENGINE, db, keep_prepared_statements

T = TypeVar("T")
KEY = "reports_replica"  # app.extensions key
CONNECT_TIMEOUT_S = 2  # a replica out of reach costs a page at most this, once per check

#: The replica's lag in seconds. None: no commit replayed yet while behind (unknown).
#: Caught up (all it received is replayed) and its WAL receiver running: 0 — an idle
#: primary sends nothing, and its last commit grows old without the replica lagging; the
#: receiver's status is NULL for a role without pg_read_all_stats, and then trusted. Else
#: the age of the last commit it replayed. A server not in recovery (a primary named as its
#: own replica, in development) lags 0.
LAG = text(
    """
    SELECT CASE
      WHEN NOT pg_is_in_recovery() THEN 0
      WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AND EXISTS (
        SELECT 1 FROM pg_stat_wal_receiver WHERE coalesce(status, 'streaming') = 'streaming'
      ) THEN 0
      ELSE greatest(0, extract(epoch FROM now() - pg_last_xact_replay_timestamp()))
    END
    """
)


@dataclass(frozen=True)
class Source:
    """Where a page's figures were read: the replica (with its lag) or the primary."""

    configured: bool = False  # is there a replica at all (else the pages say nothing)
    replica: bool = False  # read from the replica
    lag: float | None = None  # its lag in seconds when last seen; None: down or unknown

    @property
    def seconds(self) -> int:
        """The lag in whole seconds, as the page shows it."""
        return math.ceil(self.lag) if self.lag is not None else 0

    @property
    def name(self) -> str:
        return "replica" if self.replica else "primary"


PRIMARY = Source()  # no replica configured


class Replica:
    """The replica's engine and its state, seen at most once per REPORTS_LAG_CHECK_S."""

    def __init__(self, engine):
        self.engine = engine
        self._lock = threading.RLock()  # failed() runs inside lag() too
        self._seen_at = -math.inf
        self._lag: float | None = None

    def lag(self, check_every: float) -> float | None:
        """Its lag (None: down or unknown), read again when the last look is older than
        CHECK_EVERY seconds."""
        with self._lock:  # one thread looks; the others wait for its answer
            if time.monotonic() - self._seen_at >= check_every:
                self._lag = self._read_lag()
                self._seen_at = time.monotonic()
            return self._lag

    def _read_lag(self) -> float | None:
        try:
            with self.engine.connect() as conn:
                if conn.dialect.name != "postgresql":
                    return 0.0
                value = conn.execute(LAG).scalar()
        except DBAPIError:
            return None
        return None if value is None else float(value)

    def failed(self, context) -> None:
        """A statement or connection on the replica failed: down until the next look."""
        if isinstance(context.sqlalchemy_exception, OperationalError):
            with self._lock:
                self._lag, self._seen_at = None, time.monotonic()

    def source(self, config) -> Source:
        """Where report reads go under CONFIG's REPORTS_MAX_LAG_S and REPORTS_LAG_CHECK_S."""
        lag = self.lag(float(config["REPORTS_LAG_CHECK_S"]))
        return Source(True, lag is not None and lag <= float(config["REPORTS_MAX_LAG_S"]), lag)


def init_app(app) -> None:
    """With REPORTS_DATABASE_URL, give APP the replica's engine (made lazily: no connection
    before the first report page)."""
    url = app.config.get("REPORTS_DATABASE_URL")
    if not url:
        return
    options = dict(app.config.get("REPORTS_ENGINE_OPTIONS") or {})
    if url.startswith("postgresql"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
        options["connect_args"] = connect_args
    engine = create_engine(url, **options)
    if not app.config.get("DATABASE_POOLER"):
        keep_prepared_statements(engine)
    replica = Replica(engine)
    event.listen(engine, "handle_error", replica.failed)
    app.extensions[KEY] = replica


def _replica() -> Replica | None:
    return current_app.extensions.get(KEY)


def current_source() -> Source:
    """Where report reads would go now."""
    replica = _replica()
    return PRIMARY if replica is None else replica.source(current_app.config)


@contextmanager
def reading(primary: bool = False) -> Iterator[Source]:
    """Send this block's plain reads to the replica when it may serve (never with PRIMARY)."""
    replica = _replica()
    if replica is None:
        yield PRIMARY
        return
    source = Source(True, False, None) if primary else replica.source(current_app.config)
    info = db.session.info
    before = info.get(READ_ENGINE)
    _route(replica.engine if source.replica else None)
    try:
        yield source
    finally:
        _route(before)


def read(build: Callable[[], T]) -> tuple[T, Source]:
    """BUILD()'s result and where it was read: the replica when it may serve, else the
    primary — the primary again when the replica fails meanwhile."""
    with reading() as source:
        try:
            return build(), source
        except OperationalError:
            if not source.replica:
                raise
            db.session.rollback()  # the half-read transaction, on both servers
    with reading(primary=True) as source:
        return build(), source


def use() -> Source:
    """Send the rest of this request's plain reads to the replica when it may serve (a
    download read while it streams, after its view returned); the request's session ends
    with it."""
    source = current_source()
    if source.replica:
        _route(_replica().engine)
    return source


def _route(engine) -> None:
    if engine is None:
        db.session.info.pop(READ_ENGINE, None)
    else:
        db.session.info[READ_ENGINE] = engine
