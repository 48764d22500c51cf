"""The production path: an API action → its outbox row → the relay → an RQ worker process
on our own Redis → the fake portal; and the CLI's refusals without a Redis."""

import secrets
import time

import pytest
from redis.exceptions import RedisError
from sqlalchemy import select

from extensions import db
from models import OutboxMessage
from models.base import utcnow
from services.integration import workers
from tests import factories
from tests.integration.processes import Outboxer, outbox_env


def test_an_api_action_reaches_the_portal_through_rq(
    app, client, world, portal, redis_server, database_url, tmp_path
):
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], received_at=utcnow()
    )
    token = client.post(
        "/api/v1/auth/token", json={"username": "po_clerk", "password": factories.PASSWORD}
    ).get_json()["token"]
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/transitions",
        json={"action": "refuse", "note": "Thiếu đơn", "version": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.get_json()
    queue_name = "outbox-test-" + secrets.token_hex(4)
    app.config.update(RQ_REDIS_URL=redis_server.url, RQ_QUEUE=queue_name)
    queue = workers.queue(app.config)
    assert workers.relay_once(queue) == 2  # receipt and refusal: one job, coalesced
    assert len(queue) == 1
    env = outbox_env(database_url, portal.url, redis_server.url, queue_name)
    worker = Outboxer(["worker", "--burst"], env, tmp_path / "worker.log")
    assert worker.wait(timeout=90) == 0, (tmp_path / "worker.log").read_text()[-3000:]
    db.session.expire_all()
    statuses = set(db.session.scalars(select(OutboxMessage.status)))
    assert statuses == {"done"}, (tmp_path / "worker.log").read_text()[-3000:]
    assert portal.dossiers[dossier.code]["TrangThaiHoSo"] == 3
    assert [s["TrangThai"] for s in portal.steps[dossier.code]] == [2, 3]


def test_a_refused_queue_gives_the_rows_back(app, world, portal, redis_server):
    factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], received_at=utcnow()
    )
    app.config.update(RQ_REDIS_URL=redis_server.url, RQ_QUEUE="outbox-" + secrets.token_hex(4))
    queue = workers.queue(app.config)
    redis_server.stop()
    with pytest.raises(RedisError):
        workers.relay_once(queue)
    db.session.expire_all()
    (row,) = db.session.scalars(select(OutboxMessage))
    assert row.status == "pending" and row.lease_token is None


def test_the_cli_needs_a_redis_for_rq_but_delivers_in_process_without(runner, world, portal):
    factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], received_at=utcnow()
    )
    for command in ("relay", "worker"):
        result = runner.invoke(args=["outbox", command])
        assert result.exit_code != 0 and "RQ_REDIS_URL" in result.output
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0 and "Delivered 1 rows." in result.output, result.output
    assert len(portal.dossiers) == 1


@pytest.fixture
def looping_app(app):
    """The app as `make run` serves it: no Redis, the loop in the process."""
    app.config["OUTBOX_IN_PROCESS"] = True
    yield app
    stop = app.extensions.get("outbox_loop")
    if stop is not None:
        stop.set()


def test_without_redis_the_app_process_delivers(looping_app, world, portal, database_url):
    from app import register_outbox

    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], received_at=utcnow()
    )
    register_outbox(looping_app)  # as create_app does with OUTBOX_IN_PROCESS on
    assert "outbox_loop" not in looping_app.extensions  # nothing until the first request
    looping_app.test_client().get("/healthz")
    assert "outbox_loop" in looping_app.extensions
    deadline = time.monotonic() + 20
    while dossier.code not in portal.dossiers and time.monotonic() < deadline:
        time.sleep(0.1)
    assert dossier.code in portal.dossiers
    assert workers.start_loop(looping_app) is None  # one loop per app
