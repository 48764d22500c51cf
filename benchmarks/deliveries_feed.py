"""Feed 10,000 tracking events (1,000 parcels) through ``POST /api/v1/delivery-events``.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_h9 \\
        .venv/bin/python benchmarks/deliveries_feed.py [--batch 500]

Works in a scratch schema of that database (created, then dropped), so it never
touches the data there. 1,000 results are shipped through services.delivery.shipping,
then each parcel's ten events (accepted → … three failed attempts … →
delivered, which returns the dossier) are sent in batches, parcels interleaved,
with a bearer token of a post-office account, as the postal system would. It
prints the events applied per second, then re-sends one batch (all duplicates).
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select, text

import models  # noqa: F401  (every table on the metadata)
from app import create_app
from config import Config
from extensions import db
from models import DeliveryEvent, Dossier
from models.base import utcnow
from services.calendar import LOCAL_TZ
from services.delivery.postage import ensure_default_rates
from services.delivery.shipping import Shipment, ship
from tests import factories

SCHEMA = "bench_deliveries"
PARCELS, STEPS = (
    1_000,
    (
        "accepted",
        "in_transit",
        "out_for_delivery",
        "failed",
        "out_for_delivery",
        "failed",
        "out_for_delivery",
        "failed",
        "out_for_delivery",
        "delivered",
    ),
)


def scratch_url(url: str) -> str:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{SCHEMA},public"


def drop_scratch(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


def make_parcels(world, shipped_at) -> list[str]:
    """PARCELS results shipped by the clerk at SHIPPED_AT: their tracking codes."""
    from vietnam.validation import s10_check_digit

    clerk = world.users["po_clerk"]
    codes = []
    for i in range(PARCELS):
        dossier = factories.make_dossier(
            world.procedures["publish"], clerk, f"Người nhận {i}", return_method="post"
        )
        dossier.status = "result_at_counter"
        serial = f"{10_000_000 + i:08d}"
        code = f"EB{serial}{s10_check_digit(serial)}VN"
        ship(
            dossier,
            clerk,
            Shipment(
                tracking_code=code,
                recipient_name=dossier.applicant_name,
                recipient_phone="0912345678",
                address="Số 1 đường Hoàng Văn Thụ, Thái Nguyên",
                weight_grams=100,
            ),
            now=shipped_at,
        )
        codes.append(code)
        if i % 100 == 99:
            db.session.commit()
    db.session.commit()
    return codes


def events_for(codes, shipped_at) -> list[dict]:
    """Every parcel's events, in time order across parcels."""
    events = []
    for step, status in enumerate(STEPS):
        for i, code in enumerate(codes):
            at = shipped_at + timedelta(hours=3 * (step + 1), seconds=i)
            event = {
                "tracking_code": code,
                "status": status,
                "at": at.astimezone(LOCAL_TZ).isoformat(),
            }
            if status == "failed":
                event["note"] = "Không có người nhận"
            events.append(event)
    return events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=500, help="events per request (max 1000)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (a scratch schema is used in it).")
    scratch = scratch_url(url)

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = scratch
        WTF_CSRF_ENABLED = False

    app = create_app(BenchConfig)
    try:
        with app.app_context():
            db.metadata.create_all(db.engine)
            world = factories.make_world()
            ensure_default_rates()
            shipped_at = (utcnow() - timedelta(days=3)).replace(microsecond=0)
            started = time.perf_counter()
            codes = make_parcels(world, shipped_at)
            print(f"{PARCELS:,} results shipped in {time.perf_counter() - started:.1f} s")
            events = events_for(codes, shipped_at)
            run(app, events, args.batch)
            returned = db.session.scalar(
                select(func.count(Dossier.id)).where(Dossier.status == "returned")
            )
            stored = db.session.scalar(select(func.count(DeliveryEvent.id)))
            print(f"dossiers returned: {returned:,}; events stored: {stored:,}")
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_scratch(url)


def run(app, events, batch_size) -> None:
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/token", json={"username": "po_clerk", "password": factories.PASSWORD}
    ).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    applied = 0
    started = time.perf_counter()
    for start in range(0, len(events), batch_size):
        answer = client.post(
            "/api/v1/delivery-events",
            json={"events": events[start : start + batch_size]},
            headers=headers,
        )
        assert answer.status_code == 200, answer.get_data(as_text=True)
        applied += answer.get_json()["applied"]
    elapsed = time.perf_counter() - started
    print(
        f"{len(events):,} events in {elapsed:.1f} s, batches of {batch_size}: "
        f"{len(events) / elapsed:,.0f} events/s ({applied:,} applied)"
    )
    started = time.perf_counter()
    again = client.post(
        "/api/v1/delivery-events", json={"events": events[:batch_size]}, headers=headers
    ).get_json()
    elapsed = time.perf_counter() - started
    print(f"the first batch again: {again['duplicate']:,} duplicates in {elapsed * 1000:.0f} ms")


if __name__ == "__main__":
    main()
