"""In a real browser: the scorecard links a late dossier; a citizen rates "Không hài lòng"
from the receipt's QR link and the follow-up appears on the supervisor's home page."""

import pytest
from sqlalchemy import select

from demo.seed import seed_demo
from extensions import db
from models import Dossier
from services.reporting.periods import preset
from tests.browser.test_browser_reports import sign_in
from tests.conftest import OUTPUT

pytestmark = pytest.mark.browser


def test_the_scorecard_links_a_late_dossier(app, live_server, page):
    seed_demo()
    watch = sign_in(page, live_server, "po_supervisor")
    page.click("#open-reports")
    page.wait_for_url("**/admin/report/")
    page.click("#scorecard-tab")
    page.wait_for_url("**/admin/report/scorecard")
    year = preset("this_year")
    page.fill("#from", f"{year.first:%d/%m/%Y}")
    page.fill("#to", f"{year.last:%d/%m/%Y}")
    page.click("#scorecard-show")
    page.wait_for_selector("#scorecard-table")
    assert "chưa có dữ liệu" in page.locator("tr[data-indicator='1.4']").inner_text()
    first = page.locator("#losing-table a.losing-code").first
    code = first.inner_text()
    first.click()
    page.wait_for_url("**/admin/dossier/details/**")
    assert code in page.content()
    watch.check_page()
    assert watch.problems == []


def test_a_citizen_dislikes_and_the_supervisor_follows_up(app, live_server, page, browser):
    seed_demo()
    dossier = db.session.scalars(
        select(Dossier).where(Dossier.rating_key.is_not(None), Dossier.status == "processing")
    ).first()
    watch = sign_in(page, live_server, "po_supervisor")
    page.goto(f"{live_server}/print/dossiers/{dossier.code}/receipt")
    link = page.locator("#rating-url").inner_text()
    assert link.endswith(f"/rate/{dossier.code}?key={dossier.rating_key}")
    citizen = browser.new_context().new_page()  # the applicant's own phone: nobody signed in
    citizen.goto(live_server + link[link.index("/rate/") :])
    assert dossier.applicant_name not in citizen.content()
    citizen.check("#overall-dissatisfied")
    citizen.select_option("#timeliness", "dissatisfied")
    citizen.fill("#comment", "Phải chờ lâu ở quầy")
    citizen.click("#rate-submit")
    citizen.wait_for_selector("#rate-thanks")
    OUTPUT.mkdir(exist_ok=True)
    citizen.screenshot(path=str(OUTPUT / "rating-thanks.png"))
    page.goto(f"{live_server}/admin/")
    item = page.locator(f"#follow-ups li[data-code='{dossier.code}']")
    assert "Phải chờ lâu ở quầy" in item.inner_text()
    page.screenshot(path=str(OUTPUT / "follow-ups.png"), full_page=True)
    item.locator("input[name=note]").fill("Đã gọi lại, xin lỗi ông bà")
    item.locator(".follow-up-called").click()
    page.wait_for_selector(f"#follow-ups li[data-code='{dossier.code}'] .follow-up-close")
    page.locator(f"#follow-ups li[data-code='{dossier.code}'] .follow-up-close").click()
    page.wait_for_load_state()
    assert page.locator(f"#follow-ups li[data-code='{dossier.code}']").count() == 0
    watch.check_page()
    assert watch.problems == []
