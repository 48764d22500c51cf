"""Carrier webhooks accepted per second through gunicorn (2 workers) on PostgreSQL.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_webhooks \\
        .venv/bin/python benchmarks/webhooks.py [--parcels 500] [--clients 8] [--workers 2]

Works in a scratch schema of that database (created, then dropped). PARCELS results are
shipped; each parcel's four EMS events (accepted, in transit, out for delivery,
delivered) are signed ahead of time, then sent by CLIENTS threads, one connection per
call, to ``gunicorn -c gunicorn.conf.py`` with WORKERS workers, twice:

1. ``CARRIER_WEBHOOK_APPLY=later`` (the default): each call stored with its outbox row and
   answered; then the outbox workers apply them in batches (``workers.deliver_due``, as
   ``flask outbox worker`` does, in this process);
2. ``CARRIER_WEBHOOK_APPLY=inline``: each call stored, answered, applied in its request.

It prints the calls accepted per second (median and p95 latency) of each run, the
applying rate of the first, and checks that every parcel ended delivered.
"""

import argparse
import hashlib
import hmac
import http.client
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

import models  # noqa: F401  (every table on the metadata)
from app import create_app
from benchmarks import deliveries_feed
from benchmarks.deliveries_feed import drop_scratch, scratch_url
from config import Config
from extensions import db
from models import CarrierWebhook, DeliveryEvent, DeliveryOrder
from models.base import utcnow
from services.calendar import LOCAL_TZ
from services.delivery.carriers import ensure_default_mapping
from services.delivery.shipping import Shipment, ship
from services.integration import workers
from tests import factories
from tests.servers import Server
from vietnam.validation import s10_check_digit

SECRET = secrets.token_hex(16)
STEPS = (
    ("100", "Chấp nhận"),
    ("200", "Đi bưu cục"),
    ("300", "Đang phát"),
    ("400", "Phát thành công"),
)


def make_parcels(world, count: int, serial_base: int) -> list[str]:
    """COUNT results shipped three days ago: their tracking codes."""
    clerk, procedure = world.users["po_clerk"], world.procedures["publish"]
    shipped_at = utcnow() - timedelta(days=3)
    codes = []
    for i in range(count):
        dossier = factories.make_dossier(procedure, clerk, f"Người nhận {i}", return_method="post")
        dossier.status = "result_at_counter"
        serial = f"{20_000_000 + serial_base + i:08d}"
        code = f"EE{serial}{s10_check_digit(serial)}VN"
        shipment = Shipment(
            tracking_code=code,
            recipient_name=dossier.applicant_name,
            recipient_phone="0912345678",
            address="Số 1 đường Hoàng Văn Thụ, Thái Nguyên",
            weight_grams=100,
            postage=26_000,
        )
        ship(dossier, clerk, shipment, now=shipped_at)
        codes.append(code)
        if i % 100 == 99:
            db.session.commit()
    db.session.commit()
    return codes


def calls_for(codes: list[str], tag: str) -> list[tuple[bytes, dict]]:
    """Each parcel's events, step by step across parcels (as a carrier's day goes)."""
    start = utcnow() - timedelta(days=2)
    calls = []
    for step, (code, name) in enumerate(STEPS):
        for i, tracking in enumerate(codes):
            at = (start + timedelta(hours=3 * (step + 1), seconds=i)).astimezone(LOCAL_TZ)
            raw = json.dumps(
                {
                    "tracking_code": tracking,
                    "order_code": f"DH{i:06d}",
                    "status_code": code,
                    "status_name": name,
                    "note": "",
                    "locate": "Bưu cục Thái Nguyên",
                    "datetime": at.strftime("%d/%m/%Y %H:%M:%S"),
                },
                ensure_ascii=False,
            ).encode()
            signature = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
            headers = {
                "Content-Type": "application/json",
                "X-Signature": signature,
                "ems-transaction": f"{tag}-{step}-{i}",
            }
            calls.append((raw, headers))
    return calls


def send_all(port: int, calls, clients: int) -> tuple[float, list[float], int]:
    """CALLS sent by CLIENTS threads; (seconds, latencies, errors)."""
    queue, lock = list(reversed(calls)), threading.Lock()
    latencies, errors = [], [0]

    def run():
        while True:
            with lock:
                if not queue:
                    return
                raw, headers = queue.pop()
            began = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("POST", "/api/v1/tracking/webhooks/ems", raw, headers)
                answer = connection.getresponse()
                ok = answer.status == 200 and b'"success"' in answer.read()
            except OSError:
                ok = False
            finally:
                connection.close()
            with lock:
                latencies.append(time.perf_counter() - began)
                errors[0] += not ok

    threads = [threading.Thread(target=run) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies, errors[0]


def serve_and_send(url, mode, calls, args) -> None:
    env = {
        "DATABASE_URL": url,
        "APP_ENV": "development",
        "SECRET_KEY": secrets.token_hex(16),
        "ACCESS_LOG": os.devnull,
        "CARRIER_WEBHOOK_SECRET_EMS": SECRET,
        "CARRIER_WEBHOOK_APPLY": mode,
        # As in production with workers: the app servers deliver nothing themselves.
        "RQ_REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    server = Server(env, Path(tempfile.mkdtemp()) / "gunicorn.log", workers=args.workers)
    try:
        server.wait_ready()
        seconds, latencies, errors = send_all(server.port, calls, args.clients)
    finally:
        server.stop()
    cuts = statistics.quantiles(latencies, n=20)
    print(
        f"{mode:>6}: {len(calls)} calls in {seconds:.1f} s = {len(calls) / seconds:.0f} accepted/s "
        f"(p50 {statistics.median(latencies) * 1000:.0f} ms, p95 {cuts[18] * 1000:.0f} ms, "
        f"{errors} errors; {args.workers} workers, {args.clients} clients)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (a scratch schema is used in it).")
    deliveries_feed.SCHEMA = "bench_webhooks"  # its helpers read it when called
    scratch = scratch_url(url)

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = scratch
        WTF_CSRF_ENABLED = False
        OUTBOX_IN_PROCESS = False

    app = create_app(BenchConfig)
    try:
        with app.app_context():
            # Not checkfirst: the database's own tables (public) are visible too.
            db.metadata.create_all(db.engine, checkfirst=False)
            world = factories.make_world()
            inline_codes = make_parcels(world, args.parcels, 0)
            later_codes = make_parcels(world, args.parcels, args.parcels)
            ensure_default_mapping()
            db.session.commit()
            inline, later = calls_for(inline_codes, "I"), calls_for(later_codes, "L")
            db.session.remove()
            serve_and_send(scratch, "later", later, args)
            began, applied = time.perf_counter(), 0
            while claimed := workers.deliver_due(100):
                applied += claimed
            seconds = time.perf_counter() - began
            print(f"applied by the outbox worker: {applied} calls in {seconds:.1f} s = "
                  f"{applied / seconds:.0f}/s")  # fmt: skip
            serve_and_send(scratch, "inline", inline, args)
            states = dict(
                db.session.execute(
                    select(CarrierWebhook.state, func.count()).group_by(CarrierWebhook.state)
                ).all()
            )
            delivered = db.session.scalar(
                select(func.count()).where(DeliveryOrder.status == "delivered")
            )
            events = db.session.scalar(select(func.count(DeliveryEvent.id)))
            print(f"inbox: {states}; parcels delivered: {delivered} of {2 * args.parcels}; "
                  f"events: {events}")  # fmt: skip
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_scratch(url)


if __name__ == "__main__":
    main()
