"""The panel's widgets speak Vietnamese: dates as dd/mm/yyyy with Monday first, the procedure
picker finds text without diacritics, select2's and the page-size menu's words."""

from datetime import date

from sqlalchemy import select

from demo.seed import seed_demo
from extensions import db
from models import CalendarOverride
from tests import factories
from tests.browser.test_browser_screens import sign_in
from tests.browser_watch import Watch


def test_dates_are_typed_and_shown_as_dd_mm_yyyy(client, login_as):
    login_as("it_admin")
    response = client.post(
        "/admin/holiday/new/", data={"day": "31/12/2026", "name": "Nghỉ bù", "is_working": ""}
    )
    assert response.status_code == 302
    row = db.session.scalar(select(CalendarOverride).where(CalendarOverride.name == "Nghỉ bù"))
    assert row.day == date(2026, 12, 31)
    page = client.get(f"/admin/holiday/edit/?id={row.id}").get_data(as_text=True)
    field = page[page.index('id="day"') - 200 : page.index('id="day"') + 200]
    assert 'value="31/12/2026"' in field and 'data-date-format="DD/MM/YYYY"' in field, field


def _lookup(client, term):
    response = client.get(
        "/admin/dossier/ajax/lookup/", query_string={"name": "procedure_type", "query": term}
    )
    assert response.status_code == 200
    return [label for _id, label in response.get_json()]


def test_the_procedure_picker_finds_text_without_diacritics(client, login_as, world):
    factories.make_procedure("1.003901", "Cấp giấy phép bưu chính", world.agencies["dept"], 15)
    factories.make_procedure(
        "1.004100", "Cấp giấy phép sử dụng tần số vô tuyến điện", world.agencies["dept"], 10
    )
    db.session.commit()
    login_as("po_clerk")
    assert [x for x in _lookup(client, "buu chinh") if "bưu chính" in x] == [
        x for x in _lookup(client, "bưu chính")
    ]
    assert any("bưu chính" in x for x in _lookup(client, "buu chinh"))
    assert any("tần số" in x for x in _lookup(client, "TAN SO"))
    assert any("1.004477" in x for x in _lookup(client, "1.0044"))
    assert _lookup(client, "khong co thu tuc nay") == []


def test_the_page_size_menu_speaks_vietnamese(client, login_as):
    login_as("it_admin")
    page = client.get("/admin/holiday/").get_data(as_text=True)
    assert "50 dòng" in page and "items" not in page


def test_pickers_speak_vietnamese_in_the_browser(app, live_server, browser):
    seed_demo()
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    watch = Watch(page, live_server)
    sign_in(page, live_server, "it_admin")
    page.goto(f"{live_server}/admin/holiday/new/")
    page.click("#day")
    calendar = page.locator(".daterangepicker").first
    days = [t for t in calendar.locator("thead th").all_inner_texts() if len(t) == 2]
    assert days[:7] == ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]  # Monday first
    assert "Tháng" in calendar.inner_text()
    page.locator(".daterangepicker td.available").nth(10).click()
    assert len(page.input_value("#day").split("/")) == 3  # dd/mm/yyyy

    context.clear_cookies()
    sign_in(page, live_server, "po_clerk")
    page.goto(f"{live_server}/admin/dossier/new/")
    page.click("#s2id_applicant_ward_code")  # wards are searchable
    page.keyboard.type("Gia Sang")
    page.wait_for_selector(".select2-result-label >> text=Phường Gia Sàng")
    page.keyboard.press("Enter")
    assert page.inner_text("#s2id_applicant_ward_code .select2-chosen") == "Phường Gia Sàng"
    page.click(".select2-container >> nth=0")
    page.keyboard.type("khong co thu tuc nay")
    page.wait_for_selector(".select2-no-results")
    assert "Không tìm thấy" in page.locator(".select2-no-results").inner_text()
    watch.check_page()
    context.close()
    assert watch.take() == []


def test_a_save_says_what_was_saved_without_the_generic_message(client, login_as):
    login_as("it_admin")
    response = client.post(
        "/admin/holiday/new/",
        data={"day": "30/12/2026", "name": "Nghỉ theo quyết định 15/QĐ-UBND"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert page.count('class="alert alert-success') == 1
    assert "Đã thêm ngày trong lịch làm việc 30/12/2026 Nghỉ theo quyết định 15/QĐ-UBND" in page
    row = db.session.scalar(
        select(CalendarOverride).where(CalendarOverride.day == date(2026, 12, 30))
    )
    response = client.post(
        f"/admin/holiday/edit/?id={row.id}",
        data={"day": "30/12/2026", "name": "Nghỉ bù", "version_seen": ""},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert page.count('class="alert alert-success') == 1
    assert "Đã lưu ngày trong lịch làm việc" in page


def test_numbers_that_cannot_be_negative_say_so_to_the_browser(client, login_as, world):
    login_as("it_admin")
    procedure = world.procedures["publish"]
    page = client.get(f"/admin/procedure_type/edit/?id={procedure.id}").get_data(as_text=True)
    for field in ('id="fee"', 'id="processing_days"'):
        tag = page[page.rindex("<input", 0, page.index(field)) : page.index(">", page.index(field))]
        assert 'min="0"' in tag, tag
    response = client.post(
        f"/admin/procedure_type/edit/?id={procedure.id}",
        data={"code": procedure.code, "name": procedure.name, "fee": "-5", "processing_days": "3"},
    )
    assert response.status_code == 200  # the form again, with the message
    db.session.refresh(procedure)
    assert procedure.fee == 0
