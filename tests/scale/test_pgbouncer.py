"""The two app servers of test_two_servers.py through a real PgBouncer in transaction pooling
mode (Debian's, 1.18: no prepared statements across transactions), as README "Deploy" puts it
between N app servers and PostgreSQL, with DATABASE_POOLER=pgbouncer.

The same tests run here with the servers' DATABASE_URL at PgBouncer: receipts sent to both
at once keep gap-free codes, failed sign-ins lock across servers, a password change ends the
other's sessions, a permission change applies on the other. PgBouncer has fewer server
connections than the app servers have workers' pools, so transactions share them.
"""

import threading

import pytest
from sqlalchemy import create_engine, text

from config import engine_options
from tests.pg_servers import PgBouncer
from tests.scale.test_two_servers import (  # noqa: F401  (the same tests, collected here too)
    test_a_password_change_on_one_ends_the_sessions_on_the_other,
    test_a_permission_change_on_one_applies_on_the_other,
    test_failed_sign_ins_spread_over_both_lock_the_account,
    test_receipts_sent_to_both_at_once_get_unique_gap_free_codes,
    two_servers,
)

pytestmark = pytest.mark.postgresql_only  # PgBouncer pools PostgreSQL connections

#: What the app sends as startup options when it connects directly (config.engine_options),
#: given by the pool to every server connection instead: PgBouncer refuses startup options.
CONNECT_QUERY = "SET statement_timeout = 15000; SET max_parallel_workers_per_gather = 0"
SERVER_CONNECTIONS = 3  # fewer than the 4 workers' pools: transactions share connections


@pytest.fixture(scope="module")
def bouncer(database_url):
    pool = PgBouncer(database_url, pool_size=SERVER_CONNECTIONS, connect_query=CONNECT_QUERY)
    yield pool
    pool.stop()


@pytest.fixture
def servers(world, bouncer, tmp_path):
    """Two app servers A and B reaching the test database through PgBouncer."""
    url = bouncer.url.render_as_string(hide_password=False)
    yield from two_servers(url, tmp_path, DATABASE_POOLER="pgbouncer")


def test_the_pooler_setting_prepares_nothing_on_shared_connections(bouncer):
    """Statements run many times on several client connections, each transaction on
    whichever server connection is free: none fails on a statement prepared elsewhere
    (without the setting psycopg prepares "_pg3_0" on one server connection and finds it
    missing, or already there, on the next: DuplicatePreparedStatement)."""
    url = bouncer.url.render_as_string(hide_password=False)
    config = {"SQLALCHEMY_DATABASE_URI": url, "DATABASE_POOLER": "pgbouncer"}
    engine = create_engine(url, pool_size=6, **engine_options(config))
    errors = []

    def run():
        try:
            for n in range(20):
                with engine.connect() as conn:  # past psycopg's 5 runs that would prepare
                    for _ in range(7):
                        assert conn.scalar(text("SELECT :n + 1"), {"n": n}) == n + 1
                    assert conn.scalar(text("SHOW statement_timeout")) == "15s"
        except Exception as exc:  # collected, asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    engine.dispose()
    assert errors == []
