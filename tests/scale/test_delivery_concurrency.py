"""Feeds racing on one parcel: whatever the database (SQLite has no row locks), the
stored timeline stays a legal path and no answer is a 500."""

import threading
from datetime import timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select

from extensions import db
from models import DeliveryEvent, DeliveryOrder
from services.calendar import LOCAL_TZ
from services.delivery.events import MOVES
from tests import factories
from tests.api.test_api import Api, get_token

THREADS = 6
PARCELS = 4
# From "out for delivery" any one of these may follow, never two at the same time.
RIVALS = ("failed", "delivered", "returned_to_sender")


@pytest.fixture
def app_config():
    """Enough pooled connections for every thread at once."""
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": THREADS + 2, "max_overflow": 0}}


def _out_for_delivery(world, n):
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], f"Người nhận {n}"
    )
    order = factories.ship_result(dossier, world.users["po_clerk"], _s10(n))
    start = order.status_at
    for step, status in enumerate(("accepted", "in_transit", "out_for_delivery"), 1):
        db.session.add(DeliveryEvent(order=order, status=status, at=start + timedelta(hours=step)))
    order.status, order.status_at = "out_for_delivery", start + timedelta(hours=3)
    db.session.commit()
    return order.tracking_code, order.status_at + timedelta(hours=1)


def _s10(n: int) -> str:
    digits = f"{12345670 + n:08d}"
    total = sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    return f"EB{digits}{ {10: 0, 11: 5}.get(check, check) }VN"


def _legal(statuses: list[str]) -> bool:
    """A path along MOVES, a status repeated in place allowed."""
    return all(b == a or b in MOVES[a] for a, b in pairwise(statuses))


def test_concurrent_feeds_on_one_parcel_store_a_legal_path(app, world):
    token = get_token(app.test_client(), "po_clerk")
    parcels = [_out_for_delivery(world, n) for n in range(PARCELS)]
    for code, when in parcels:
        barrier = threading.Barrier(THREADS, timeout=30)
        answers, errors = [], []

        def post(n, code=code, when=when, barrier=barrier, answers=answers, errors=errors):
            status = RIVALS[n % len(RIVALS)]
            event = {
                "tracking_code": code,
                "status": status,
                "at": when.astimezone(LOCAL_TZ).isoformat(),  # the same instant: one wins
                "note": f"Lần phát {n}" if status == "failed" else None,
            }
            api = Api(app.test_client(), token)
            barrier.wait()
            try:
                answer = api.post("/delivery-events", {"events": [event]})
                answers.append((answer.status_code, answer.get_json()))
            except Exception as exc:  # reported below, with the thread's number
                errors.append(f"{n}: {exc!r}")

        threads = [threading.Thread(target=post, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=90)
        assert errors == []
        assert sorted(status for status, _ in answers) == [200] * THREADS, answers
        db.session.expire_all()
        order = db.session.scalar(select(DeliveryOrder).where(DeliveryOrder.tracking_code == code))
        timeline = [e.status for e in sorted(order.events, key=lambda e: (e.at, e.id))]
        assert _legal(timeline), timeline
        assert order.status == timeline[-1]
