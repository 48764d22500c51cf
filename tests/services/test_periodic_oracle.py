"""The periodic report against an oracle: a random workload replayed in time order, each
closed month recomputed from the dossiers' history alone after every month's moves."""

import heapq
import random
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

import permissions
from extensions import db
from models import Dossier
from models.report import PERIODIC_NAMES
from services.calendar import LOCAL_TZ
from services.reporting import periodic
from services.reporting.periods import Period
from tests.report_workload import Driver, at

MONTHS = tuple(
    Period(date(2026, m, 1), date(2026, m + 1, 1) - timedelta(days=1)) for m in (1, 2, 3)
)
OTHERS = (Period(date(2026, 1, 1), date(2026, 3, 31)), Period(date(2026, 2, 10), date(2026, 3, 5)))
CLOSED = {"result_ready": "settled", "withdrawn": "withdrawn", "stopped": "stopped"}
CLOSED["not_accepted"] = "refused"


def _parse(text):
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


def stood(dossier, instant):
    """(status, appointment, timeliness if settled) of DOSSIER at INSTANT, walking forward."""
    rows = sorted(dossier.history, key=lambda h: h.at)
    moving = [h for h in rows if h.action in ("supplement_received", "apologize")]
    due = _parse(moving[0].data["due_at_before"]) if moving else dossier.due_at
    status, asked, sorry = "received", 0, 0
    for h in rows:
        if h.at >= instant:
            break
        status = h.to_status
        if h.action in ("supplement_received", "apologize"):
            due = _parse(h.data["due_at_after"])
        asked += h.action == "request_supplement"
        sorry += h.action == "apologize"
    return status, due, asked, sorry


def closing(dossier):
    """The history row that closed DOSSIER (settled or otherwise), or None."""
    for h in sorted(dossier.history, key=lambda h: h.at):
        if h.to_status in CLOSED:
            return h
    return None


def judged(dossier, done):
    """early / on_time / late of a result recorded at DONE, by the scorecard's rule."""
    _status, due, asked, sorry = stood(dossier, done)
    if asked > 1 or sorry:
        return "late"
    day, due_day = done.astimezone(LOCAL_TZ).date(), due.astimezone(LOCAL_TZ).date()
    return "early" if day < due_day else "on_time" if day == due_day else "late"


def oracle(dossiers, period):
    """Each (agency, procedure)'s figures of PERIOD from the history alone."""
    rows = defaultdict(lambda: dict.fromkeys(PERIODIC_NAMES, 0))
    for d in dossiers:
        if d.received_at >= period.end:
            continue
        row = rows[(d.agency_id, d.procedure_type_id)]
        end = closing(d)
        if d.received_at < period.start:
            if end is not None and end.at < period.start:
                continue
            row["carried_over"] += 1
        else:
            row[f"received_{d.channel}"] += 1
        if end is not None and end.at < period.end:
            kind = CLOSED[end.to_status]
            name = f"settled_{judged(d, end.at)}" if kind == "settled" else kind
            row[name] += 1
            continue
        status, due, _a, _s = stood(d, period.end)
        overdue = status in ("received", "processing") and due < period.end
        row["in_progress_overdue" if overdue else "in_progress_within_time"] += 1
    for row in rows.values():
        row["to_handle"] = row["carried_over"] + sum(
            row[f"received_{c}"] for c in ("counter", "online", "post")
        )
        settled = sum(row[f"settled_{t}"] for t in ("early", "on_time", "late"))
        good = row["settled_early"] + row["settled_on_time"]
        row["on_time_rate"] = good / settled if settled else None
    return {k: v for k, v in rows.items() if v["to_handle"] or v["in_progress_overdue"]}


def story(drive, rng, received):
    """One dossier's life; yields the instant of its next move, made when resumed."""
    dossier = drive.receive(
        rng.choice(("publish", "publish", "same_day", "karaoke")),
        when=received,
        clerk=rng.choice(("po_clerk", "po_clerk2")),
        channel=rng.choice(("counter", "counter", "post", "online")),
        return_method=rng.choice(("counter", "post")),
    )
    when = received

    def later(hours=90):
        return when + timedelta(hours=rng.randint(1, hours))

    fate = rng.random()
    when = later()
    yield when
    if fate < 0.08:
        return drive.act(dossier, "refuse", when, side="po")
    if fate < 0.14:
        return drive.act(dossier, "withdraw", when, side="po")
    if fate < 0.2:
        return None  # never handed over: stays received, overdue some day
    drive.handover(dossier, when)
    for _ in range(rng.choice((0, 0, 1, 2))):
        when = later(200)
        yield when
        drive.act(dossier, "request_supplement", when)
        if rng.random() < 0.15:
            return None
        when = later(300)
        yield when
        drive.act(dossier, "supplement_received", when, side="po")
    if rng.random() < 0.15:
        when = later()
        yield when
        drive.act(dossier, "apologize", when, new_due_at=dossier.due_at + timedelta(days=4))
    if rng.random() < 0.15:
        when = later()
        yield when
        return drive.act(dossier, "stop", when)
    when = max(dossier.due_at + timedelta(hours=rng.randint(-200, 200)), later())
    yield when
    drive.complete(dossier, when)
    if rng.random() < 0.1:
        when = later(40)
        yield when
        drive.back_to_counter(dossier, when)


def shown(report):
    """The report's procedure rows and agency rows, keyed as the oracle's (and the total)."""
    rows = {(r.kind, r.id): r.figures for r in report.rows}
    return rows


def expected(dossiers, period, by_procedure=True):
    wanted = oracle(dossiers, period)
    rows, agencies = {}, defaultdict(lambda: dict.fromkeys(PERIODIC_NAMES, 0))
    for (agency_id, procedure_id), figures in wanted.items():
        rows[("procedure", procedure_id)] = figures
        for name in PERIODIC_NAMES:
            if name != "on_time_rate":
                agencies[agency_id][name] += figures[name]
    for agency_id, figures in agencies.items():
        settled = sum(figures[f"settled_{t}"] for t in ("early", "on_time", "late"))
        good = figures["settled_early"] + figures["settled_on_time"]
        figures["on_time_rate"] = good / settled if settled else None
        rows[("agency", agency_id)] = figures
    return rows


def identity_holds(figures):
    closed = sum(figures[n] for n in PERIODIC_NAMES if n.startswith("settled_"))
    closed += figures["withdrawn"] + figures["stopped"] + figures["refused"]
    left = figures["in_progress_within_time"] + figures["in_progress_overdue"]
    return figures["to_handle"] == closed + left and figures["in_progress_within_time"] >= 0


def check(world, periods):
    """Every figure of every row of PERIODS equals the oracle's, in two scopes."""
    db.session.expire_all()
    dossiers = db.session.scalars(select(Dossier)).all()
    supervisor = world.users["po_supervisor"]
    mine = [d for d in dossiers if permissions.in_scope(supervisor, "dossier", d)]
    taken = {}
    for period in periods:
        for user, seen in ((None, dossiers), (supervisor, mine)):
            report = periodic.report(user, period)
            assert shown(report) == expected(seen, period), (period, user)
            assert all(identity_holds(r.figures) for r in report.rows)
            assert identity_holds(report.total)
            taken[(period, user and user.id)] = report
    return taken


@pytest.mark.parametrize("seed", [5])
def test_every_closed_month_matches_the_history_and_stays_as_it_was(world, seed):
    rng, drive = random.Random(seed), Driver(world)
    queue = []
    for serial in range(70):
        received = at(1, 2, 8) + timedelta(hours=rng.randint(0, 24 * 80))
        life = story(drive, rng, received)
        heapq.heappush(queue, (received, serial, life))
    kept, checked_month = {}, 0
    while queue:
        when, serial, life = heapq.heappop(queue)
        month = when.astimezone(LOCAL_TZ).month
        closed = [p for p in MONTHS if p.last.month < month]
        if len(closed) > checked_month:  # a month has just closed: check it and the ones before
            taken = check(world, closed)
            for key, report in taken.items():
                if key in kept:  # a closed month, later moves of its dossiers since
                    assert report.rows == kept[key].rows and report.total == kept[key].total
            kept.update(taken)
            checked_month = len(closed)
        nxt = next(life, None)
        if nxt is not None:
            heapq.heappush(queue, (nxt, serial, life))
    taken = check(world, (*MONTHS, *OTHERS))
    seen = [r.figures for t in taken.values() for r in t.rows]
    for name in (
        "carried_over",
        "settled_late",
        "settled_early",
        "in_progress_overdue",
        "in_progress_within_time",
        "withdrawn",
        "refused",
        "received_post",
    ):
        assert any(f[name] for f in seen), name  # the workload reaches every column
    for key, report in kept.items():
        assert taken[key].rows == report.rows
    assert checked_month == 3  # January, February and March were each checked when they closed
