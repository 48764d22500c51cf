"""Two gunicorn servers over one database and one Redis behave as one application.

Each test starts two real servers (2 workers each) on free loopback ports, as
``gunicorn -c gunicorn.conf.py "app:create_app()"`` runs in production, and talks
HTTP to both. Redis is TEST_REDIS_URL (default database 12 of the local server) under
a key prefix of this run, removed afterwards. Several servers need PostgreSQL in
production; on the SQLite parameter the servers share the SQLite file and receipts
are sent one after the other (SQLite takes one writer at a time).
"""

import os
import secrets
import threading

import pytest
import redis

from tests import factories
from tests.api.test_api import RECEIPT
from tests.servers import Client, Server

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
RECEIPTS = 16
NEW_PASSWORD = "Tram-buu-dien-xanh-2026"


def redis_or_none():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("REQUIRE_POSTGRES") == "1":  # CI: Redis is part of the stack
            pytest.fail(f"Redis at {REDIS_URL} is unreachable")
        return None
    return client


@pytest.fixture
def servers(world, database_url, tmp_path):
    """Two app servers A and B sharing the test database and one Redis prefix."""
    yield from two_servers(database_url, tmp_path)


def two_servers(database_url, tmp_path, **settings):
    """Start A and B on DATABASE_URL with SETTINGS; yield (A, B, shared Redis?); stop them
    (tests/scale/test_pgbouncer.py runs them through PgBouncer)."""
    store, prefix = redis_or_none(), f"h12test-{secrets.token_hex(4)}"
    env = {
        **settings,
        "DATABASE_URL": database_url,
        "APP_ENV": "development",
        "SECRET_KEY": "two-servers-" + secrets.token_hex(8),
        "RATELIMIT_STORAGE_URI": REDIS_URL if store else "memory://",
        "RATELIMIT_KEY_PREFIX": prefix,
        "ACCESS_LOG": "-",
    }
    pair = [Server(env, tmp_path / f"server-{name}.log") for name in "ab"]
    try:
        for server in pair:
            server.wait_ready()
        yield pair[0].url, pair[1].url, store is not None
    finally:
        for server in pair:
            server.stop()
        if store is not None:
            for key in store.scan_iter(match=f"*{prefix}*", count=500):
                store.delete(key)
            store.close()


def token_on(server, username):
    answer = Client().post(
        server + "/api/v1/auth/token",
        json_body={"username": username, "password": factories.PASSWORD},
    )
    assert answer.status == 200, answer.text
    return answer.json()["token"]


def test_receipts_sent_to_both_at_once_get_unique_gap_free_codes(servers, database_url):
    a, b, _ = servers
    headers = {"Authorization": f"Bearer {token_on(a, 'po_clerk')}"}
    parallel = database_url.startswith("postgresql")
    start = threading.Barrier(RECEIPTS, timeout=60) if parallel else None
    answers = [None] * RECEIPTS

    def receive(n):
        if start:
            start.wait()  # every counter clerk presses "save" at the same instant
        body = {**RECEIPT, "applicant_name": f"Người nộp {n}"}
        answers[n] = Client().post(
            (a, b)[n % 2] + "/api/v1/dossiers", json_body=body, headers=headers
        )

    threads = [threading.Thread(target=receive, args=(n,)) for n in range(RECEIPTS)]
    for thread in threads:
        thread.start()
        if not parallel:
            thread.join(timeout=60)
    for thread in threads:
        thread.join(timeout=90)
    assert [r.status for r in answers] == [201] * RECEIPTS, [r.text for r in answers if r]
    codes = sorted(r.json()["code"] for r in answers)
    prefix = codes[0].rsplit("-", 1)[0]
    assert codes == [f"{prefix}-{n:04d}" for n in range(1, RECEIPTS + 1)]


def test_failed_sign_ins_spread_over_both_lock_the_account(servers):
    a, b, shared_redis = servers
    for n in range(5):
        wrong = Client().sign_in((a, b)[n % 2], "po_clerk", "not-the-password")
        assert wrong.status == 401
    right = Client().sign_in(b, "po_clerk", factories.PASSWORD)
    assert right.status == 429
    assert "Đăng nhập sai quá nhiều lần" in right.text
    if shared_redis:  # no account row to lock: only the shared counters in Redis can tell
        statuses = [Client().sign_in((a, b)[n % 2], "nobody", "x").status for n in range(6)]
        assert statuses == [401] * 5 + [429]


def test_a_password_change_on_one_ends_the_sessions_on_the_other(servers):
    a, b, _ = servers
    on_b, on_a = Client(), Client()
    assert on_b.sign_in(b, "dept_admin", factories.PASSWORD).status == 302
    assert on_b.get(b + "/admin/").status == 200
    assert on_a.sign_in(a, "dept_admin", factories.PASSWORD).status == 302
    form = {
        "csrf_token": on_a.csrf(a + "/account/password"),
        "current_password": factories.PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    assert on_a.post(a + "/account/password", form=form).status == 302
    ended = on_b.get(b + "/admin/")
    assert ended.status == 302 and "/login" in ended.headers["Location"]
    assert on_a.get(b + "/admin/").status == 200  # the session that changed it goes on
    assert Client().sign_in(b, "dept_admin", NEW_PASSWORD).status == 302


def test_a_permission_change_on_one_applies_on_the_other(servers, world):
    a, b, _ = servers
    viewer = Client()
    assert viewer.sign_in(b, "viewer", factories.PASSWORD).status == 302
    assert viewer.get(b + "/admin/dossier/").status == 200
    admin = Client()
    assert admin.sign_in(a, "it_admin", factories.PASSWORD).status == 302
    role_id = next(r.id for r in world.users["viewer"].roles if r.name == "viewer")
    grid_url = f"{a}/admin/role/permissions/?id={role_id}"
    kept = [
        f"{resource}:{action}"
        for resource, actions in {
            "handover": ("view",),
            "procedure_type": ("view",),
            "report": ("view", "export"),
        }.items()
        for action in actions
    ]
    saved = admin.post(grid_url, form={"csrf_token": admin.csrf(grid_url), "perm": kept})
    assert saved.status == 302, saved.text[:500]
    assert viewer.get(b + "/admin/dossier/").status == 403
    assert viewer.get(a + "/admin/dossier/").status == 403
    assert viewer.get(b + "/admin/handover/").status == 200
