"""The dossier's details page, its action forms, stale edits, and the calendar pages."""

import re
from datetime import date, datetime

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, Dossier
from services.calendar import LOCAL_TZ
from tests import factories


@pytest.fixture
def dossier(world):
    d = factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        received_at=datetime(2026, 3, 10, 9, 30, tzinfo=LOCAL_TZ),
    )
    d.status = "processing"
    db.session.commit()
    return d


def _details(client, dossier):
    return client.get(f"/admin/dossier/details/?id={dossier.id}").get_data(as_text=True)


def test_details_show_the_timeline_and_the_users_actions(client, login_as, dossier):
    login_as("dept_admin")
    page = _details(client, dossier)
    assert "Quá trình xử lý" in page and "Tiếp nhận tại quầy" in page
    assert "Người dùng po_clerk" in page  # who received it
    for label in ("Yêu cầu bổ sung", "Xin lỗi, hẹn lại", "Ghi kết quả", "Dừng xử lý"):
        assert label in page
    login_as("viewer")
    page = _details(client, dossier)
    assert 'id="dossier-actions"' not in page  # no empty actions card for a read-only role
    assert 'name="action"' not in page


def test_an_action_form_moves_the_dossier(client, login_as, dossier):
    login_as("dept_admin")
    response = client.post(
        f"/admin/dossier/transition/?id={dossier.id}",
        data={
            "action": "complete",
            "version": dossier.version,
            "result_number": "15/GP-STTTT",
            "result_date": "2026-03-20",
            "result_outcome": "granted",
            "note": "",
        },
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Ghi kết quả: đã thực hiện cho hồ sơ" in page
    db.session.expire_all()
    saved = db.session.get(Dossier, dossier.id)
    assert (saved.status, saved.result_number, saved.result_date) == (
        "result_ready",
        "15/GP-STTTT",
        date(2026, 3, 20),
    )


def test_a_refused_action_explains_itself_and_changes_nothing(client, login_as, dossier):
    login_as("dept_admin")
    response = client.post(
        f"/admin/dossier/transition/?id={dossier.id}",
        data={"action": "stop", "version": dossier.version, "note": ""},
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "Vui lòng ghi rõ lý do." in page
    login_as("po_clerk")
    response = client.post(
        f"/admin/dossier/transition/?id={dossier.id}",
        data={"action": "complete", "version": dossier.version},
    )
    assert "Vai trò của bạn không được ghi kết quả hồ sơ." in client.get(
        response.location
    ).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == "processing"


def test_another_agency_cannot_act_on_the_dossier(client, login_as, dossier):
    login_as("dept_admin2")
    response = client.post(
        f"/admin/dossier/transition/?id={dossier.id}", data={"action": "stop", "note": "x"}
    )
    assert response.status_code == 404


def test_a_stale_edit_is_refused_and_the_first_save_kept(app, world, dossier):
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        client.post("/login", data={"username": "dept_admin", "password": factories.PASSWORD})
    form_one = first.get(f"/admin/dossier/edit/?id={dossier.id}").get_data(as_text=True)
    form_two = second.get(f"/admin/dossier/edit/?id={dossier.id}").get_data(as_text=True)
    seen = re.search(r'name="version_seen"[^>]*value="(\d+)"', form_one) or re.search(
        r'value="(\d+)"[^>]*name="version_seen"', form_one
    )
    assert seen and seen.group(1) == str(dossier.version)
    assert "version_seen" in form_two
    base = {"return_method": "counter", "version_seen": seen.group(1)}
    ok = first.post(
        f"/admin/dossier/edit/?id={dossier.id}",
        data={**base, "applicant_name": "Tên của người thứ nhất"},
    )
    assert ok.status_code == 302
    late = second.post(
        f"/admin/dossier/edit/?id={dossier.id}",
        data={**base, "applicant_name": "Tên của người thứ hai"},
    )
    page = late.get_data(as_text=True)
    assert "đã được Người dùng dept_admin cập nhật lúc" in page
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).applicant_name == "Tên của người thứ nhất"


def test_dossier_details_link_to_their_audit_entries(client, login_as, dossier, world):
    other = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"], "Khác")
    login_as("it_admin")
    page = _details(client, dossier)
    link = re.search(r'href="([^"]*audit_log/\?[^"]*)"', page).group(1).replace("&amp;", "&")
    entries = client.get(link).get_data(as_text=True)
    assert f"Tiếp nhận hồ sơ {dossier.code}" in re.sub(r"<[^>]+>", "", entries)
    assert other.code not in entries


def test_the_calculator_gives_the_appointment(client, login_as, world):
    login_as("it_admin")
    page = client.get("/admin/holiday/calculator/?start_date=2026-02-13&start_time=15:30&days=1")
    text = page.get_data(as_text=True)
    # Friday 13/02 after the cut-off → Monday? No: 16–20/02 is Tết → clock starts 23/02 08:00.
    assert "23/02/2026 08:00" in text and "24/02/2026 08:00" in text
    bad = client.get("/admin/holiday/calculator/?start_date=2026-02-30&days=1")
    assert "Nhập ngày, giờ hợp lệ" in bad.get_data(as_text=True)


def test_the_year_page_lists_holidays_make_up_days_and_overrides(client, login_as, world):
    factories.make_override(date(2026, 12, 31), name="Nghỉ theo Quyết định số 99/QĐ-UBND")
    login_as("viewer")
    page = client.get("/admin/holiday/year/?year=2026").get_data(as_text=True)
    assert "17/02/2026" in page and "Tết Nguyên Đán" in page
    assert "22/08/2026" in page and "Ngày làm bù" in page
    assert "Nghỉ theo Quyết định số 99/QĐ-UBND" in page and "Quyết định của tỉnh" in page


def test_viewing_is_not_changing_the_calendar(client, login_as, world):
    login_as("viewer")
    assert client.get("/admin/holiday/calculator/").status_code == 200
    assert client.get("/admin/holiday/new/").status_code == 403


def test_exports_are_audited(client, login_as, dossier):
    login_as("po_clerk")
    assert client.get("/admin/dossier/export/csv/").status_code == 200
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert (entry.entity, entry.actor_username) == ("dossier", "po_clerk")
