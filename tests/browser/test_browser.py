"""In a real browser: a counter clerk signs in, opens the dossier list and receives.

The browser, page and live-server fixtures are in conftest.py.
"""

import re

import pytest

from demo.seed import DEMO_PASSWORD_DEFAULT, seed_demo
from tests.conftest import OUTPUT

pytestmark = pytest.mark.browser


def test_po_clerk_signs_in_and_sees_the_dossier_list(app, live_server, page, database_url):
    seed_demo()
    page.goto(f"{live_server}/admin/dossier/")
    assert "/login" in page.url  # not signed in yet: sent to the login page
    page.fill("#username", "po_clerk")
    page.fill("#password", DEMO_PASSWORD_DEFAULT)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/dossier/")

    headers = page.locator("table.model-list thead th").all_inner_texts()
    assert any("Mã hồ sơ" in h for h in headers)
    assert any("Ngày hẹn trả" in h for h in headers)
    assert page.locator("table.model-list tbody tr").count() == 25
    assert page.locator("text=Lê Thị Thuận").count() >= 1  # the signed-in clerk's name
    first_code = page.locator("table.model-list tbody tr td.col-code").first.inner_text()
    assert first_code.startswith(("000.00.15.H55-", "000.00.18.H55-"))

    OUTPUT.mkdir(exist_ok=True)
    engine = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    page.screenshot(path=str(OUTPUT / f"screenshot-dossiers-{engine}.png"))


def test_po_clerk_receives_a_dossier_through_the_form(app, live_server, page):
    seed_demo()
    page.goto(f"{live_server}/login")
    page.fill("#username", "po_clerk")
    page.fill("#password", DEMO_PASSWORD_DEFAULT)
    page.click("form[action='/login'] button[type=submit]")
    page.goto(f"{live_server}/admin/dossier/new/")

    page.click(".select2-container >> nth=0")  # the procedure picker (ajax look-up)
    page.keyboard.type("1.004477")
    page.wait_for_selector(".select2-result-label")
    page.keyboard.press("Enter")
    page.wait_for_selector("#documents-checklist input[type=checkbox]")
    for box in page.locator("#documents-checklist input[type=checkbox]").all():
        box.check()
    page.fill("#extra-so_luong_ban_in", "300")
    page.select_option("#extra-kho_giay", "A5")
    page.fill("#applicant_name", "Hoàng Thị Duyên")
    page.fill("#applicant_phone", "0983 123 456")
    page.fill("#applicant_id_number", "019301004567")
    page.select_option("#applicant_ward_code", index=1, force=True)  # behind its select2
    page.fill("#applicant_street", "Số 12 đường Lương Ngọc Quyến")
    page.click("input[type=submit][value='Lưu']")
    page.wait_for_url("**/admin/dossier/details/**")

    message = page.locator(".alert-success", has_text="Đã tiếp nhận hồ sơ").inner_text()
    found = re.search(
        r"Đã tiếp nhận hồ sơ (\S+)\. Hẹn trả kết quả: (\d\d/\d\d/\d{4} \d\d:\d\d)", message
    )
    assert found, message
    code, due = found.groups()
    assert re.fullmatch(r"000\.00\.15\.H55-\d{6}-\d{4}", code)
    assert code in page.locator("table").first.inner_text()
    assert due in page.locator("table").first.inner_text()
    assert "Tiếp nhận tại quầy" in page.locator("#dossier-timeline").inner_text()
