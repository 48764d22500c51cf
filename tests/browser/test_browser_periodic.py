"""In a real browser: the supervisor opens last month's periodic report and downloads it."""

import io

import openpyxl
import pytest

from demo.seed import seed_demo
from services.reporting.periods import preset
from tests.browser.test_browser_reports import sign_in
from tests.conftest import OUTPUT

pytestmark = pytest.mark.browser


def test_last_months_periodic_report_and_its_xlsx(app, live_server, page):
    seed_demo()
    watch = sign_in(page, live_server, "po_supervisor")
    page.click("#open-reports")
    page.wait_for_url("**/admin/report/")
    page.click("#periodic-tab")
    page.wait_for_url("**/admin/report/periodic")
    last = preset("last_month")
    heading = page.locator("#periodic-period").inner_text()
    assert f"{last.first:%d/%m/%Y} đến {last.last:%d/%m/%Y}" in heading
    assert page.locator("#periodic-table tbody tr.periodic-agency").count() >= 1
    assert page.locator("#periodic-table tbody tr.periodic-procedure").count() >= 1
    page.select_option("#periodic-by", "post_office")
    page.click("#periodic-show")
    page.wait_for_url("**by=post_office**")
    assert page.locator("#periodic-table tbody tr.periodic-post_office").count() >= 1
    with page.expect_download() as download:
        page.click("#periodic-xlsx")
    assert download.value.suggested_filename.startswith("bao-cao-dinh-ky-")
    with open(download.value.path(), "rb") as saved:  # a temp name without .xlsx
        book = openpyxl.load_workbook(io.BytesIO(saved.read()))
    assert book.worksheets[0].cell(row=2, column=3).value == "Tồn kỳ trước chuyển sang"
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "periodic-report.png"), full_page=True)
    watch.check_page()
    assert watch.problems == []
