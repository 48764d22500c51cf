"""In a real browser: the dashboard and the reports page draw their charts, no console error."""

import pytest
from sqlalchemy import select

from demo.seed import DEMO_PASSWORD_DEFAULT, seed_demo
from extensions import db
from models.export import ReportExport
from tests import factories
from tests.browser_watch import Watch
from tests.conftest import OUTPUT

pytestmark = pytest.mark.browser


def sign_in(page, live_server, username):
    """Sign in, watching the page for console errors, CSP violations and failed requests."""
    watch = Watch(page, live_server)  # console errors, CSP violations, failed requests
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD_DEFAULT)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/")
    return watch


def charts_drawn(page):
    page.wait_for_selector("canvas[data-chart='returns'][data-drawn='1']")
    return page.locator("canvas[data-drawn='1']").count()


@pytest.mark.parametrize("username", ["po_supervisor", "dept_admin", "viewer"])
def test_dashboard_draws_its_charts(app, live_server, page, database_url, username):
    seed_demo()
    watch = sign_in(page, live_server, username)
    assert charts_drawn(page) == 3
    assert page.locator("#dashboard .kpi").count() == 8
    assert "Tỷ lệ đúng hạn" in page.locator("#dashboard").inner_text()
    OUTPUT.mkdir(exist_ok=True)
    engine = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    page.screenshot(path=str(OUTPUT / f"dashboard-{username}-{engine}.png"))
    page.locator("details.chart-table summary").first.click()  # the chart's table opens
    assert (
        page.locator("#table-flow tbody tr").count() >= 48
    )  # 11 months and more, no weeks to come
    watch.check_page()
    assert watch.problems == []


def test_reports_page_buttons_and_downloads(app, live_server, page):
    seed_demo()
    watch = sign_in(page, live_server, "po_supervisor")
    page.click("#open-reports")
    page.wait_for_url("**/admin/report/")
    assert charts_drawn(page) == 3
    page.select_option("#preset", "this_year")
    page.click("#report-show")
    page.wait_for_url("**preset=this_year**")
    page.fill("#from", "01/06/2026")  # typing days switches to custom days
    page.fill("#to", "30/11/2026")
    assert page.locator("#preset").input_value() == "custom"
    page.click("#report-show")
    page.wait_for_url("**from=01%2F06%2F2026**")
    assert "01/06/2026 đến 30/11/2026" in page.locator("#report-period").inner_text()
    assert page.locator("#by-procedure tbody tr").count() >= 2
    page.screenshot(path=str(OUTPUT / "reports-page.png"), full_page=True)
    page.click("#report-xlsx")  # six months: made by the workers, not by this request
    page.click("#export-ask")
    page.wait_for_url("**/admin/report/exports/")
    assert "Báo cáo số liệu 01/06/2026–30/11/2026" in page.locator("#exports-table").inner_text()
    assert "Đang chờ" in page.locator(".export-state").first.inner_text()
    assert factories.run_workers() >= 1  # what `flask outbox worker` does
    ready = page.locator(".export-link a").first  # the page asks, then shows the download
    ready.wait_for(timeout=20_000)
    with page.expect_download() as figures:
        ready.click()
    assert figures.value.suggested_filename == "bao-cao-20260601-20261130.xlsx"
    page.screenshot(path=str(OUTPUT / "my-downloads.png"), full_page=True)
    made = db.session.scalar(select(ReportExport).order_by(ReportExport.id.desc()).limit(1))
    made.status, made.error, made.content = "failed", "Không tạo được tệp: OperationalError.", None
    db.session.commit()  # as a worker leaves a file it could not make
    page.reload()
    page.locator(".export-again button").click()  # «Tạo lại»: the same file, asked again
    page.wait_for_url("**/admin/report/exports/")
    assert "đang được tạo" in page.locator(".alert").first.inner_text()
    assert page.locator("#exports-table tbody tr").count() == 2
    assert factories.run_workers() == 1
    page.goto(f"{live_server}/admin/report/?preset=last_month")  # a month: straight away
    with page.expect_download() as book:
        page.click("#tracking-book")
    assert book.value.suggested_filename.startswith("so-theo-doi-")
    page.click("#review-tab")
    page.select_option("#against", "before")
    page.click("#review-show")
    page.wait_for_url("**against=before**")
    assert page.locator("#review-table tbody tr").count() >= 15
    page.screenshot(path=str(OUTPUT / "review-page.png"), full_page=True)
    watch.check_page()
    assert watch.problems == []
