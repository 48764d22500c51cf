"""Time the messages to applicants: delivered per second, and what they add to a receipt.

    createdb bench_notify
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_notify \\
        .venv/bin/python benchmarks/notifications.py [--dossiers 1000] [--workers 2] \\
        [--receipts 300]

The database is emptied and migrated first (make one for this benchmark).

Throughput: DOSSIERS receipts with SMS and email chosen (each its own phone, so the
per-phone limit holds none back) write 2 × DOSSIERS outbox rows; then WORKERS
``flask outbox deliver`` processes send them through a fake SMS gateway
(tests/fake_gateways.py, HTTP on 127.0.0.1) and aiosmtpd's SMTP server, both in this
process. Messages per second = rows sent / (last sent − first attempt), from the log's
own times (the processes' start is not counted). Goal ≥ 100/s. The workers' CPU time is
printed too: on a shared machine the wall-clock rate depends on the others' load.

Receipt: RECEIPTS receipts through the receiving service (the API's door, one
transaction each), alternately with no channel and with SMS + email; the medians and
their difference (goal: at most 5 ms added — nothing is sent inside the receipt).
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fake_gateways import SMS_PASSWORD, SMS_USER, FakeGateway, SmtpServer

SMS = FakeGateway("sms").start()
SMTP = SmtpServer().start()
SETTINGS = {
    "SMS_GATEWAY_URL": SMS.url,
    "SMS_USERNAME": SMS_USER,
    "SMS_PASSWORD": SMS_PASSWORD,
    "SMTP_URL": SMTP.url,
    "SMS_QUIET_HOURS": "",  # the benchmark may run at night
    "SMS_PER_PHONE_PER_HOUR": "5",
}
os.environ.update(SETTINGS)

from sqlalchemy import func, select, text  # noqa: E402

from app import create_app  # noqa: E402
from extensions import db  # noqa: E402
from models import NotificationLog, OutboxMessage  # noqa: E402
from services.dossiers import receiving  # noqa: E402
from services.transactions import transaction  # noqa: E402
from tests import factories  # noqa: E402
from tests.integration.processes import Outboxer, outbox_env  # noqa: E402

RATE_GOAL, ADDED_GOAL_MS = 100, 5


def fresh_database() -> None:
    from sqlalchemy import create_engine

    engine = create_engine(os.environ["DATABASE_URL"], isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    engine.dispose()
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"], check=True)


def fields(n: int, notify: list[str]) -> dict:
    return {
        "procedure_code": "1.004477",
        "applicant_name": f"Người nộp {n}",
        "applicant_phone": f"09{n % 100_000_000:08d}",
        "applicant_email": f"nguoi.nop.{n}@mail.vn",
        "documents": ["Đơn đề nghị"],
        "return_method": "counter",
        "notify": notify,
    }


def throughput(world, count: int, worker_count: int) -> None:
    clerk = world.users["po_clerk"]
    for n in range(count):
        with transaction():
            receiving.receive(fields(n, ["sms", "email"]), clerk)
    rows = db.session.scalar(select(func.count()).where(OutboxMessage.kind == "notify"))
    db.session.commit()
    logs = Path(tempfile.mkdtemp(prefix="bench-notify-"))
    env = outbox_env(os.environ["DATABASE_URL"], "", "", "unused", **SETTINGS)
    begun = time.monotonic()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    crew = [Outboxer(["deliver"], env, logs / f"worker-{n}.log") for n in range(worker_count)]
    for worker in crew:
        worker.wait(timeout=600)
    wall = time.monotonic() - begun
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    first, last, sent = db.session.execute(
        select(
            func.min(NotificationLog.created_at),
            func.max(NotificationLog.sent_at),
            func.count(NotificationLog.sent_at),
        )
    ).one()
    db.session.commit()
    span = (last - first).total_seconds()
    print(
        f"throughput: {rows} messages ({count} receipts × SMS + email), {worker_count} workers: "
        f"{sent} sent in {span:.1f} s = {sent / span:.0f} messages/s "
        f"(gateway got {len(SMS.received)} SMS, SMTP {len(SMTP.messages)} mails; "
        f"{wall:.1f} s with process start) — goal ≥ {RATE_GOAL}/s; "
        f"the workers used {cpu:.1f} CPU-s, {1000 * cpu / max(sent, 1):.1f} ms per message "
        f"(process start included): {sent / cpu:.0f} messages per worker CPU-second"
    )


def receipt_times(world, count: int) -> None:
    clerk = world.users["po_clerk"]
    timed: dict[bool, list[float]] = {False: [], True: []}
    for n in range(count):
        on = n % 2 == 1
        begun = time.perf_counter()
        with transaction():
            receiving.receive(fields(100_000 + n, ["sms", "email"] if on else []), clerk)
        timed[on].append((time.perf_counter() - begun) * 1000)
    off_ms, on_ms = statistics.median(timed[False]), statistics.median(timed[True])
    print(
        f"receipt: median {off_ms:.2f} ms without messages, {on_ms:.2f} ms with SMS + email "
        f"({count // 2} each): {on_ms - off_ms:+.2f} ms added — goal ≤ {ADDED_GOAL_MS} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--receipts", type=int, default=300)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database made for this benchmark.")
    fresh_database()
    app = create_app()
    with app.app_context():
        world = factories.make_world()
        throughput(world, args.dossiers, args.workers)
        receipt_times(world, args.receipts)
    SMS.stop()
    SMTP.stop()


if __name__ == "__main__":
    main()
