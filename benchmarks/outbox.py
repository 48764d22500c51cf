"""Time the outbox: change → national-portal acknowledgement, and the outbox screen at scale.

    createdb bench_outbox && psql bench_outbox -c 'CREATE EXTENSION pg_trgm'
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_outbox \\
        .venv/bin/python benchmarks/outbox.py [--seconds 300] [--rate 10] [--workers 2] \\
        [--done 1000000] [--dead 1000]

Latency: the demo data, a fake portal (tests/fake_portal.py) on a loopback port, our own
``redis-server``, one ``flask outbox relay`` and WORKERS ``flask outbox worker`` processes;
RATE dossier changes a second (receipts and handovers confirmed, through the services)
for SECONDS; each step's latency is from its commit to the portal's acknowledgement
(goal: p95 ≤ 30 s). Screen: DONE sent rows and DEAD failed ones are inserted in bulk,
then ``/admin/outbox/`` is timed for IT staff and a supervisor (goal ≤ 300 ms).
"""

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import fake_portal

PORTAL = fake_portal.FakePortal().start()
os.environ.update(
    PORTAL_URL=PORTAL.url,
    PORTAL_UNIT_CODE=fake_portal.UNIT,
    PORTAL_USERNAME=fake_portal.USERNAME,
    PORTAL_PASSWORD=fake_portal.PASSWORD,
)

from sqlalchemy import func, select, text  # noqa: E402

from app import create_app  # noqa: E402
from demo.seed import DEMO_PASSWORD_DEFAULT, seed_demo  # noqa: E402
from extensions import db  # noqa: E402
from models import Dossier, OutboxMessage, ProcedureType, User  # noqa: E402
from models.base import utcnow  # noqa: E402
from services.dossiers import workflow  # noqa: E402
from services.transactions import transaction  # noqa: E402
from tests import factories  # noqa: E402
from tests.integration.processes import Outboxer, outbox_env  # noqa: E402
from tests.servers import free_port  # noqa: E402

SCREEN_GOAL_MS, LATENCY_GOAL_S = 300, 30


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def start_redis(directory):
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [shutil.which("redis-server"), "--port", str(port), "--save", "", "--dir", directory],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


def wait_ready(logs: Path, worker_count: int, timeout: float = 120) -> None:
    """Until the relay and every worker say they listen (their start is not timed)."""
    deadline = time.monotonic() + timeout
    names = ["relay.log", *(f"worker-{n}.log" for n in range(worker_count))]
    words = {"relay.log": "Relaying"}
    while time.monotonic() < deadline:
        if all(
            (logs / name).exists() and words.get(name, "Listening on") in (logs / name).read_text()
            for name in names
        ):
            return
        time.sleep(0.2)
    raise RuntimeError(f"the outbox processes did not start: {logs}")


def drain(timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        waiting = db.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.status.in_(("pending", "sending"))
            )
        )
        if not waiting:
            return
        time.sleep(0.5)
    raise RuntimeError("the outbox did not drain")


def latency(app, seconds: int, rate: float, worker_count: int) -> None:
    logs = Path(tempfile.mkdtemp(prefix="bench-outbox-"))
    redis, redis_url = start_redis(str(logs))
    queue = "outbox-bench-" + secrets.token_hex(4)
    env = outbox_env(
        os.environ["DATABASE_URL"], PORTAL.url, redis_url, queue, OUTBOX_BACKOFF_SECONDS=30
    )
    crew = [Outboxer(["relay"], env, logs / "relay.log")]
    crew += [Outboxer(["worker"], env, logs / f"worker-{n}.log") for n in range(worker_count)]
    clerk = db.session.scalar(select(User).where(User.username == "po_clerk"))
    dept = db.session.scalar(select(User).where(User.username == "dept_admin"))
    procedure = db.session.scalar(
        select(ProcedureType).where(ProcedureType.agency_id == dept.agency_id).limit(1)
    )
    committed: dict[str, list[float]] = {}
    waiting: list[Dossier] = []
    handover = workflow.SYSTEM_MOVES["handover_to_department"]
    wait_ready(logs, worker_count)
    drain()  # the demo seed's own rows go first, untimed
    started = time.monotonic()
    n = 0
    try:
        while time.monotonic() - started < seconds:
            due = started + n / rate
            time.sleep(max(0.0, due - time.monotonic()))
            if n % 2 == 0 or not waiting:
                dossier = factories.make_dossier(
                    procedure, clerk, f"Người nộp {n}", received_at=utcnow()
                )
                committed[dossier.code] = [time.monotonic()]
                waiting.append(dossier)
            else:
                dossier = waiting.pop(0)
                with transaction():
                    workflow.move(dossier, "handover_to_department", handover, dept)
                committed[dossier.code].append(time.monotonic())
            n += 1
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            acked = sum(len(PORTAL.step_arrivals.get(c, ())) for c in committed)
            if acked >= n:
                break
            time.sleep(0.2)
    finally:
        for process in crew:
            process.kill()
        redis.kill()
    seen = [
        arrived - done
        for code, times in committed.items()
        for done, arrived in zip(times, PORTAL.step_arrivals.get(code, ()), strict=False)
    ]
    print(
        f"latency: {n} changes in {seconds} s ({n / seconds:.1f}/s), {worker_count} workers, "
        f"{len(seen)} acknowledged; change → portal p50 {statistics.median(seen):.2f} s, "
        f"p95 {percentile(seen, 95):.2f} s, max {max(seen):.2f} s "
        f"(goal p95 ≤ {LATENCY_GOAL_S} s)"
    )


def fill(done: int, dead: int) -> None:
    """DONE sent rows and DEAD failed ones, in bulk (the screen must not count them all)."""
    insert = text(
        "INSERT INTO outbox_message (sink, kind, dossier_id, idempotency_key, status, attempts,"
        " next_attempt_at, give_up_at, last_error, created_at, updated_at, done_at)"
        " SELECT 'portal', 'step', ids[1 + g % cardinality(ids)], CAST(:prefix AS text) || g,"
        " CAST(:status AS text), 1,"
        " now(), now() + interval '7 days', CAST(:error AS text),"
        " now() - g * interval '1 second', now(),"
        " CASE WHEN CAST(:status AS text) = 'done' THEN now() - g * interval '1 second' END"
        " FROM generate_series(1, :count) g, (SELECT array_agg(id) AS ids FROM dossier) d"
    )
    db.session.execute(text("SET LOCAL statement_timeout = 0"))  # a bulk load, not a page
    for status, count, error in (
        ("done", done, None),
        ("dead", dead, "Cổng DVC từ chối: HTTP 400 ******345"),
    ):
        db.session.execute(
            insert,
            {
                "prefix": f"bench-{status}-{secrets.token_hex(3)}-",
                "status": status,
                "count": count,
                "error": error,
            },
        )
    db.session.commit()
    db.session.execute(text("ANALYZE outbox_message"))
    db.session.commit()


def screen(app, runs: int = 7) -> None:
    total = db.session.scalar(select(func.count(OutboxMessage.id)))
    for username in ("it_admin", "po_supervisor"):
        client = app.test_client()
        client.post("/login", data={"username": username, "password": DEMO_PASSWORD_DEFAULT})
        for path in ("/admin/outbox/", "/admin/outbox/?status=done"):
            times = []
            for _ in range(runs):
                begun = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - begun) * 1000)
                assert response.status_code == 200, response.status_code
            print(
                f"screen {username:14} {path:28} median {statistics.median(times):6.1f} ms, "
                f"fastest {min(times):6.1f} ms on {total:,} rows (goal ≤ {SCREEN_GOAL_MS} ms)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--done", type=int, default=1_000_000)
    parser.add_argument("--dead", type=int, default=1_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], check=True)
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False  # the test client signs in without a form
    with app.app_context():
        seed_demo()
        db.session.commit()
        if args.seconds:
            latency(app, args.seconds, args.rate, args.workers)
        if args.done or args.dead:
            fill(args.done, args.dead)
        screen(app)
    PORTAL.stop()


if __name__ == "__main__":
    main()
