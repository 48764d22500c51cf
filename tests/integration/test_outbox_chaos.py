"""Chaos: 1,000 dossier changes while RQ workers are SIGKILLed 20 times and Redis restarts once.

Every change must reach the fake portal, each dossier end in one final state with its
steps in order and none twice; replaying the dead rows twice must leave the portal as
the first replay left it. PostgreSQL only (several processes write at once).
"""

import random
import secrets
import threading
import time

import pytest
from sqlalchemy import func, select, update

from extensions import db
from models import Dossier, OutboxMessage
from models.base import utcnow
from services.dossiers import workflow
from services.integration import screen
from services.transactions import transaction
from tests import factories
from tests.integration.processes import Outboxer, outbox_env

pytestmark = pytest.mark.postgresql_only
DOSSIERS = 250  # four changes each: receipt, handover confirmed, supplement asked, received
STEPS = [2, 4, 5, 4]
KILLS = 20
REFUSED = 5  # dossiers the portal refuses (400) until the end: their rows die, then replayed
LEASE_SECONDS = 5


@pytest.fixture
def app_config(portal):
    from tests.integration.conftest import portal_config

    return portal_config(portal.url, OUTBOX_LEASE_SECONDS=LEASE_SECONDS)


class Crew:
    """A relay and two workers; KILLS times a random worker dies by SIGKILL and is replaced."""

    def __init__(self, env, log_dir, redis_server):
        self.env, self.log_dir, self.redis = env, log_dir, redis_server
        self.relay = Outboxer(["relay"], env, log_dir / "relay.log")
        self.workers = [self._worker(n) for n in range(2)]
        self.kills = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._chaos, daemon=True)

    def _worker(self, n):
        return Outboxer(["worker"], self.env, self.log_dir / f"worker-{n}.log")

    def _chaos(self):
        rng = random.Random(7)
        while self.kills < KILLS and not self.stop.is_set():
            time.sleep(rng.uniform(0.6, 1.4))
            n = rng.randrange(2)
            self.workers[n].kill()
            self.kills += 1
            if self.kills == KILLS // 2:
                self.redis.restart()  # every queued job is lost
            self.workers[n] = self._worker(n)
        while not self.stop.is_set():  # keep two alive (a worker may die with Redis)
            for n, worker in enumerate(self.workers):
                if worker.process.poll() is not None:
                    self.workers[n] = self._worker(n)
            time.sleep(0.5)

    def start(self):
        self.thread.start()

    def close(self):
        self.stop.set()
        self.thread.join(timeout=30)
        for process in [self.relay, *self.workers]:
            process.kill()


def make_changes(world):
    clerk, dept = world.users["po_clerk"], world.users["dept_admin"]
    dossiers = [
        factories.make_dossier(
            world.procedures["publish"], clerk, f"Người nộp {n}", received_at=utcnow()
        )
        for n in range(DOSSIERS)
    ]
    handover = workflow.SYSTEM_MOVES["handover_to_department"]
    for dossier in dossiers:
        with transaction():
            workflow.move(dossier, "handover_to_department", handover, dept)
    for action, actor in (("request_supplement", dept), ("supplement_received", clerk)):
        for dossier in dossiers:
            with transaction():
                workflow.transition(dossier, action, actor, note="Bổ sung tờ khai")
    return [d.code for d in dossiers]


def wait_until_settled(timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        open_count = db.session.scalar(
            select(func.count()).where(OutboxMessage.status.in_(("pending", "sending")))
        )
        if open_count == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"{open_count} outbox rows still open after {timeout} s")


def replay_dead(user, ids):
    for row_id in ids:
        with transaction():
            screen.retry(user, row_id, "Phát lại sau khi Cổng sửa lỗi")


def test_chaos(app, world, portal, redis_server, database_url, tmp_path):
    queue = "outbox-chaos-" + secrets.token_hex(4)
    env = outbox_env(
        database_url, portal.url, redis_server.url, queue, OUTBOX_LEASE_SECONDS=LEASE_SECONDS
    )
    portal.refused |= {f"Người nộp {n}" for n in range(REFUSED)}  # by the holder's name
    crew = Crew(env, tmp_path, redis_server)
    started = time.monotonic()
    try:
        crew.start()
        codes = make_changes(world)
        while crew.kills < KILLS:
            time.sleep(0.2)
        wait_until_settled(timeout=90)
        dead = list(
            db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.status == "dead"))
        )
        assert len(dead) == REFUSED * len(STEPS)
        portal.refused.clear()
        replay_dead(world.users["it_admin"], dead)
        wait_until_settled(timeout=60)
        first = portal.snapshot()
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(dead)).values(status="dead")
        )
        db.session.commit()
        replay_dead(world.users["it_admin"], dead)  # the same dead rows, replayed again
        wait_until_settled(timeout=60)
        assert portal.snapshot() == first
    finally:
        crew.close()
    elapsed = time.monotonic() - started
    logs = "\n".join(p.name for p in tmp_path.iterdir())
    assert crew.kills == KILLS, logs
    db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == DOSSIERS * len(STEPS)
    assert set(db.session.scalars(select(OutboxMessage.status))) == {"done"}
    assert len(portal.dossiers) == DOSSIERS
    for code in codes:
        assert portal.dossiers[code]["TrangThaiHoSo"] == 4, code  # one final state
        steps = portal.steps[code]
        assert [s["TrangThai"] for s in steps] == STEPS, code  # in order, none twice
        times = [s["ThoiDiemXuLy"] for s in steps]
        assert times == sorted(times), code
    statuses = set(db.session.scalars(select(Dossier.status)))
    assert statuses == {"processing"}
    print(f"chaos: {DOSSIERS * len(STEPS)} changes, {KILLS} kills, {elapsed:.1f} s")
