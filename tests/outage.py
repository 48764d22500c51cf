"""Cutting the database under test off, then letting it back: a real outage, no mocks.

PostgreSQL: new connections to the test database are refused (``ALLOW_CONNECTIONS false``,
issued from the ``postgres`` database) and the open ones are ended
(``pg_terminate_backend``). SQLite: the database file's folder is moved away, so no
connection can open it, and the pooled ones are closed. The database's name comes from
the URL (``test`` in CI, one per engineer locally).
"""

import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine


def _maintenance(url) -> Engine:
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class DatabaseSwitch:
    """``block()`` / ``allow()`` the database at URL; ``cut()`` does both around a block."""

    def __init__(self, url: str, *engines: Engine):
        self.url = make_url(url)
        self.engines = engines  # pools closed with the cut (the server ends nothing on SQLite)
        self.postgres = self.url.get_backend_name() == "postgresql"
        self.name = self.url.database
        self.blocked = False

    def block(self) -> None:
        if self.postgres:
            self._pg_block()
        else:
            folder = Path(self.name).parent
            folder.rename(folder.with_name(folder.name + "-away"))
        self.blocked = True
        for engine in self.engines:
            engine.dispose()

    def allow(self) -> None:
        if not self.blocked:
            return
        if self.postgres:
            with _maintenance(self.url).connect() as conn:
                conn.execute(text(f"ALTER DATABASE {_quoted(self.name)} ALLOW_CONNECTIONS true"))
        else:
            folder = Path(self.name).parent
            folder.with_name(folder.name + "-away").rename(folder)
        self.blocked = False

    def _pg_block(self) -> None:
        engine = _maintenance(self.url)
        with engine.connect() as conn:
            conn.execute(text(f"ALTER DATABASE {_quoted(self.name)} ALLOW_CONNECTIONS false"))
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": self.name},
            )
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # until every backend has really gone
                left = conn.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name"),
                    {"name": self.name},
                )
                if not left:
                    break
                time.sleep(0.05)
        engine.dispose()

    @contextmanager
    def cut(self):
        self.block()
        try:
            yield
        finally:
            self.allow()
