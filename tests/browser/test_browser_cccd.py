"""In a real browser (issue 19, item 7): the home page's receive button, and the chip ID
card's QR code typed by a scanner filling the applicant on the receipt form."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from extensions import db
from models import Dossier
from tests import factories
from tests.conftest import OUTPUT

pytestmark = pytest.mark.browser

HOA = (
    "019192012345|091234567|Lê Thị Hoa|15081992|Nữ|"
    "Tổ 5, Phường Phan Đình Phùng, Thái Nguyên|01022022"
)


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", factories.PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/**")


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])  # as in production
def test_home_button_then_a_scanned_card_fills_the_applicant(
    app_config, app, live_server, page, world, database_url
):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server, "viewer")
    assert page.locator("#receive-dossier").count() == 0

    sign_in(page, live_server, "po_clerk")
    page.goto(f"{live_server}/admin/")
    page.click("#receive-dossier")
    page.wait_for_url("**/admin/dossier/new/**")

    # A card whose ID disagrees with its sex: a warning, nothing filled.
    page.click("#cccd-qr")
    page.keyboard.type(HOA.replace("|Nữ|", "|Nam|"))
    page.keyboard.press("Enter")  # the scanner's Enter must not submit the receipt
    page.wait_for_selector("#cccd-warning")
    assert "chưa điền gì" in page.inner_text("#cccd-warning")
    assert "ứng với giới tính Nữ, nhưng thẻ ghi Nam" in page.inner_text("#cccd-warning")
    assert page.input_value("#applicant_name") == ""
    assert page.input_value("#applicant_id_number") == ""
    assert "/admin/dossier/new/" in page.url

    # The right card: name, ID, street, province and ward filled.
    page.click("#cccd-qr")
    page.keyboard.type(HOA)
    page.keyboard.press("Enter")
    page.wait_for_selector("#cccd-filled")
    assert page.input_value("#applicant_name") == "Lê Thị Hoa"
    assert page.input_value("#applicant_id_number") == "019192012345"
    assert page.input_value("#applicant_street") == "Tổ 5"
    assert page.input_value("#applicant_province_code") == "19"
    # Waited for by Playwright's own locator, not a string of JavaScript: the page's CSP
    # refuses eval, which wait_for_function needs once it has to poll.
    expect(page.locator("#applicant_ward_code option:checked")).to_have_text(
        "Phường Phan Đình Phùng"
    )
    # What the clerk sees in the searchable pickers, not only the hidden selects.
    assert "Thái Nguyên" in page.inner_text("#s2id_applicant_province_code")
    assert "Phường Phan Đình Phùng" in page.inner_text("#s2id_applicant_ward_code")

    OUTPUT.mkdir(exist_ok=True)
    engine = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    page.screenshot(path=str(OUTPUT / f"receipt-cccd-filled-{engine}.png"), full_page=True)

    # Then the receipt itself, as filled.
    page.click(".select2-container >> nth=0")
    page.keyboard.type("1.004477")
    page.wait_for_selector(".select2-result-label")
    page.keyboard.press("Enter")
    page.wait_for_selector("#documents-checklist input[type=checkbox]")
    page.check("#documents-checklist input[type=checkbox]")
    page.click("input[type=submit][value='Lưu']")
    page.wait_for_url("**/admin/dossier/details/**")
    db.session.expire_all()
    dossier = db.session.scalar(select(Dossier))
    assert (dossier.applicant_name, dossier.applicant_id_number) == ("Lê Thị Hoa", "019192012345")
    assert dossier.applicant_address == "Tổ 5, Phường Phan Đình Phùng, Thái Nguyên"
    assert not errors, errors
