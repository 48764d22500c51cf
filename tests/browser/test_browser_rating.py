"""In a real browser: the scorecard links a late dossier; a citizen rates "Không hài lòng"
from the receipt's QR link, or at the counter tablet, and the follow-up appears on the
supervisor's home page; the return slip prints from the dossier's page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from demo.seed import DEMO_PASSWORD_DEFAULT, seed_demo
from extensions import db
from models import Dossier, DossierHistory, ProcedureType, User
from models.base import utcnow
from services.reporting.periods import preset
from tests import factories
from tests.browser.test_browser_reports import sign_in
from tests.browser_watch import Watch
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


def sign_in_tablet(page, live_server):
    """The counter tablet signs in and lands on its one screen."""
    watch = Watch(page, live_server)
    page.goto(f"{live_server}/login")
    page.fill("#username", "kiosk1")
    page.fill("#password", DEMO_PASSWORD_DEFAULT)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/counter-rating/")
    return watch


def test_the_counter_tablet_rates_the_clerks_dossier(app, live_server, page, browser):
    seed_demo()
    tablet = sign_in_tablet(page, live_server)
    expect(page.locator("#counter-rating")).to_be_visible()
    tablet.check_page()
    clerk = db.session.scalar(select(User).where(User.username == "po_clerk"))
    procedure = db.session.scalars(select(ProcedureType).order_by(ProcedureType.code)).first()
    dossier = factories.make_dossier(
        procedure, clerk, applicant="Vũ Thị Tablet", received_at=utcnow() - timedelta(seconds=5)
    )
    # The tablet asks every few seconds and reloads itself to the new dossier.
    expect(page.locator("#counter-code")).to_have_text(dossier.code, timeout=20_000)
    assert "Vũ Thị Tablet" not in page.content()  # code and procedure only
    page.check("#overall-dissatisfied")
    page.select_option("#attitude", "dissatisfied")
    page.fill("#comment", "Nhân viên giải thích chưa rõ")
    page.click("#counter-rate-submit")
    expect(page.locator("#counter-waiting")).to_be_visible()
    assert "Cảm ơn ông/bà đã đánh giá." in page.content()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "counter-rating.png"))
    tablet.check_page()
    assert tablet.problems == []

    supervisor = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
    home = supervisor.new_page()
    watch = sign_in(home, live_server, "po_supervisor")
    item = home.locator(f"#follow-ups li[data-code='{dossier.code}']")
    expect(item).to_contain_text("Nhân viên giải thích chưa rõ")
    watch.check_page()
    # The return slip of a dossier returned at the counter, from its page's print button.
    returned = db.session.scalars(
        select(Dossier)
        .join(DossierHistory, DossierHistory.dossier_id == Dossier.id)
        .where(
            Dossier.status == "returned",
            Dossier.post_office_id == clerk.agency_id,
            DossierHistory.action == "return_at_counter",
        )
    ).first()
    home.goto(f"{live_server}/admin/dossier/details/?id={returned.id}")
    watch.check_page()
    with home.context.expect_page() as opened:
        home.click("[data-print-form=return-slip]")
    slip = opened.value
    slip.wait_for_load_state()
    assert slip.url.endswith(f"/print/dossiers/{returned.code}/return-slip")
    slip_watch = Watch(slip, live_server)  # opened by the click: watched from a reload on
    slip.reload()
    expect(slip.locator("h1")).to_have_text("PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ")
    expect(slip.locator("#rating-url")).to_contain_text(f"/rate/{returned.code}?key=")
    slip_watch.check_page()
    supervisor.close()
    assert watch.problems == [] and slip_watch.problems == []
