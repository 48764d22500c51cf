"""Reports on a real streaming replica (REPORTS_DATABASE_URL): served from it, its lag shown,
and the primary read instead when it lags past REPORTS_MAX_LAG_S or is down.

The replica is ``pg_basebackup -R`` of the test server and a second ``postgres`` on a free
port (tests/pg_servers.py), started once per session. The figures read are the summary
API's (its headers say where they came from); the pages say it in words.
"""

import time

import pytest
from sqlalchemy import func, select

from extensions import db
from models import ReportExport
from services.reporting import exports
from services.reporting import replica as reports_replica
from services.reporting.periods import make_period
from tests import factories
from tests.api.test_api import api_as  # noqa: F401  (fixture)
from tests.pg_servers import StreamingReplica

pytestmark = pytest.mark.postgresql_only  # streaming replication is PostgreSQL's

MARCH = "/reports/summary?from=2026-03-01&to=2026-03-31"
PAGE = "/admin/report/?preset=custom&from=01/03/2026&to=31/03/2026"
ON_REPLICA = "Số liệu từ bản sao, trễ"
DOWN = "Bản sao không sẵn sàng — số liệu đọc từ cơ sở dữ liệu chính"
LAGGING = "— số liệu đọc từ cơ sở dữ liệu chính"


@pytest.fixture(scope="session")
def replica(database_url):
    """A hot standby of the test server, streaming, for the whole session."""
    server = StreamingReplica(database_url)
    server.start()
    yield server
    server.remove()


@pytest.fixture
def app_config(replica):
    return {
        "REPORTS_DATABASE_URL": replica.url.render_as_string(hide_password=False),
        "REPORTS_LAG_CHECK_S": 0,  # each page looks again: the tests change it meanwhile
        "REPORTS_MAX_LAG_S": 60,
    }


@pytest.fixture
def running(replica, app):
    """The replica up, replaying and caught up; its connections closed after the test
    (before the tables are emptied, which the replica replays)."""
    if replica.process.poll() is not None:  # a test before killed it
        replica.start()
    replica.sql("SELECT pg_wal_replay_resume()")
    replica.wait_received()
    yield replica
    if replica.process.poll() is None:
        replica.sql("SELECT pg_wal_replay_resume()")
    db.session.remove()
    app.extensions[reports_replica.KEY].engine.dispose()


def receive(world):
    return factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])


def summary(api):
    """(received, source, lag header) of March's summary."""
    answer = api.get(MARCH)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    headers = answer.headers
    return answer.get_json()["received"], headers["X-Reports-Source"], headers.get("X-Reports-Lag")


def test_report_reads_go_to_the_replica_and_writes_to_the_primary(app, world, running):
    with reports_replica.reading() as source:
        assert source.replica and source.lag is not None
        assert db.session.scalar(select(func.inet_server_port())) == running.port
        receive(world)  # flushed and committed on the primary (the replica is read-only)
    assert db.session.scalar(select(func.inet_server_port())) != running.port


def test_a_paused_replica_shows_the_old_figure_and_its_lag_then_the_new(
    app,
    world,
    running,
    api_as,  # noqa: F811
    client,
    login_as,
):
    receive(world)
    running.wait_received()
    api = api_as("viewer")
    assert summary(api)[:2] == (1, "replica")
    running.sql("SELECT pg_wal_replay_pause()")
    receive(world)
    running.wait_received(replayed=False)  # it has the second dossier, not replayed yet
    received, source, lag = summary(api)
    assert (received, source) == (1, "replica") and int(lag) >= 1
    login_as("viewer")
    page = client.get(PAGE).get_data(as_text=True)
    assert ON_REPLICA in page and 'data-source="replica"' in page

    app.config["REPORTS_MAX_LAG_S"] = 0  # the same lag, now past the limit: the primary
    received, source, lag = summary(api)
    assert (received, source) == (2, "primary") and int(lag) >= 1
    page = client.get(PAGE).get_data(as_text=True)
    assert f"Bản sao trễ {lag}" in page or "Bản sao trễ" in page
    assert LAGGING in page and 'data-source="primary"' in page

    app.config["REPORTS_MAX_LAG_S"] = 60
    running.sql("SELECT pg_wal_replay_resume()")
    running.wait_received()
    assert summary(api)[:2] == (2, "replica")


def test_an_idle_primary_is_no_lag(app, world, running, api_as):  # noqa: F811
    receive(world)
    running.wait_received()
    time.sleep(2.5)  # the last commit grows old; with nothing to replay the replica is current
    # Other test processes write to the same server: its replay may be a moment behind now
    # and then (waiting for a lock), but it catches up, and then shows no lag.
    deadline = time.monotonic() + 20
    while True:
        _received, source, lag = summary(api_as("viewer"))
        if (source == "replica" and int(lag) <= 1) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert source == "replica" and int(lag) <= 1  # others' commits on a shared server: ≤ 1 s


def test_a_stopped_replica_sends_every_report_page_to_the_primary(
    app,
    world,
    running,
    api_as,  # noqa: F811
    client,
    login_as,
):
    receive(world)
    running.wait_received()
    api = api_as("viewer")
    app.config["REPORTS_LAG_CHECK_S"] = 600  # seen up now, and not looked at again
    assert summary(api)[:2] == (1, "replica")
    receive(world)
    running.kill()
    # The page after the crash still thinks it up: its read fails and is made on the primary.
    received, source, lag = summary(api)
    assert (received, source, lag) == (2, "primary", None)
    login_as("viewer")
    pages = ("/admin/", "/admin/report/periodic", "/admin/report/scorecard", "/admin/report/review")
    for url in (PAGE, *pages):
        page = client.get(url)
        assert page.status_code == 200, url
        assert DOWN in page.get_data(as_text=True), url
    app.config["REPORTS_LAG_CHECK_S"] = 0
    assert summary(api)[:2] == (2, "primary")
    running.start()  # back: the next look finds it
    running.wait_received()
    assert summary(api)[:2] == (2, "replica")


def test_a_background_download_reads_the_replica_and_writes_the_primary(app, world, running):
    receive(world)
    running.wait_received()
    running.sql("SELECT pg_wal_replay_pause()")
    receive(world)  # on the primary only, while the replica's replay waits
    running.wait_received(replayed=False)
    export = exports.ask(
        world.users["it_admin"], "tracking_book", make_period("2026-03-01", "2026-03-31")
    )
    db.session.commit()
    exports.make(export.id)  # the claim, the progress and the file: written to the primary
    db.session.expire_all()
    done = db.session.get(ReportExport, export.id)
    assert (done.status, done.rows_done) == ("done", 1)  # the rows: the replica's one dossier
    assert done.content
