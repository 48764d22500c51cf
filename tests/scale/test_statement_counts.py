"""How many SQL statements a page sends: the dossier's page in two besides the signed-in
user, the handover and delivery screens the same however many rows they show, and none while
the home and reports pages' templates are drawn."""

import sys
from datetime import date, timedelta

import pytest
from flask import before_render_template, template_rendered
from sqlalchemy import event

from extensions import db
from models import DossierFile, ExtraFieldDefinition
from models.base import utcnow
from services.delivery import events as delivery_events
from services.dossiers import workflow
from tests import factories
from vietnam.validation import s10_check_digit
from views.public import load_user

RESULT = workflow.Result(number="15/GP-STTTT", date=date(2026, 3, 20), outcome="granted")


def tracking_code(n: int) -> str:
    """A valid UPU S10 code of serial N."""
    serial = f"{n:08d}"
    return f"EB{serial}{s10_check_digit(serial)}VN"


class Statements:
    """The statements of one request, the signed-in user's load (views.public.load_user)
    told apart from what the page itself reads."""

    def __init__(self):
        self.user, self.page = [], []

    def __call__(self, conn, cursor, statement, *args):
        frame = sys._getframe()
        while frame is not None:
            if frame.f_code is load_user.__code__:
                self.user.append(statement)
                return
            frame = frame.f_back
        self.page.append(statement)

    @property
    def total(self) -> int:
        return len(self.user) + len(self.page)


def read(client, path) -> tuple[Statements, str]:
    """GET PATH (once before, so that per-process caches are warm) and its statements."""
    assert client.get(path).status_code == 200
    statements = Statements()
    event.listen(db.engine, "before_cursor_execute", statements)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", statements)
    assert response.status_code == 200, path
    return statements, response.get_data(as_text=True)


def travelled(world, applicant="Nguyễn Văn Thuận"):
    """A dossier with everything its page shows: extra fields, a history by several
    people, a batch to the department and one back, a parcel with its events."""
    clerk, dept = world.users["po_clerk"], world.users["dept_admin"]
    dossier = factories.make_dossier(
        world.procedures["publish"],
        clerk,
        applicant,
        extra_data={"title": "Bản tin nội bộ", "copies": "500"},
        return_method="post",
    )
    factories.confirm_handover(factories.make_handover([dossier], clerk), dept)
    workflow.transition(dossier, "complete", dept, result=RESULT)
    db.session.commit()
    back = factories.make_handover([dossier], dept, "to_post_office")
    factories.confirm_handover(back, clerk)
    serial = dossier.id % 10**8  # the id holds its quarter too (models.partitions)
    order = factories.ship_result(dossier, clerk, tracking_code(serial))
    for status in ("accepted", "in_transit"):
        delivery_events.record_event(order, delivery_events.Event(status), clerk)
    db.session.commit()
    return dossier, order


@pytest.fixture
def extra_fields(world):
    world.procedures["publish"].extra_fields = [
        ExtraFieldDefinition(key="title", label="Tên tài liệu", position=1),
        ExtraFieldDefinition(key="copies", label="Số lượng bản in", position=2),
    ]
    db.session.commit()


@pytest.mark.parametrize("username", ["po_clerk", "dept_admin", "it_admin", "viewer"])
def test_the_dossier_page_reads_in_three_statements(
    client, login_as, world, extra_fields, username
):
    """The dossier with all it shows and its digitized files, then its batches and parcels."""
    dossier, order = travelled(world)
    login_as(username)
    statements, page = read(client, f"/admin/dossier/details/?id={dossier.id}")
    assert len(statements.page) <= 2, statements.page
    assert statements.total <= 3, statements.user + statements.page  # with the user's one
    assert "Bản tin nội bộ" in page and "Số lượng bản in" in page  # extra fields by label
    assert "Người dùng dept_admin" in page  # a timeline actor
    assert 'data-print-form="control-slip"' in page
    if username != "viewer":  # the leadership sees dossiers, not the handover log
        assert page.count("BG-") >= 2 and order.tracking_code in page


def test_a_long_life_costs_one_statement_more_than_a_fresh_dossier(
    client, login_as, world, extra_fields
):
    """A dossier no batch or parcel has carried (one just received, the page a clerk opens
    most) is read in one statement: that statement says nothing carried it."""
    fresh = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    dossier, _order = travelled(world, "Trần Thị Bình")
    login_as("po_clerk")
    short, page = read(client, f"/admin/dossier/details/?id={fresh.id}")
    assert fresh.code in page and 'id="dossier-handovers"' not in page
    long, page = read(client, f"/admin/dossier/details/?id={dossier.id}")
    assert page.count("BG-") >= 2 and 'id="dossier-deliveries"' in page
    assert len(short.page) == 1, short.page
    assert len(long.page) == 2, long.page


def test_a_batch_cancelled_or_a_parcel_alone_still_counts_as_carried(client, login_as, world):
    clerk, office = world.users["po_clerk"], world.agencies["po"]
    in_cancelled = factories.make_dossier(world.procedures["publish"], clerk, "Người hủy lô")
    batch = factories.make_handover([in_cancelled], clerk)
    batch.status = "cancelled"
    with_parcel = factories.make_dossier(world.procedures["publish"], clerk, "Người có bưu gửi")
    order = factories.make_delivery(with_parcel, office, tracking_code(7))
    db.session.commit()
    login_as("po_clerk")
    statements, page = read(client, f"/admin/dossier/details/?id={in_cancelled.id}")
    assert batch.code in page and len(statements.page) == 2
    statements, page = read(client, f"/admin/dossier/details/?id={with_parcel.id}")
    assert order.tracking_code in page and len(statements.page) == 2


def test_a_batch_only_sent_offers_the_control_slip_without_reading_again(client, login_as, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    factories.make_handover([dossier], world.users["po_clerk"])  # sent, not confirmed
    login_as("po_clerk")
    statements, page = read(client, f"/admin/dossier/details/?id={dossier.id}")
    assert 'data-print-form="control-slip"' in page and 'id="dossier-handovers"' in page
    assert len(statements.page) <= 3


def batches(world, count, start=0):
    """COUNT batches sent by po_clerk, one dossier each."""
    clerk = world.users["po_clerk"]
    for n in range(start, start + count):
        dossier = factories.make_dossier(world.procedures["publish"], clerk, f"Người {n}")
        factories.make_handover([dossier], clerk)


@pytest.mark.parametrize("username", ["po_clerk", "dept_admin", "it_admin"])
def test_the_handover_list_reads_the_same_for_one_row_or_thirty(client, login_as, world, username):
    batches(world, 1)
    login_as(username)
    one, page = read(client, "/admin/handover/?page_size=50")
    assert page.count('href="/admin/handover/details/?id=') >= 1
    batches(world, 29, start=1)
    thirty, page = read(client, "/admin/handover/?page_size=50")
    assert page.count("Người dùng po_clerk") >= 30  # the sender's name on every row
    assert len(thirty.page) == len(one.page) <= 2, thirty.page
    assert not any("count(" in s.lower() for s in thirty.page)  # no full count per page


def test_the_batch_page_reads_in_one_statement_however_many_dossiers(client, login_as, world):
    clerk = world.users["po_clerk"]
    small = factories.make_handover(
        [factories.make_dossier(world.procedures["publish"], clerk, "Người lẻ")], clerk
    )
    dossiers = [
        factories.make_dossier(world.procedures["publish"], clerk, f"Người {n}") for n in range(30)
    ]
    big = factories.make_handover(dossiers, clerk)
    factories.confirm_handover(big, world.users["dept_admin"], missing=[dossiers[0].code])
    login_as("dept_admin")
    one, _ = read(client, f"/admin/handover/details/?id={small.id}")
    thirty, page = read(client, f"/admin/handover/details/?id={big.id}")
    assert all(d.code in page for d in dossiers) and "Cấp giấy phép xuất bản" in page
    assert "Người dùng dept_admin" in page  # confirmed by
    assert len(thirty.page) == len(one.page) == 1, thirty.page
    confirm, page = read(client, f"/admin/handover/confirm/?id={small.id}")
    assert len(confirm.page) == 1 and "Người lẻ" in page


def orders(world, count, start=0):
    """COUNT parcels of po's results, the first one stuck out for delivery (the stuck flag
    reads the calendar once a page)."""
    clerk, office = world.users["po_clerk"], world.agencies["po"]
    for n in range(start, start + count):
        dossier = factories.make_dossier(world.procedures["publish"], clerk, f"Người {n}")
        order = factories.make_delivery(dossier, office, tracking_code(n))
        order.status, order.status_at = ("out_for_delivery", utcnow() - timedelta(days=10))
        order.created_by = clerk
    db.session.commit()


@pytest.mark.parametrize("username", ["po_clerk", "dept_admin", "it_admin"])
def test_the_delivery_list_reads_the_same_for_one_row_or_thirty(client, login_as, world, username):
    orders(world, 1)
    login_as(username)
    one, page = read(client, "/admin/delivery_order/?page_size=50")
    assert tracking_code(0) in page and "stuck-flag" in page
    orders(world, 29, start=1)
    thirty, page = read(client, "/admin/delivery_order/?page_size=50")
    assert tracking_code(29) in page and page.count("stuck-flag") == 30
    assert len(thirty.page) == len(one.page) <= 2, thirty.page
    assert not any("count(" in s.lower() for s in thirty.page)


def test_the_parcel_page_reads_in_one_statement_however_many_events(client, login_as, world):
    quiet = factories.ship_result(
        factories.make_dossier(world.procedures["publish"], world.users["po_clerk"]),
        world.users["po_clerk"],
        tracking_code(99_999_999),
    )
    _dossier, busy = travelled(world)
    login_as("po_supervisor")
    one, _ = read(client, f"/admin/delivery_order/details/?id={quiet.id}")
    many, page = read(client, f"/admin/delivery_order/details/?id={busy.id}")
    assert busy.dossier.code in page and "Người dùng po_clerk" in page  # event actors
    assert len(many.page) == len(one.page) == 1, many.page


class WhileDrawn(Statements):
    """The statements sent while a template is drawn (Flask's render signals around it)."""

    def __init__(self, app):
        super().__init__()
        self.drawing, self.drawn = False, []
        before_render_template.connect(self.start, app)
        template_rendered.connect(self.stop, app)

    def start(self, *_args, **_kwargs):
        self.drawing = True

    def stop(self, *_args, **_kwargs):
        self.drawing = False

    def __call__(self, conn, cursor, statement, *args):
        if self.drawing:
            self.drawn.append(statement)


@pytest.mark.parametrize("username", ["po_clerk", "dept_admin", "it_admin", "viewer"])
@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/report/?preset=this_year", "/admin/report/review"]
)
def test_the_home_and_reports_pages_read_nothing_while_drawn(
    app, client, login_as, world, username, path
):
    factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    login_as(username)
    client.get(path)  # per-process caches warm
    watch = WhileDrawn(app)
    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
        before_render_template.disconnect(watch.start, app)
        template_rendered.disconnect(watch.stop, app)
    assert watch.drawn == []


def test_the_dossier_page_reads_its_files_with_the_dossier(client, login_as, world, extra_fields):
    dossier, _order = travelled(world)
    for name in ("Tờ khai đề nghị cấp phép", "Bản sao căn cước"):
        db.session.add(
            DossierFile(
                dossier_id=dossier.id, document=name, raw_type="application/pdf", state="ready"
            )
        )
    db.session.commit()
    login_as("po_clerk")
    statements, page = read(client, f"/admin/dossier/details/?id={dossier.id}")
    assert len(statements.page) <= 2, statements.page
    assert "Tờ khai đề nghị cấp phép" in page and "Bản sao căn cước" in page
    assert page.count("Người dùng dept_admin") >= 1  # the history is not multiplied away
