"""A long tracking book or report, as a user asks for it, follows it and takes it."""

import io

import openpyxl
import pytest
from sqlalchemy import func, select

from extensions import db
from models.export import ReportExport
from services.integration import workers
from services.reporting import exports
from tests.report_workload import build_month

LONG_BOOK = "/admin/report/tracking-book.xlsx?from=01/02/2026&to=30/04/2026"
LONG_REPORT = "/admin/report/export.xlsx?preset=custom&from=01/01/2026&to=30/06/2026"
ASK = {"kind": "tracking_book", "from": "01/02/2026", "to": "30/04/2026"}


@pytest.fixture
def month(world):
    return build_month(world)


def exports_of(user) -> list[ReportExport]:
    db.session.expire_all()
    return db.session.scalars(select(ReportExport).where(ReportExport.user_id == user.id)).all()


def test_a_long_download_is_offered_in_the_background_not_streamed(client, login_as, month):
    login_as("dept_admin")
    for url, title in ((LONG_BOOK, "Sổ theo dõi hồ sơ"), (LONG_REPORT, "Báo cáo số liệu")):
        page = client.get(url)
        assert page.status_code == 200 and page.mimetype == "text/html"
        text = page.get_data(as_text=True)
        assert title in text and 'id="export-ask"' in text and "hơn 31 ngày" in text
    assert db.session.scalar(select(func.count()).select_from(ReportExport)) == 0  # GET asks
    short = client.get("/admin/report/tracking-book.xlsx?from=01/03/2026&to=31/03/2026")
    assert short.mimetype.endswith("spreadsheetml.sheet")


def test_asking_making_and_taking_a_file(client, login_as, month):
    user = login_as("dept_admin")
    answer = client.post("/admin/report/exports/", data=ASK, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "đang được tạo" in page and "Đang chờ" in page
    (export,) = exports_of(user)
    state = client.get(f"/admin/report/exports/{export.id}.json").get_json()
    assert state["status"] == "queued" and state["download"] is None and not state["finished"]
    assert client.get(f"/admin/report/exports/{export.id}/download").status_code == 404
    assert workers.deliver_due() == 1  # the workers: the outbox row written with the ask
    state = client.get(f"/admin/report/exports/{export.id}.json").get_json()
    assert state["finished"] and state["rows_done"] == 15 and state["status_label"] == "Sẵn sàng"
    page = client.get("/admin/report/exports/").get_data(as_text=True)
    assert state["download"] in page
    file = client.get(state["download"])
    assert file.headers["Content-Disposition"] == (
        'attachment; filename="so-theo-doi-20260201-20260430.xlsx"'
    )
    assert openpyxl.load_workbook(io.BytesIO(file.data)).active.max_row == 17


def test_a_second_file_waits_for_the_first(client, login_as, month):
    user = login_as("po_supervisor")
    client.post("/admin/report/exports/", data=ASK)
    page = client.post(
        "/admin/report/exports/", data={**ASK, "kind": "report"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Mỗi người chỉ tạo một tệp lớn một lúc" in page
    assert len(exports_of(user)) == 1


def test_nobody_follows_or_takes_another_persons_file(app, client, login_as, month):
    owner = login_as("dept_admin")
    client.post("/admin/report/exports/", data=ASK)
    (export,) = exports_of(owner)
    exports.make(export.id)
    login_as("dept_admin2")
    assert client.get(f"/admin/report/exports/{export.id}/download").status_code == 404
    answer = client.get(f"/admin/report/exports/{export.id}.json")
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "not_found"
    assert 'id="exports-empty"' in client.get("/admin/report/exports/").get_data(as_text=True)
    for bad in ("x", "0", "99999999999999999999", "%00"):
        assert client.get(f"/admin/report/exports/{bad}/download").status_code == 404


@pytest.mark.parametrize(
    "form",
    [
        {**ASK, "kind": "everything"},
        {**ASK, "from": "31/02/2026"},
        {**ASK, "to": "\x00"},
    ],
)
def test_bad_asks_are_refused_with_a_message(client, login_as, world, form):
    user = login_as("dept_admin")
    page = client.post("/admin/report/exports/", data=form, follow_redirects=True)
    assert page.status_code in (200, 400)
    assert exports_of(user) == []


def test_a_failed_file_is_made_again_by_its_owner_only(app, client, login_as, month):
    owner = login_as("dept_admin")
    client.post("/admin/report/exports/", data=ASK)
    assert workers.deliver_due() == 1
    (failed,) = exports_of(owner)  # as the worker leaves a file that could not be made:
    failed.status, failed.error = "failed", "Không tạo được tệp: OperationalError."
    failed.content = failed.size = None
    db.session.commit()
    page = client.get("/admin/report/exports/").get_data(as_text=True)
    again = f"/admin/report/exports/{failed.id}/again"
    assert "OperationalError" in page and f'action="{again}"' in page and "Tạo lại" in page
    login_as("dept_admin2")
    assert client.post(again).status_code == 404  # nobody asks again for another's file
    assert len(exports_of(owner)) == 1
    login_as("dept_admin")
    answer = client.post(again, follow_redirects=True).get_data(as_text=True)
    assert "đang được tạo" in answer
    files = sorted(exports_of(owner), key=lambda e: e.id)
    assert [e.status for e in files] == ["failed", "queued"]
    assert files[1].params == failed.params and files[1].kind == failed.kind
    assert workers.deliver_due() == 1
    db.session.expire_all()
    assert db.session.get(ReportExport, files[1].id).status == "done"
    # Only a failed file is made again; a finished one is refused with the reason.
    answer = client.post(f"/admin/report/exports/{files[1].id}/again", follow_redirects=True)
    assert "Chỉ tạo lại được tệp đã bị lỗi" in answer.get_data(as_text=True)
