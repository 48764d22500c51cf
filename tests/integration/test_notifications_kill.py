"""A worker process SIGKILLed between the SMS gateway's acceptance and our commit: the
message goes out at most twice (the same request id both times); a worker left alone
sends each message once."""

import time

import pytest
from sqlalchemy import select

from extensions import db
from models import NotificationLog, OutboxMessage
from tests import factories
from tests.fake_gateways import SMS_PASSWORD, SMS_USER
from tests.integration.processes import Outboxer, outbox_env
from tests.integration.test_notifications import received

LEASE_SECONDS = 2


@pytest.fixture
def app_config(sms):
    return {
        "SMS_GATEWAY_URL": sms.url,
        "SMS_USERNAME": SMS_USER,
        "SMS_PASSWORD": SMS_PASSWORD,
    }


def worker_env(database_url, sms):
    return outbox_env(
        database_url,
        "",
        "",
        "unused",
        SMS_GATEWAY_URL=sms.url,
        SMS_USERNAME=SMS_USER,
        SMS_PASSWORD=SMS_PASSWORD,
        SMS_QUIET_HOURS="",
        OUTBOX_LEASE_SECONDS=LEASE_SECONDS,
        NOTIFY_TIMEOUT_SECONDS=60,
    )


def wait_for(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_killed_after_the_answer_sends_one_duplicate_at_most(world, sms, database_url, tmp_path):
    sms.hold = 60  # accepted and recorded; the answer waits
    received(world, channels=("sms",))
    worker = Outboxer(["deliver"], worker_env(database_url, sms), tmp_path / "killed.log")
    try:
        assert wait_for(lambda: len(sms.received) == 1), (tmp_path / "killed.log").read_text()
    finally:
        worker.kill()  # SIGKILL: the gateway has it, our log says only "sending"
    sms.hold = 0
    time.sleep(LEASE_SECONDS + 0.5)  # the lease ends: the row is due again
    factories.run_workers()
    assert len(sms.received) == 2  # one duplicate, carrying the same request id
    assert len(set(sms.keys())) == 1
    db.session.expire_all()
    entry = db.session.scalars(select(NotificationLog)).one()
    assert entry.result == "sent" and entry.unsure == 1
    assert db.session.scalars(select(OutboxMessage.status)).all() == ["done"]
    factories.run_workers()
    assert len(sms.received) == 2


def test_a_worker_left_alone_sends_each_message_once(world, sms, database_url, tmp_path):
    for _ in range(5):
        received(world, channels=("sms",))
    worker = Outboxer(["deliver"], worker_env(database_url, sms), tmp_path / "calm.log")
    assert worker.wait(timeout=120) == 0
    assert len(sms.received) == 5 and len(set(sms.keys())) == 5
    factories.run_workers()
    assert len(sms.received) == 5
