"""Carrier webhooks out of order and repeated end where the same events sorted and applied
once end: the same parcel states and timelines (issue #20's property).

Each parcel has a twin with the same journey. The twin's events go, sorted, once, through
the delivery-event feed (the reference); the parcel's go one call at a time through the
webhook endpoint, 30 % of them moved to a random later or earlier place and 10 % sent
again (half under the same transaction id, half under a new one).
"""

import json
import os
import random
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import CarrierWebhook, DeliveryEvent, DeliveryOrder
from models.base import utcnow
from models.carrier import DEFAULT_MAPPING
from services.calendar import LOCAL_TZ
from services.delivery.carriers import ensure_default_mapping
from services.delivery.events import Event
from services.delivery.feed import FeedItem, record_events
from tests import factories
from tests.api.test_carrier_webhooks import SECRET, URL, sign
from tests.scale.test_statement_counts import tracking_code

# 400 calls on each database by default (about 30 s each on the shared 2-core machine, one
# request each through the test client, the suite's budget); WEBHOOK_PROPERTY_CALLS=10000
# for the full run.
CALLS = int(os.environ.get("WEBHOOK_PROPERTY_CALLS", "400"))
CODE_OF = {}
for _code, _status, _note in DEFAULT_MAPPING["ems"]:
    CODE_OF.setdefault(_status, _code)


@pytest.fixture
def app_config():
    return {"CARRIER_WEBHOOK_SECRET_EMS": SECRET}


def journey(rng: random.Random, start) -> list[tuple[str, object, str | None]]:
    """One parcel's events (status, at, note), in time order, from START."""
    steps = [("accepted", None)]
    steps += [("in_transit", None)] * rng.randint(0, 5)
    steps.append(("out_for_delivery", None))
    for attempt in range(rng.randint(0, 2)):
        steps.append(("failed", f"Vắng nhà lần {attempt + 1}"))
        steps.append(("out_for_delivery", None))
    end = rng.random()
    if end < 0.6:
        steps.append(("delivered", "Người nhận đã ký"))
    elif end < 0.8:
        steps += [("failed", "Người nhận từ chối"), ("returned_to_sender", None)]
    elif end < 0.9:
        steps.append(("returned_to_sender", None))
    at, events = start, []
    for status, note in steps:
        at += timedelta(minutes=rng.randint(1, 120))
        events.append((status, at.replace(microsecond=0), note))
    return events


def state_of(order: DeliveryOrder) -> tuple:
    timeline = db.session.execute(
        select(DeliveryEvent.status, DeliveryEvent.at, DeliveryEvent.note)
        .where(DeliveryEvent.delivery_order_id == order.id, DeliveryEvent.status != "created")
        .order_by(DeliveryEvent.at, DeliveryEvent.status)
    ).all()
    return (
        order.status,
        order.status_at,
        order.delivered_at,
        order.failure_reason,
        order.dossier.status,
        [tuple(e) for e in timeline],
    )


def test_shuffled_and_repeated_webhooks_end_like_sorted_events(app, client, world, database_url):
    rng = random.Random(20)
    ensure_default_mapping()
    db.session.commit()
    clerk, procedure = world.users["po_clerk"], world.procedures["publish"]
    start = utcnow() - timedelta(days=2)  # the factory ships three days ago
    pairs, calls, feed = [], [], []
    made = time.perf_counter()
    while len(calls) < CALLS:
        n = len(pairs)
        twins = []
        for code in (tracking_code(2 * n + 1), tracking_code(2 * n + 2)):
            dossier = factories.make_dossier(procedure, clerk, return_method="post")
            twins.append(factories.ship_result(dossier, clerk, code))
        events = journey(rng, start)
        pairs.append(twins)
        for status, at, note in events:
            feed.append(FeedItem(len(feed), twins[0].tracking_code, Event(status, at, note)))
            calls.append(_call(twins[1].tracking_code, status, at, note, len(calls)))
    # The reference: sorted, once, through the feed, a batch at a time.
    for first in range(0, len(feed), 1000):
        outcomes = record_events(feed[first : first + 1000], clerk)
        assert {o.result for o in outcomes} == {"applied"}
        db.session.commit()
    # The carrier: 30 % moved, 10 % again.
    sent = list(calls)
    for call in rng.sample(calls, len(calls) * 30 // 100):
        sent.remove(call)
        sent.insert(rng.randrange(len(sent) + 1), call)
    for call in rng.sample(calls, len(calls) // 10):
        again = call if rng.random() < 0.5 else {**call, "transaction": call["transaction"] + "b"}
        sent.insert(rng.randrange(sent.index(call), len(sent) + 1), again)
    print(f"\n{len(pairs)} parcel pairs made in {time.perf_counter() - made:.1f} s")
    began = time.perf_counter()
    for call in sent:
        response = client.post(URL, data=call["raw"], headers=call["headers"] | {
            "ems-transaction": call["transaction"]})  # fmt: skip
        assert response.status_code == 200, response.get_json()
        if rng.random() < 0.3:  # the workers apply what came so far, a batch at a time
            factories.run_workers()
    factories.run_workers()
    elapsed = time.perf_counter() - began
    print(f"\n{len(sent)} webhooks in {elapsed:.1f} s ({len(sent) / elapsed:.0f}/s)")
    db.session.expire_all()
    states = db.session.execute(select(CarrierWebhook.state)).scalars().all()
    assert len(states) == len(calls) + sum(c["transaction"].endswith("b") for c in sent)
    left = db.session.execute(
        select(CarrierWebhook.tracking_code, CarrierWebhook.mapped_status, CarrierWebhook.reason)
        .where(CarrierWebhook.state != "applied")
        .limit(5)
    ).all()
    assert not left
    for reference, carried in pairs:
        want, got = state_of(reference), state_of(carried)
        assert got == want, (reference.tracking_code, carried.tracking_code)


def _call(code, status, at, note, index) -> dict:
    body = {
        "tracking_code": code,
        "order_code": f"DH{index:06d}",
        "status_code": CODE_OF[status],
        "status_name": "",
        "note": note or "",
        "locate": "",
        "datetime": at.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M:%S"),
    }
    raw = json.dumps(body, ensure_ascii=False).encode()
    return {
        "raw": raw,
        "headers": {"Content-Type": "application/json", "X-Signature": sign(raw)},
        "transaction": f"P{index:07d}",
    }
