"""Real PostgreSQL machinery for tests: a streaming replica of the test server and a
PgBouncer in front of it, each a process started on a free loopback port.

Both run as the ``postgres`` user when the tests run as root (PostgreSQL refuses root),
in a temporary directory that user owns. The replica is ``pg_basebackup -R`` of the whole
test server (physical replication copies every database of it); the primary's pg_hba.conf
must allow replication from 127.0.0.1 (.ci/run adds the line when it is missing).
"""

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from tests.servers import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PGBOUNCER = "/usr/sbin/pgbouncer"
START_SECONDS = 60
#: The standby's settings that must be at least the primary's for it to accept reads.
AT_LEAST_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _runs_as() -> dict:
    """Popen's arguments that run a server as ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam("postgres")
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def _own_directory(prefix: str) -> Path:
    """A fresh directory the server's user owns, reachable from / (not under pytest's 0700)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(path, user.pw_uid, user.pw_gid)
    return path


def _stop_group(process: subprocess.Popen, sig=signal.SIGINT) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class StreamingReplica:
    """A hot standby of PRIMARY_URL's server, streaming from it, on its own port."""

    def __init__(self, primary_url: str):
        self.primary_url = primary_url
        self.home = _own_directory("replica-")
        self.data = self.home / "data"
        self.port = free_port()
        self.url = make_url(primary_url).set(host="127.0.0.1", port=self.port)
        self.process = None
        self._base_backup()

    def _base_backup(self) -> None:
        primary = make_url(self.primary_url)
        command = [
            str(PG_BIN / "pg_basebackup"),
            *("-D", str(self.data), "-h", primary.host or "127.0.0.1"),
            *("-p", str(primary.port or 5432), "-U", primary.username or "postgres"),
            *("-R", "-X", "stream", "--checkpoint=fast", "--no-sync"),
        ]
        done = subprocess.run(  # noqa: S603  (fixed arguments)
            command, capture_output=True, text=True, timeout=300, check=False, **_runs_as()
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"pg_basebackup failed (does pg_hba.conf allow replication from 127.0.0.1?"
                f" .ci/run adds it): {done.stderr[-2000:]}"
            )
        engine = create_engine(self.primary_url)
        try:
            with engine.connect() as conn:
                limits = {name: conn.scalar(text(f"SHOW {name}")) for name in AT_LEAST_PRIMARY}
        finally:
            engine.dispose()
        settings = {
            **limits,
            "listen_addresses": "'127.0.0.1'",
            "hot_standby": "on",
            "max_standby_streaming_delay": "'1s'",  # the tests' TRUNCATEs wait no longer
            "shared_buffers": "'32MB'",
            "fsync": "off",
            "logging_collector": "off",
        }
        conf = "".join(f"{name} = {value}\n" for name, value in settings.items())
        self._write("postgresql.conf", conf)
        self._write("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n")

    def _write(self, name: str, content: str) -> None:
        path = self.data / name
        path.write_text(content, encoding="utf-8")
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(path, user.pw_uid, user.pw_gid)

    def start(self) -> None:
        command = [
            str(PG_BIN / "postgres"),
            *("-D", str(self.data), "-p", str(self.port), "-k", str(self.home)),
        ]
        self.log = (self.home / "postgres.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603  (fixed arguments)
            command,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **_runs_as(),
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the replica exited: {self.log_tail()}")
            if self._answers():
                return
            time.sleep(0.2)
        raise RuntimeError(f"the replica did not start in {START_SECONDS}s: {self.log_tail()}")

    def _answers(self) -> bool:
        engine = create_engine(self.url, connect_args={"connect_timeout": 2})
        try:
            with engine.connect() as conn:
                return bool(conn.scalar(text("SELECT pg_is_in_recovery()")))
        except OperationalError:  # not up yet
            return False
        finally:
            engine.dispose()

    def log_tail(self) -> str:
        path = self.home / "postgres.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def kill(self) -> None:
        """Gone at once, as a crashed server (immediate shutdown)."""
        _stop_group(self.process, signal.SIGQUIT)
        self.log.close()

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process)  # fast shutdown
            self.log.close()

    def remove(self) -> None:
        if self.process is not None:
            self.kill()  # its files go next: no need to shut down cleanly
        shutil.rmtree(self.home, ignore_errors=True)

    def sql(self, statement: str):
        """Run STATEMENT on the replica (pause or resume its replay, read its LSNs)."""
        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                return conn.scalar(text(statement))
        finally:
            engine.dispose()

    def wait_received(self, replayed: bool = True, seconds: float = 30) -> None:
        """Wait until the replica has received (and REPLAYED) all the primary has written."""
        engine = create_engine(self.primary_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                lsn = conn.scalar(text("SELECT pg_current_wal_lsn()::text"))
        finally:
            engine.dispose()
        which = "replay" if replayed else "receive"
        query = f"SELECT pg_last_wal_{which}_lsn() >= '{lsn}'::pg_lsn"
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.sql(query):
                return
            time.sleep(0.05)
        raise AssertionError(f"the replica has not {which}ed {lsn} in {seconds}s")


class PgBouncer:
    """PgBouncer in transaction pooling mode in front of DATABASE_URL's server."""

    def __init__(self, database_url: str, pool_size: int = 10, connect_query: str = ""):
        self.home = _own_directory("pgbouncer-")
        self.port = free_port()
        target = make_url(database_url)
        self.url = target.set(host="127.0.0.1", port=self.port)
        database = f"* = host={target.host or '127.0.0.1'} port={target.port or 5432}" + (
            f" connect_query='{connect_query}'" if connect_query else ""
        )
        ini = "\n".join(
            [
                "[databases]",
                database,
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                f"listen_port = {self.port}",
                f"unix_socket_dir = {self.home}",
                "auth_type = trust",
                f"auth_file = {self.home / 'users.txt'}",
                "pool_mode = transaction",
                f"default_pool_size = {pool_size}",
                "max_client_conn = 500",
                "server_reset_query =",
                f"logfile = {self.home / 'pgbouncer.log'}",
                f"pidfile = {self.home / 'pgbouncer.pid'}",
                "",
            ]
        )
        user = target.username or "postgres"
        for name, content in (("pgbouncer.ini", ini), ("users.txt", f'"{user}" ""\n')):
            path = self.home / name
            path.write_text(content, encoding="utf-8")
            if os.geteuid() == 0:
                owner = pwd.getpwnam("postgres")
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self.process = subprocess.Popen(  # noqa: S603  (fixed arguments)
            [PGBOUNCER, str(self.home / "pgbouncer.ini")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **_runs_as(),
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pgbouncer exited: {self.log_tail()}")
            engine = create_engine(self.url, connect_args={"prepare_threshold": None})
            try:
                with engine.connect() as conn:
                    conn.scalar(text("SELECT 1"))
                return
            except OperationalError:  # not up yet
                time.sleep(0.2)
            finally:
                engine.dispose()
        raise RuntimeError(f"pgbouncer did not start in {START_SECONDS}s: {self.log_tail()}")

    def log_tail(self) -> str:
        path = self.home / "pgbouncer.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def stop(self) -> None:
        _stop_group(self.process)
        shutil.rmtree(self.home, ignore_errors=True)
