"""A random workload: every figure equals a direct count over the rows, in every scope."""

import random
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

import permissions
from extensions import db
from models import DeliveryOrder, Dossier, ReportDaily
from models.report import COUNT, FIGURES, MONEY, ReportDelay
from services.calendar import LOCAL_TZ
from services.dossiers.timeliness import RUNNING_STATUSES
from services.reporting import delays, figures
from services.reporting.facts import rebuild
from services.reporting.periods import Period
from services.reporting.queries import OPEN_STATUSES
from tests.report_workload import Driver, at, live, percentile

NOW = at(4, 15, 12)
PERIODS = (
    Period(date(2026, 3, 1), date(2026, 3, 31)),
    Period(date(2026, 2, 1), date(2026, 4, 30)),
    Period(date(2026, 3, 10), date(2026, 3, 10)),
    Period(date(2026, 2, 20), date(2026, 4, 5)),  # a whole month and days at both ends
)


@pytest.fixture
def workload(world):
    rng, drive = random.Random(11), Driver(world)
    for _ in range(45):
        received = at(2, 20, 8) + timedelta(hours=rng.randint(0, 24 * 50))
        dossier = drive.receive(
            rng.choice(("publish", "publish", "same_day", "karaoke")),
            when=received,
            clerk=rng.choice(("po_clerk", "po_clerk2")),
            channel=rng.choice(("counter", "counter", "post", "online")),
            return_method=rng.choice(("counter", "post")),
        )
        live(drive, rng, dossier, received)
    db.session.expire_all()
    return db.session.scalars(select(Dossier)).all()


def _inside(instant, period):
    return instant is not None and period.start <= instant < period.end


def _due_before(h):
    value = datetime.fromisoformat(h.data["due_at_before"])
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


def _due_after(h):
    value = datetime.fromisoformat(h.data["due_at_after"])
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


CLOSINGS = (("received", "not_accepted"), ("processing", "stopped"), (None, "withdrawn"))


def stood_at(d, end) -> tuple[int, bool]:
    """(in progress, overdue) of D at the instant END from its rows: the periodic report's
    rule, which a closed period's dashboard and summary follow. In progress: received
    before END less closed before END (the result recorded, or refused, stopped, withdrawn);
    overdue: the clock running at END past the appointment then (the history alone says)."""
    rows = sorted(d.history, key=lambda h: h.at)
    closed = sum(
        (h.at < end and (h.from_status, h.to_status) in CLOSINGS)
        or (h.at < end and (None, h.to_status) in CLOSINGS)
        for h in rows
    )
    settled = d.completed_at is not None and d.completed_at < end
    in_progress = (d.received_at < end) - settled - closed
    if d.received_at >= end:
        return in_progress, False
    moving = [h for h in rows if h.action in ("supplement_received", "apologize") and h.data]
    due, status = (_due_before(moving[0]) if moving else d.due_at), "received"
    for h in rows:
        if h.at >= end:
            break
        status = h.to_status
        if h in moving:
            due = _due_after(h)
    return in_progress, status in RUNNING_STATUSES and due is not None and due < end


def direct(user, period, dossiers, keep=lambda d: True) -> dict:
    """Every figure counted one row at a time in Python."""
    mine = [d for d in dossiers if permissions.in_scope(user, "dossier", d) and keep(d)]
    got = [d for d in mine if _inside(d.received_at, period)]
    done = [d for d in mine if _inside(d.completed_at, period)]
    steps = [(d, h) for d in mine for h in d.history if _inside(h.at, period)]
    moved = [(h.from_status, h.to_status) for _d, h in steps]
    ids = {d.id for d in mine}
    orders = [
        o
        for o in db.session.scalars(select(DeliveryOrder)).all()
        if o.dossier_id in ids and _inside(o.created_at, period)
    ]
    delays = sorted(
        float(round((h.at - d.received_at).total_seconds()))
        for d, h in steps
        if (h.from_status, h.to_status) == ("received", "processing")
    )
    raw = {
        "received": len(got),
        **{
            f"received_{c}": sum(d.channel == c for d in got) for c in ("counter", "post", "online")
        },
        "in_progress": sum(d.status in OPEN_STATUSES for d in got),
        "overdue": sum(d.status in RUNNING_STATUSES and d.due_at < NOW for d in got),
        **(closed_period(mine, period) if period.end <= NOW else {}),
        "fees": sum(d.fee_amount for d in got if d.status != "not_accepted"),
        "completed": len(done),
        **{f"completed_{t}": sum(d.timeliness == t for d in done) for t in ("early", "on_time")},
        "completed_late": sum(d.timeliness == "late" for d in done),
        "supplement_requests": moved.count(("processing", "supplement_requested")),
        "refused": moved.count(("received", "not_accepted")),
        "apologies": sum(h.action == "apologize" for _d, h in steps),
        "stopped": moved.count(("processing", "stopped")),
        "withdrawn": sum(to == "withdrawn" for _f, to in moved),
        "returned_at_counter": moved.count(("result_at_counter", "returned")),
        "delivered": moved.count(("in_delivery", "returned")),
        "returned_to_sender": moved.count(("in_delivery", "result_at_counter")),
        "parcels": len(orders),
        "postage": sum(o.postage for o in orders),
        "handover_delay_median": percentile(delays, 0.5),
        "handover_delay_p90": percentile(delays, 0.9),
    }
    return figures.finish(raw)


def closed_period(dossiers, period) -> dict:
    """A closed period's in progress and overdue: every dossier as it stood at the end."""
    stood = [stood_at(d, period.end) for d in dossiers]
    return {"in_progress": sum(o for o, _ in stood), "overdue": sum(late for _, late in stood)}


@pytest.mark.parametrize("username", ["it_admin", "dept_admin", "dept_admin2", "po_clerk2"])
def test_every_figure_equals_a_direct_count(world, workload, username):
    user = world.users[username]
    assert sum(d.status == "returned" for d in workload) > 5  # the workload reaches every end
    for period in PERIODS:
        expected = direct(user, period, workload)
        assert figures.summary(user, period, now=NOW) == pytest.approx(expected), period


def test_filters_and_tables_equal_direct_counts(world, workload):
    user, period = world.users["it_admin"], PERIODS[1]
    publish = world.procedures["publish"].id
    expected = direct(user, period, workload, lambda d: d.procedure_type_id == publish)
    filters = figures.Filters(procedure_type_id=publish)
    assert figures.summary(user, period, filters, now=NOW) == pytest.approx(expected)
    for row in figures.table(user, period, "post_office", now=NOW):
        expected = direct(user, period, workload, lambda d, o=row["id"]: d.post_office_id == o)
        assert {k: row[k] for k in figures.FIGURES} == pytest.approx(expected)


def test_series_add_up_to_the_summary(world, workload):
    user, period = world.users["dept_admin"], PERIODS[1]
    total = figures.summary(user, period, now=NOW)
    for unit in ("day", "week", "month"):
        buckets = figures.series(user, period, unit, now=NOW)
        for name in (f.name for f in FIGURES if f.kind in (COUNT, MONEY)):
            assert sum(b[name] for b in buckets) == total[name], (unit, name)


def _daily_rows():
    rows = db.session.execute(select(ReportDaily.__table__)).all()
    return sorted(tuple(r) for r in rows if any(r[4:]))


def _delay_rows():
    rows = db.session.execute(select(ReportDelay).where(ReportDelay.n != 0)).scalars()
    return sorted(
        (r.grain, r.start, r.agency_id, r.procedure_type_id, r.post_office_id, r.bucket, r.n)
        for r in rows
    )


def test_a_rebuild_finds_the_daily_figures_kept_move_by_move(world, workload):
    kept, delays_kept = _daily_rows(), _delay_rows()
    assert kept and rebuild(db.session.connection()) > 0
    assert delays_kept and delays.rebuild(db.session.connection()) == len(delays_kept)
    db.session.commit()
    assert _daily_rows() == kept and _delay_rows() == delays_kept


def test_edits_outside_the_workflow_keep_every_figure_exact(world, workload):
    """Channel, fee, receipt time, post office or status changed by hand: still exact."""
    rng = random.Random(5)
    for dossier in rng.sample(workload, 12):
        dossier.channel = rng.choice(("counter", "post", "online"))
        dossier.fee_amount = rng.choice((0, 50_000))
        dossier.received_at -= timedelta(days=rng.randint(0, 20))
        dossier.post_office_id = rng.choice((world.agencies["po"].id, world.agencies["po2"].id))
        if rng.random() < 0.3:
            dossier.status = "not_accepted"
        db.session.commit()
    db.session.expire_all()
    dossiers = db.session.scalars(select(Dossier)).all()
    for username in ("it_admin", "dept_admin", "po_clerk2"):
        user = world.users[username]
        for period in PERIODS:
            expected = direct(user, period, dossiers)
            assert figures.summary(user, period, now=NOW) == pytest.approx(expected)


def test_parcels_edited_moved_or_deleted_keep_every_figure_exact(world, workload):
    """Postage and creation time edited, dossiers moved, a parcel deleted: still exact."""
    rng = random.Random(8)
    orders = db.session.scalars(select(DeliveryOrder).order_by(DeliveryOrder.id)).all()
    assert len(orders) > 5
    for order in rng.sample(orders, 5):
        order.postage = rng.choice((0, 18_000, 41_000))
        order.created_at += timedelta(days=rng.randint(-15, 15), hours=rng.randint(0, 23))
        db.session.commit()
    shipped = {o.dossier_id for o in orders}
    for dossier in rng.sample([d for d in workload if d.id in shipped], 4):
        dossier.post_office_id = world.agencies["po2"].id
        dossier.procedure_type_id = world.procedures["same_day"].id
        db.session.commit()
    moved = rng.choice(orders[1:])
    moved.created_at, moved.postage = moved.created_at - timedelta(days=40), 77_000
    moved.dossier.post_office_id = world.agencies["po"].id  # parcel and dossier in one flush
    db.session.commit()
    db.session.delete(orders[0])
    db.session.commit()
    db.session.expire_all()
    kept = _daily_rows()
    dossiers = db.session.scalars(select(Dossier)).all()
    for username in ("it_admin", "dept_admin", "po_clerk2"):
        user = world.users[username]
        for period in PERIODS:
            expected = direct(user, period, dossiers)
            assert figures.summary(user, period, now=NOW) == pytest.approx(expected)
    delays_kept = _delay_rows()
    rebuild(db.session.connection())
    delays.rebuild(db.session.connection())
    assert _daily_rows() == kept and _delay_rows() == delays_kept
