"""In a real browser, as a user would meet them: preset periods fill their days, days typed
dd/mm/yyyy under an English browser, the printed forms' motto inside the sheet, the lists
on a 390-px phone."""

import re

import pytest

from demo.seed import DEMO_PASSWORD_DEFAULT, seed_demo
from extensions import db
from tests import factories
from tests.conftest import OUTPUT
from tests.print_helpers import at, hand_over, received

pytestmark = pytest.mark.browser


def sign_in(page, live_server, username):
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", factories.PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/")


def engine(database_url) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


MOTTO_INSIDE = """() => {
  const sheet = document.querySelector('main.sheet');
  const style = getComputedStyle(sheet);
  const box = sheet.getBoundingClientRect();
  const inner = box.right - parseFloat(style.paddingRight);
  return [...document.querySelectorAll('.heading .motto div, .heading .issuer div')]
    .filter(el => el.getBoundingClientRect().right > inner + 0.5
                  || el.scrollWidth > el.clientWidth + 1)
    .map(el => el.textContent.trim());
}"""


def test_the_printed_motto_stays_inside_the_sheet(app, world, live_server, page, database_url):
    """The agency's long name and the national motto share the heading: both inside the
    sheet's margins on screen, with each form's longest heading."""
    po = world.agencies["po"]
    po.name = "Bưu điện tỉnh Bắc Kạn - Trung tâm Phục vụ hành chính công"
    dossier = received(world, applicant="Hoàng Văn Đức")
    batch = hand_over(world, [dossier], at(10, 10), at(10, 14))
    db.session.commit()
    sign_in(page, live_server, "po_supervisor")
    urls = [f"/print/dossiers/{dossier.code}/{form}" for form in ("receipt", "control-slip")]
    urls.append(f"/print/handovers/{batch.code}")
    for url in urls:
        page.goto(f"{live_server}{url}")
        page.evaluate("document.fonts.ready.then(() => true)")
        outside = page.evaluate(MOTTO_INSIDE)
        name = re.sub(r"\W+", "-", url.strip("/"))
        page.screenshot(path=str(OUTPUT / f"fit-{name}-{engine(database_url)}.png"))
        assert outside == [], (url, outside)


def test_a_preset_period_fills_its_days(app, world, live_server, page):
    sign_in(page, live_server, "po_supervisor")
    page.goto(f"{live_server}/admin/report/")
    page.select_option("#preset", "last_month")
    first, last = page.input_value("#from"), page.input_value("#to")
    day, month, year = (int(x) for x in first.split("/"))
    assert day == 1 and re.fullmatch(r"\d{2}/\d{2}/\d{4}", last)
    assert last.endswith(f"/{month:02d}/{year}") and int(last[:2]) >= 28
    page.select_option("#preset", "this_year")
    assert page.input_value("#from") == f"01/01/{page.input_value('#to')[-4:]}"
    assert page.input_value("#to").startswith("31/12/")
    assert page.input_value("#preset") == "this_year"  # filling the days keeps the preset
    page.click("#report-show")
    page.wait_for_url("**preset=this_year**")
    assert page.input_value("#from").startswith("01/01/")


def test_a_day_typed_in_a_list_filter_under_an_english_browser(
    app, world, live_server, browser, database_url
):
    """An English-language browser still types and reads dd/mm/yyyy (no native date box)."""
    march = received(world, applicant="Lý Thị Tháng Ba", when=at(10, 9, 30))
    april = received(world, applicant="Đỗ Văn Tháng Tư", when=at(2, 9, 30, month=4))
    db.session.commit()
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, live_server, "po_supervisor")
        page.goto(f"{live_server}/admin/dossier/")
        page.click("a.nav-link:has-text('Thêm bộ lọc')")
        page.click(".field-filters a.filter:has-text('tiếp nhận')")
        row = page.locator("table.filters tr").last
        row.locator("select.filter-op").select_option(label="trong ngày", force=True)
        value = row.locator("input.filter-val")
        assert value.get_attribute("type") != "date"
        value.fill("10/03/2026")
        value.press("Enter")
        page.wait_for_url("**_received_at_on_the_day=10%2F03%2F2026**")
        page.screenshot(path=str(OUTPUT / f"fit-filter-en-{engine(database_url)}.png"))
        assert page.locator(f"a:has-text('{march.code}')").count() == 1
        assert page.locator(f"a:has-text('{april.code}')").count() == 0
        shown = page.locator("table.filters input.filter-val").last.input_value()
        assert shown == "10/03/2026"
    finally:
        context.close()


def test_the_dossier_list_fits_a_390_px_phone(app, world, live_server, browser, database_url):
    dossier = received(world, applicant="Nguyễn Thị Minh Khai Phương")
    db.session.commit()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    try:
        sign_in(page, live_server, "po_clerk")
        page.goto(f"{live_server}/admin/dossier/")
        page.screenshot(
            path=str(OUTPUT / f"fit-phone-list-{engine(database_url)}.png"), full_page=True
        )
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        link = page.locator(f"a.dossier-code:has-text('{dossier.code}')")
        assert link.is_visible() and link.bounding_box()["x"] + link.bounding_box()["width"] <= 390
        badge = page.locator("td .status-badge").first
        assert (
            badge.is_visible() and badge.bounding_box()["x"] + badge.bounding_box()["width"] <= 390
        )
    finally:
        context.close()


def test_the_receipt_form_marks_required_extra_fields_and_reads_days(app, live_server, page):
    """A required extra field carries the same red mark as the form's own fields; the
    receipt time is shown and typed dd/mm/yyyy hh:mm."""
    seed_demo()
    page.goto(f"{live_server}/login")
    page.fill("#username", "po_clerk")
    page.fill("#password", DEMO_PASSWORD_DEFAULT)
    page.click("form[action='/login'] button[type=submit]")
    page.goto(f"{live_server}/admin/dossier/new/")
    page.click(".select2-container >> nth=0")
    page.keyboard.type("1.004477")
    page.wait_for_selector(".select2-result-label")
    page.keyboard.press("Enter")
    page.wait_for_selector("#extra-fields")
    mark = page.locator("label[for='extra-kho_giay'] strong.text-danger")
    assert mark.inner_text().strip() == "*"
    own = page.locator("label[for='applicant_name'] strong.text-danger")
    colour = "el => getComputedStyle(el).color"
    assert mark.evaluate(colour) == own.evaluate(colour)
    assert page.locator("label[for='extra-ngay_phat_hanh'] strong.text-danger").count() == 0
    day = page.locator("#extra-ngay_phat_hanh")  # a day field: typed dd/mm/yyyy, no native box
    assert day.get_attribute("type") == "text" and day.get_attribute("placeholder") == "dd/mm/yyyy"
    assert page.get_attribute("#received_at", "data-date-format") == "DD/MM/YYYY HH:mm"
    page.locator("#procedure-details").screenshot(path=str(OUTPUT / "fit-receipt-extra.png"))
