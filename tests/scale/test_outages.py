"""Outages: the database cut off and back, a statement too slow, Redis gone.

The database really goes away (tests/outage.py): PostgreSQL refuses new connections
and ends the open ones; on SQLite its file's folder is moved away. The same app keeps
running throughout: once the database is back it answers again, with no restart.
"""

import logging

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError

from config import engine_options
from extensions import db, limiter
from models import Dossier
from tests import factories
from tests.api.test_api import RECEIPT, get_token
from tests.outage import DatabaseSwitch

UNAVAILABLE = "Dịch vụ tạm thời gián đoạn"


@pytest.fixture
def switch(app, schema, database_url):
    """The database under test, to cut off; always let back in at the end."""
    sqlite = not database_url.startswith("postgresql")
    switch = DatabaseSwitch(database_url, schema, *([db.engine] if sqlite else []))
    yield switch
    switch.allow()


def dossier_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(Dossier.id)))


def test_healthz_is_503_while_the_database_is_away_and_200_once_back(client, world, switch):
    assert client.get("/healthz").status_code == 200
    with switch.cut():
        for _ in range(2):  # the dead pooled connections, then a refused new one
            response = client.get("/healthz")
            assert response.status_code == 503
            assert response.get_json() == {"status": "error", "database": "unreachable"}
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_panel_and_api_answer_503_meanwhile(app, client, login_as, switch):
    login_as("po_clerk")
    api = app.test_client()
    headers = {"Authorization": f"Bearer {get_token(api, 'po_clerk')}"}
    with switch.cut():
        page = client.get("/admin/dossier/")
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "30"
        html = page.get_data(as_text=True)
        assert UNAVAILABLE in html and "chưa có gì được lưu" in html
        answer = api.get("/api/v1/dossiers", headers=headers)
        assert answer.status_code == 503
        assert answer.get_json()["error"]["code"] == "service_unavailable"
        assert "cơ sở dữ liệu" in answer.get_json()["error"]["message"]
        sign_in = app.test_client().post(
            "/login", data={"username": "po_clerk", "password": factories.PASSWORD}
        )
        assert sign_in.status_code == 503
        assert UNAVAILABLE in sign_in.get_data(as_text=True)
    assert client.get("/admin/dossier/").status_code == 200  # the same session, no restart
    assert api.get("/api/v1/dossiers", headers=headers).status_code == 200


def test_a_receipt_cut_off_midway_leaves_nothing_and_gives_its_number_back(
    app, world, switch, database_url
):
    api = app.test_client()
    headers = {"Authorization": f"Bearer {get_token(api, 'po_clerk')}"}

    def cut_before_history(conn, cursor, statement, *args):
        if statement.startswith("INSERT INTO dossier_history") and not switch.blocked:
            switch.block()  # the dossier row and the counter are written, not yet committed

    if database_url.startswith("postgresql"):
        event.listen(db.engine, "before_cursor_execute", cut_before_history)
        try:
            response = api.post("/api/v1/dossiers", json=RECEIPT, headers=headers)
        finally:
            event.remove(db.engine, "before_cursor_execute", cut_before_history)
    else:  # SQLite cannot lose a connection midway: the database is away from the start
        switch.block()
        response = api.post("/api/v1/dossiers", json=RECEIPT, headers=headers)
    assert switch.blocked
    assert response.status_code == 503, response.get_json()
    assert response.get_json()["error"]["code"] == "service_unavailable"
    switch.allow()
    assert dossier_count() == 0
    again = api.post("/api/v1/dossiers", json=RECEIPT, headers=headers)
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["code"].endswith("-0001")


def test_a_panel_save_meanwhile_is_a_503_not_a_flash(client, login_as, switch):
    login_as("it_admin")
    with switch.cut():
        response = client.post("/admin/holiday/new/", data={"day": "2026-12-24", "name": "X"})
        assert response.status_code == 503
        assert UNAVAILABLE in response.get_data(as_text=True)


@pytest.fixture
def app_config():
    return {"STATEMENT_TIMEOUT_MS": 300}


def test_statement_timeout_cancels_a_long_query(app, database_url):
    options = engine_options(app.config)
    if not database_url.startswith("postgresql"):
        assert "connect_args" not in options  # SQLite has no server-side timeout to set
        return
    assert options["connect_args"]["options"] == (
        "-c statement_timeout=300 -c max_parallel_workers_per_gather=0"
    )
    assert db.session.scalar(text("SHOW statement_timeout")) == "300ms"
    # no helper processes for a page's short query (starting them costs more than it)
    assert db.session.scalar(text("SHOW max_parallel_workers_per_gather")) == "0"
    with pytest.raises(OperationalError, match="statement timeout"):
        db.session.execute(text("SELECT pg_sleep(3)"))
    db.session.rollback()
    assert db.session.scalar(text("SELECT 1")) == 1


@pytest.fixture
def redis_gone(app):
    """Rate limits stored in a Redis nobody listens to (port 1 of the loopback)."""
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1/0"
    limiter.init_app(app)
    yield
    limiter._storage_dead = False  # the limiter is one object shared by every test app


def test_sign_in_works_with_redis_unreachable_and_says_so(app, client, world, redis_gone, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.post(
            "/login", data={"username": "po_clerk", "password": factories.PASSWORD}
        )
    assert response.status_code == 302
    assert client.get("/admin/dossier/").status_code == 200
    assert any("falling back to in-memory" in r.getMessage() for r in caplog.records)
    wrong = app.test_client().post("/login", data={"username": "viewer", "password": "x"})
    assert wrong.status_code == 401  # failures still counted (in memory), no 500
