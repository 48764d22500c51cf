"""The home page: the reports' figures for every role, in a fixed number of statements,
and work queues counted only so far."""

import html
import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from extensions import db
from models.base import utcnow
from services.reporting import figures, pages, work_queues
from services.reporting.pages import KPIS
from services.reporting.periods import last_months, preset
from tests import factories
from tests.report_workload import Driver, live
from views.admin.reports import context as ctx
from views.admin.reports.work_queues import QUEUES

ROLES = ("it_admin", "dept_admin", "dept_admin2", "po_supervisor", "po_clerk", "po_clerk2")


def _receive_some(drive, rng, count: int) -> None:
    """COUNT dossiers over the last year, each down a random path; a few of this month open."""
    now = utcnow()
    for _ in range(count):
        received = now - timedelta(days=rng.randint(35, 330), hours=rng.randint(0, 8))
        dossier = drive.receive(
            rng.choice(("publish", "publish", "same_day", "karaoke")),
            when=received,
            clerk=rng.choice(("po_clerk", "po_clerk2")),
            channel=rng.choice(("counter", "post", "online")),
            return_method=rng.choice(("counter", "post")),
        )
        live(drive, rng, dossier, received)
    for hours in (1, 3, 5):
        drive.receive("karaoke", when=now - timedelta(hours=hours), clerk="po_clerk2")


@pytest.fixture
def year_of_work(world):
    """The driver, after a year of work."""
    drive = Driver(world)
    _receive_some(drive, random.Random(23), 30)
    return drive


@pytest.mark.parametrize("username", ROLES)
def test_the_dashboard_shows_the_reports_figures(app, world, year_of_work, username):
    user = world.users[username]
    with app.test_request_context():
        shown = pages.home(user).dashboard
    for key, period in (("this_month", preset("this_month")), ("last_12", last_months(12))):
        expected = figures.summary(user, period, delays=False)
        got = getattr(shown, key)
        assert {k: got[k] for k in KPIS} == pytest.approx({k: expected[k] for k in KPIS})
    assert shown.last_12["received"] > 0 and shown.last_12["in_progress"] >= 0


def test_the_page_shows_those_figures(client, login_as, world, year_of_work):
    login_as("it_admin")
    page = client.get("/admin/").get_data(as_text=True)
    month = figures.summary(world.users["it_admin"], preset("this_month"), delays=False)
    for name in KPIS:
        found = re.search(rf'data-figure="{name}">([^<]*)<', page).group(1)
        assert found == ctx.show(name, month[name]), name


def _statements(client) -> int:
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get("/admin/").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.parametrize("username", ["it_admin", "dept_admin", "po_clerk"])
def test_the_home_page_costs_the_same_statements_with_more_rows(
    client, login_as, world, year_of_work, username
):
    login_as(username)
    client.get("/admin/")
    before = _statements(client)
    _receive_some(year_of_work, random.Random(5), 8)
    assert _statements(client) == before <= 10


def test_queue_counts_stop_at_the_limit(client, login_as, world, monkeypatch):
    for _ in range(3):
        factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    login_as("po_clerk")
    page = client.get("/admin/").get_data(as_text=True)
    assert re.search(r'data-queue="to_hand_over".*?queue-count">3<', page, re.S)
    monkeypatch.setattr(work_queues, "COUNT_LIMIT", 3)
    page = client.get("/admin/").get_data(as_text=True)
    assert re.search(r'data-queue="to_hand_over".*?queue-count">2\+<', page, re.S)
    monkeypatch.setattr(work_queues, "COUNT_LIMIT", 4)
    counts = {q.key: q.count for q in work_queues.work_queues(world.users["po_clerk"])}
    assert counts["to_hand_over"] == 3


def test_a_queue_shows_99_plus_from_100():
    assert work_queues.Queue("overdue", 99).shown == "99"
    assert work_queues.Queue("overdue", 100).shown == "99+"


def test_queue_links_name_the_dossier_lists_filters(app):
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == "dossier")
    named = [view.get_filter_arg(i, f) for i, f in enumerate(view._filters)]
    assert len(named) == len(set(named))  # no two filters share a name
    linked = {arg for *_, filters in QUEUES.values() for arg in filters}
    assert linked == {"flt0_status_equals", "flt0_appointment_is"}
    assert {arg.removeprefix("flt0_") for arg in linked} <= set(named)


def test_queue_links_list_their_dossiers(client, login_as, world):
    clerk, publish = world.users["po_clerk"], world.procedures["publish"]
    late = factories.make_dossier(publish, clerk, "Đã Quá Hạn", utcnow() - timedelta(days=40))
    recent = utcnow() - timedelta(hours=1)
    waiting = factories.make_dossier(publish, clerk, "Kết Quả Chờ Trả", recent)
    factories.make_dossier(publish, clerk, "Mới Tiếp Nhận", recent)
    waiting.status = "result_at_counter"
    db.session.commit()
    login_as("po_clerk")
    page = client.get("/admin/").get_data(as_text=True)
    names = {"at_counter": waiting.applicant_name, "overdue": late.applicant_name}
    for key, shown in names.items():
        url = html.unescape(re.search(rf'href="([^"]+)" data-queue="{key}"', page).group(1))
        assert "flt0_" in url and not re.search(r"flt0_\d", url)
        listed = client.get(url).get_data(as_text=True)
        others = [name for name in (*names.values(), "Mới Tiếp Nhận") if name != shown]
        assert shown in listed and not any(name in listed for name in others), key
