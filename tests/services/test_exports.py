"""Heavy downloads: asked for in one transaction, one at a time per person, made by the
workers' job with its progress, and only ever handed to the person who asked."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from sqlalchemy import select

from extensions import db
from models import Dossier
from models.base import utcnow
from models.export import ReportExport
from services.errors import Conflict, NotFound
from services.reporting import exports
from services.reporting.periods import Period
from services.transactions import transaction
from tests.report_workload import build_month

QUARTER = Period(date(2026, 2, 1), date(2026, 4, 30))


@pytest.fixture
def month(world):
    return build_month(world)


def ask(user, kind="tracking_book", period=QUARTER):
    with transaction():
        return exports.ask(user, kind, period)


def test_only_periods_longer_than_the_setting_go_to_the_workers(app):
    assert not exports.is_heavy(Period(date(2026, 3, 1), date(2026, 3, 31)))
    assert exports.is_heavy(Period(date(2026, 3, 1), date(2026, 4, 1)))
    app.config["EXPORT_INLINE_MAX_DAYS"] = 7
    assert exports.is_heavy(Period(date(2026, 3, 1), date(2026, 3, 8)))


def test_a_tracking_book_is_made_with_its_progress_and_the_users_rows(world, month):
    user = world.users["dept_admin"]
    export = ask(user)
    assert export.status == "queued" and export.rows_total == 15  # from the daily figures
    exports.make(export.id)
    db.session.expire_all()
    done = db.session.get(ReportExport, export.id)
    assert done.status == "done" and done.rows_done == 15 and done.finished_at is not None
    assert done.filename == "so-theo-doi-20260201-20260430.xlsx" and done.size == len(done.content)
    sheet = openpyxl.load_workbook(io.BytesIO(exports.content(done))).active
    codes = [row[1].value for row in sheet.iter_rows(min_row=3)]
    own = select(Dossier.code).where(
        Dossier.agency_id == user.agency_id,
        Dossier.received_at >= QUARTER.start,
        Dossier.received_at < QUARTER.end,
    )
    assert sorted(codes) == sorted(db.session.scalars(own)) and len(codes) == 15
    exports.make(export.id)  # a second run of a finished job changes nothing
    db.session.expire_all()
    assert db.session.get(ReportExport, export.id).finished_at == done.finished_at


def test_a_report_is_made_from_the_reports_page(world, month):
    export = ask(world.users["it_admin"], kind="report")
    exports.make(export.id)
    book = openpyxl.load_workbook(
        io.BytesIO(exports.content(db.session.get(ReportExport, export.id)))
    )
    assert book.sheetnames[0] == "Số liệu" and len(book.sheetnames) == 4
    assert book.worksheets[0]["A1"].value.startswith("Số liệu")


def test_one_unfinished_file_per_person(world, month):
    first = ask(world.users["po_supervisor"])
    with pytest.raises(Conflict, match="đang được tạo"):
        ask(world.users["po_supervisor"], kind="report")
    ask(world.users["dept_admin"])  # another person is not held back
    exports.make(first.id)
    ask(world.users["po_supervisor"], kind="report")  # once it is made, the next may start
    count = db.session.scalar(
        select(db.func.count()).select_from(ReportExport).where(ReportExport.status == "queued")
    )
    assert count == 2


def test_the_database_refuses_a_second_unfinished_file_even_when_two_requests_race(world):
    user = world.users["viewer"]
    for _ in range(2):
        db.session.add(ReportExport(user_id=user.id, kind="report", params={}, label="x"))
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        db.session.flush()
    db.session.rollback()


def test_nobody_reads_another_persons_file(world, month):
    export = ask(world.users["dept_admin"])
    with pytest.raises(NotFound):
        exports.get_own(world.users["dept_admin2"], export.id)
    for bad in ("x", None, "99999999999999999999", -1):
        with pytest.raises(NotFound):
            exports.get_own(world.users["dept_admin"], bad)
    with pytest.raises(NotFound, match="chưa sẵn sàng"):
        exports.content(export)


def test_old_finished_files_are_purged_but_not_unfinished_ones(world, month):
    old = ask(world.users["dept_admin"])
    exports.make(old.id)
    waiting = ask(world.users["dept_admin"])
    with transaction():
        assert exports.purge(utcnow() + timedelta(days=8)) == 1
    assert db.session.scalars(select(ReportExport.id)).all() == [waiting.id]
