"""In Chromium, the buttons Flask-Admin wires with inline handlers work under our CSP.

Inline list "Add" buttons (procedure type → documents, extra fields), a bulk
action and a list filter; no console error or CSP violation on the way.
"""

import pytest
from sqlalchemy import select

from demo.seed import seed_demo
from extensions import db
from models import ProcedureType, RequiredDocument, User
from tests.browser.test_browser_screens import sign_in
from tests.browser_watch import Watch

pytestmark = pytest.mark.browser


@pytest.fixture
def open_as(browser, live_server):
    """A signed-in page for a demo user, watched for problems, closed at the end."""
    contexts = []

    def open_page(username):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        watch = Watch(page, live_server)
        sign_in(page, live_server, username)
        return page, watch

    yield open_page
    for context in contexts:
        context.close()


def assert_clean(page, watch):
    watch.check_page()
    problems = watch.take()
    assert problems == [], "\n".join(problems)


def add_inline(page, field_id: str):
    """Click "Add …" of an inline list; the new entry's fields' id prefix."""
    page.click(f"#{field_id}-button")
    entry = page.locator(f"#{field_id} > .inline-field-list > .inline-field").last
    return "#" + entry.get_attribute("id")


def test_it_admin_adds_a_document_and_two_extra_fields_a_clerk_then_fills(open_as, live_server):
    seed_demo()
    procedure = db.session.scalar(select(ProcedureType).where(ProcedureType.code == "1.004477"))
    page, watch = open_as("it_admin")
    page.goto(f"{live_server}/admin/procedure_type/edit/?id={procedure.id}")

    doc = add_inline(page, "documents")
    page.fill(f"{doc}-name", "Bản sao giấy phép kinh doanh")
    page.select_option(f"{doc}-kind", "copy", force=True)  # behind select2
    page.fill(f"{doc}-quantity", "1")
    assert page.get_attribute(f"{doc}-validity_months", "max") == "120"
    page.fill(f"{doc}-validity_months", "3")
    choice = add_inline(page, "extra_fields")
    page.fill(f"{choice}-key", "hinh_thuc_in")
    page.fill(f"{choice}-label", "Hình thức in")
    page.select_option(f"{choice}-field_type", "choice", force=True)
    page.fill(f"{choice}-choices", "Offset\nKỹ thuật số")
    page.check(f"{choice}-required")
    date = add_inline(page, "extra_fields")
    page.fill(f"{date}-key", "ngay_giao_du_kien")
    page.fill(f"{date}-label", "Ngày giao dự kiến")
    page.select_option(f"{date}-field_type", "date", force=True)
    page.click("input[type=submit][value='Lưu']")
    page.wait_for_url("**/admin/procedure_type/")
    assert page.locator(".alert-success").count() == 1
    assert_clean(page, watch)
    added = db.session.scalar(
        select(RequiredDocument).where(RequiredDocument.name == "Bản sao giấy phép kinh doanh")
    )
    assert added.validity_months == 3

    page, watch = open_as("po_clerk")
    page.goto(f"{live_server}/admin/dossier/new/")
    page.click(".select2-container >> nth=0")
    page.keyboard.type("1.004477")
    page.wait_for_selector(".select2-result-label")
    page.keyboard.press("Enter")
    page.wait_for_selector("#extra-hinh_thuc_in")
    checklist = page.locator("#documents-checklist").inner_text()
    assert "Bản sao giấy phép kinh doanh" in checklist
    options = page.locator("#extra-hinh_thuc_in option").all_inner_texts()
    assert options[1:] == ["Offset", "Kỹ thuật số"]
    assert page.get_attribute("#extra-ngay_giao_du_kien", "type") == "text"  # dd/mm/yyyy
    assert page.get_attribute("#extra-ngay_giao_du_kien", "placeholder") == "dd/mm/yyyy"
    assert (
        page.locator("label[for=extra-ngay_giao_du_kien]")
        .inner_text()
        .startswith("Ngày giao dự kiến")
    )
    assert_clean(page, watch)


def test_it_admin_deactivates_users_with_the_bulk_action(open_as, live_server):
    seed_demo()
    viewer = db.session.scalar(select(User).where(User.username == "viewer"))
    page, watch = open_as("it_admin")
    page.goto(f"{live_server}/admin/user/?search=viewer")
    page.check(f"input.action-checkbox[value='{viewer.id}']")
    page.click("text=Với các dòng đã chọn")
    page.click("[data-model-action=deactivate]")  # confirmed by the dialog handler
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-success").count() >= 1
    db.session.expire_all()
    assert db.session.get(User, viewer.id).active is False
    assert_clean(page, watch)


def test_po_clerk_filters_the_dossier_list_by_status(open_as, live_server):
    seed_demo()
    page, watch = open_as("po_clerk")
    page.goto(f"{live_server}/admin/dossier/")
    page.click("text=Thêm bộ lọc")
    page.click("a.filter >> text=Trạng thái")
    page.select_option("table.filters select.filter-val", label="Đã trả kết quả", force=True)
    page.click("#filter_form button[type=submit]")
    page.wait_for_url("**/admin/dossier/?flt*")
    statuses = set(page.locator("table.model-list td.col-status").all_inner_texts())
    assert statuses == {"Đã trả kết quả"}
    assert_clean(page, watch)

    page.click("table.model-list a[title='Xem chi tiết'] >> nth=0")  # the details' own filter
    page.wait_for_url("**/admin/dossier/details/**")
    page.wait_for_load_state("load")  # details_filter.js binds its handler on ready
    rows = page.locator("table.searchable tr")
    total = rows.count()
    page.fill("#fa_filter", "Mã hồ sơ")
    page.keyboard.press("End")  # details_filter.js listens to keyup
    assert 0 < sum(row.is_visible() for row in rows.all()) < total
    assert_clean(page, watch)
