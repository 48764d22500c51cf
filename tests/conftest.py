"""Fixtures: every test runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL too.

The schema is built once per database (tests may create_all; the app never does)
and every table is emptied after each test, so each test starts clean.
"""

import contextvars
import os
import shutil
import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError
from werkzeug.serving import make_server

import models  # noqa: F401  (every table on the metadata)
import services.accounts.passwords
from app import create_app
from config import TestingConfig
from extensions import db
from tests import factories

# Hashing at production cost would dominate the suite's time; the algorithm is the same.
services.accounts.passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

PASSWORD = factories.PASSWORD


def pytest_configure(config):
    if os.environ.get("REQUIRE_POSTGRES") == "1" and not os.environ.get("TEST_DATABASE_URL"):
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")


#: The slowest files of the suite (``--durations``), longest first.
SLOW_FIRST = (
    "tests/browser/test_browser_screens.py",
    "tests/scale/test_reports_replica.py",
    "tests/integration/test_outbox_chaos.py",
    "tests/scale/test_two_servers.py",
    "tests/scale/test_webhook_order.py",
    "tests/services/test_seed_and_cli.py",
    "tests/browser/test_browser_reports.py",
    "tests/browser/test_browser.py",
    "tests/browser/test_browser_clicks.py",
    "tests/scale/test_reports_random.py",
    "tests/browser/test_browser_rating.py",
    "tests/scale/test_pgbouncer.py",
    "tests/services/test_digitization.py",
    "tests/browser/test_browser_receipt.py",
    "tests/scale/test_heavy_exports.py",
    "tests/services/test_demo_history.py",
    "tests/services/test_periodic_oracle.py",
    "tests/services/test_migrations.py",
    "tests/panel/test_access_matrix.py",
    "tests/panel/test_print_pages.py",
    "tests/browser/test_ui_language.py",
    "tests/browser/test_print_browser.py",
    "tests/browser/test_browser_notifications.py",
)


def pytest_collection_modifyitems(config, items):
    """A test marked ``postgresql_only`` is about PostgreSQL itself (prepared statements,
    row locks): it is not collected for SQLite, rather than skipped there.

    The browser tests drive the pages, the same on either database, and run on one: on
    PostgreSQL, production's, when TEST_DATABASE_URL names it, else on SQLite. What lies
    under the pages runs on both in the panel, API and service tests (every route for
    every role included: tests/panel/test_access_matrix.py); the browser tests were half
    the suite's time on this 2-core machine."""
    one_database = bool(os.environ.get("TEST_DATABASE_URL"))
    kept, dropped = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        sqlite = params.get("database_url") == "sqlite"
        postgres_only = item.get_closest_marker("postgresql_only") or (
            one_database and item.get_closest_marker("browser")
        )
        (dropped if sqlite and postgres_only else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    # The files that take minutes start first: run in parallel (one file per process at a
    # time), short files then fill the end instead of waiting behind a long one.
    rank = {path: i for i, path in enumerate(SLOW_FIRST)}
    items[:] = sorted(kept, key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


def _database_params():
    params = ["sqlite"]
    if os.environ.get("TEST_DATABASE_URL"):
        params.append("postgresql")
    return params


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (``test_gw0``, ...),
    created on first use beside TEST_DATABASE_URL's: tables are emptied after every test
    and outage tests cut off a whole database, so two workers must never share one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            found = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not found:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=_database_params())
def database_url(request, tmp_path_factory):
    """The URL of the database under test: a SQLite file, or TEST_DATABASE_URL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
    url = _worker_database(os.environ["TEST_DATABASE_URL"])
    engine = create_engine(url)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        pytest.fail(f"PostgreSQL at TEST_DATABASE_URL is unreachable: {exc}")
    finally:
        engine.dispose()
    return url


@pytest.fixture(scope="session")
def schema(database_url):
    """Build every table once per database; drop them at the end."""
    engine = create_engine(database_url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.metadata.drop_all(conn)
        db.metadata.create_all(conn)
    yield engine
    with engine.begin() as conn:
        db.metadata.drop_all(conn)
    engine.dispose()


#: Every sequence of the test database from its start again (ids from 1, as after a
#: TRUNCATE ... RESTART IDENTITY), those a test made included.
RESTART_SEQUENCES = """
DO $$
DECLARE s record;
BEGIN
  FOR s IN SELECT schemaname, sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER SEQUENCE %I.%I RESTART', s.schemaname, s.sequencename);
  END LOOP;
END $$
"""


def _empty_tables(engine):
    """Empty every table after a test, by DELETE, children first; on PostgreSQL the
    sequences then start again. (A TRUNCATE of the 34 tables and their partitions made new
    files for each of 110 relations: 0.13 s after every test, against 0.013 s.)"""
    tables = list(reversed(db.metadata.sorted_tables))
    with engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        if engine.dialect.name == "postgresql":
            conn.execute(text(RESTART_SEQUENCES))


def make_config(database_url, **overrides):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        WTF_CSRF_ENABLED = False

    for key, value in overrides.items():
        setattr(Config, key, value)
    return Config


class IsolatedClient(FlaskClient):
    """A test client whose requests get their own app context, as in production.

    Without this, a request reuses the test's app context: the same ``g`` (so
    Flask-Login's cached user) and the same database session as the test.
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app_config():
    """Overrides for the app under test; a test may fill it before using ``app``."""
    return {}


@pytest.fixture
def app(database_url, schema, app_config):
    app = create_app(make_config(database_url, **app_config))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    _empty_tables(schema)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """Two departments, two post offices, IT and leadership, a user per role, procedures."""
    return factories.make_world()


@pytest.fixture
def login_as(client, world):
    """Sign the test client in as the demo user of a role (or any username)."""

    def login(username):
        client.post("/logout")
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return world.users[username]

    return login


# -- the browser: one Chromium for the whole session, a fresh context per test ----------
CHROMIUM = "/usr/bin/chromium"
OUTPUT = Path(__file__).resolve().parent.parent / "test-output"  # screenshots; git ignores it


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright; with REQUIRE_BROWSER=1 a missing one fails."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page (own cookies) in Vietnamese at a desktop size."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
    yield context.new_page()
    context.close()


@pytest.fixture
def live_server(app):
    """The app served over HTTP on a free port, in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


# -- the applicant-message gateways, real servers on 127.0.0.1 (tests/fake_gateways.py) -------
@pytest.fixture
def sms():
    """The SMS brandname gateway."""
    from tests.fake_gateways import FakeGateway

    server = FakeGateway("sms").start()
    yield server
    server.stop()


@pytest.fixture
def zalo():
    """The Zalo ZNS gateway."""
    from tests.fake_gateways import FakeGateway

    server = FakeGateway("zalo").start()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) in the test process."""
    from tests.fake_gateways import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()
