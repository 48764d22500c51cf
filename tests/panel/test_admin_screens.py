"""Every resource screen of the panel answers, in Vietnamese, with the right formats."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

import permissions
from extensions import db
from models import AuditEntry
from services.calendar import LOCAL_TZ
from tests import factories

# Every model screen: the permission resources, less the pages that are not model lists.
RESOURCES = [r for r in permissions.RESOURCES if r not in ("report", "outbox")]
# Who creates what, by the default permission matrix.
CREATOR = {
    "dossier": "po_clerk",
    "delivery_order": "po_clerk",
    "procedure_type": "it_admin",
    "agency": "it_admin",
    "user": "it_admin",
    "role": "it_admin",
    "holiday": "it_admin",
}


@pytest.fixture
def rows(world):
    return factories.make_one_of_each(world)


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_answers_for_it_admin(client, login_as, rows, resource):
    login_as("it_admin")
    response = client.get(f"/admin/{resource}/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Danh sách" in page and "Trang chủ" in page  # Flask-Admin's tabs, in Vietnamese


@pytest.mark.parametrize("resource", sorted(CREATOR))
def test_create_form_answers_for_its_creator(client, login_as, rows, resource):
    login_as(CREATOR[resource])
    response = client.get(f"/admin/{resource}/new/")
    assert response.status_code == 200
    assert "Lưu" in response.get_data(as_text=True)


@pytest.mark.parametrize("resource", RESOURCES)
def test_details_answer_for_it_admin(client, login_as, rows, resource):
    login_as("it_admin")
    response = client.get(f"/admin/{resource}/details/?id={rows[resource]}")
    assert response.status_code == 200


def test_audit_log_has_no_create_or_edit(client, login_as, rows):
    login_as("it_admin")
    assert client.get("/admin/audit_log/new/").status_code == 403
    assert client.get(f"/admin/audit_log/edit/?id={rows['audit_log']}").status_code == 403
    before = db.session.get(AuditEntry, rows["audit_log"]).summary
    forged = client.post(f"/admin/audit_log/edit/?id={rows['audit_log']}", data={"summary": "x"})
    assert forged.status_code == 403
    db.session.expire_all()
    assert db.session.get(AuditEntry, rows["audit_log"]).summary == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_anonymous_is_sent_to_login_from_every_screen(client, rows, resource):
    for path in (f"/admin/{resource}/", f"/admin/{resource}/details/?id={rows[resource]}"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.location.startswith("/login?next=")


def test_dossier_list_shows_local_times_labels_and_money(client, login_as, rows):
    login_as("po_clerk")
    page = client.get("/admin/dossier/").get_data(as_text=True)
    assert "000.00.15.H55-260310-0001" in page
    assert "10/03/2026 09:30" in page  # received, in Asia/Ho_Chi_Minh
    assert "24/03/2026 09:30" in page  # 10 working days later
    assert "Đã tiếp nhận" in page
    assert "Mã hồ sơ" in page and "Ngày hẹn trả" in page


def test_money_is_shown_in_vnd(client, login_as, world):
    login_as("it_admin")
    page = client.get("/admin/procedure_type/").get_data(as_text=True)
    assert "4.000.000 ₫" in page


def test_dossier_search_ignores_diacritics(client, login_as, world):
    clerk = world.users["po_clerk"]
    factories.make_dossier(world.procedures["publish"], clerk, applicant="Trần Minh Đức")
    factories.make_dossier(world.procedures["publish"], clerk, applicant="Lê Thị Thuận")
    login_as("po_clerk")
    for term, found, absent in (
        ("duc", "Trần Minh Đức", "Lê Thị Thuận"),
        ("THUAN", "Lê Thị Thuận", "Trần Minh Đức"),
    ):
        page = client.get(f"/admin/dossier/?search={term}").get_data(as_text=True)
        assert found in page
        assert absent not in page


def _filter_arg(app, endpoint, column, filter_class):
    """The URL argument Flask-Admin gives one filter of one list screen."""
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == endpoint)
    index, flt = next(
        (i, f)
        for i, f in enumerate(view._filters)
        if type(f) is filter_class and f.column.key == column
    )
    return f"flt0_{view.get_filter_arg(index, flt)}"


def test_dossier_list_filters_by_local_received_day(app, client, login_as, world):
    from views.admin.core.filters import LocalDayBetween, LocalDayEqual

    clerk = world.users["po_clerk"]
    late_night = datetime(2026, 3, 10, 23, 30, tzinfo=LOCAL_TZ)  # 16:30 UTC on the 10th
    after_midnight = datetime(2026, 3, 11, 0, 30, tzinfo=LOCAL_TZ)  # 17:30 UTC on the 10th
    factories.make_dossier(world.procedures["publish"], clerk, "Khuya Mười", late_night)
    factories.make_dossier(world.procedures["publish"], clerk, "Sáng Mười Một", after_midnight)
    login_as("po_clerk")

    arg = _filter_arg(app, "dossier", "received_at", LocalDayEqual)
    page = client.get(f"/admin/dossier/?{arg}=2026-03-10").get_data(as_text=True)
    assert "Khuya Mười" in page
    assert "Sáng Mười Một" not in page

    arg = _filter_arg(app, "dossier", "received_at", LocalDayBetween)
    page = client.get(f"/admin/dossier/?{arg}=2026-03-11+to+2026-03-12").get_data(as_text=True)
    assert "Sáng Mười Một" in page
    assert "Khuya Mười" not in page


def test_it_admin_removes_calendar_overrides_one_or_in_bulk(client, login_as, world):
    from models import CalendarOverride

    first = factories.make_override(date(2026, 12, 29))
    second = factories.make_override(date(2026, 12, 30))
    third = factories.make_override(date(2026, 12, 31))
    login_as("it_admin")
    assert client.post("/admin/holiday/delete/", data={"id": first.id}).status_code == 302
    response = client.post(
        "/admin/holiday/action/", data={"action": "delete", "rowid": [second.id, third.id]}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(CalendarOverride.id)) is None
    deletions = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "delete")).all()
    assert {e.entity for e in deletions} == {"holiday"} and len(deletions) == 3


def test_exports_cannot_smuggle_spreadsheet_formulas(client, login_as, world):
    factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], applicant='=HYPERLINK("http://x")'
    )
    login_as("po_clerk")
    export = client.get("/admin/dossier/export/csv/").get_data(as_text=True)
    assert "'=HYPERLINK" in export
    assert ",=HYPERLINK" not in export and '"=HYPERLINK' not in export
