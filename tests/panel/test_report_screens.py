"""The reports page, the review, the XLSX downloads and the dashboard, as users see them."""

import io
import json
import re
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry
from services.calendar import LOCAL_TZ
from services.reporting.tracking_book import COLUMNS
from tests.report_workload import build_month

MARCH = "preset=custom&from=01/03/2026&to=31/03/2026"


@pytest.fixture
def month(world):
    return build_month(world)


def figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', page).group(1)


def workbook(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.data))


def no_formulas(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_the_page_shows_the_scope_figures_of_the_period(client, login_as, month):
    login_as("dept_admin")
    page = client.get(f"/admin/report/?{MARCH}").get_data(as_text=True)
    assert "Số liệu từ 01/03/2026 đến 31/03/2026" in page
    assert figure(page, "received") == "13" and figure(page, "completed_late") == "3"
    assert figure(page, "on_time_rate") == "62,5 %"
    assert figure(page, "handover_delay_median") == "24,0 giờ"
    assert "Sở Văn hóa" not in page  # the other department is neither a row nor a choice
    charts = json.loads(re.search(r'id="chart-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert [c["id"] for c in charts] == ["flow", "ontime", "returns"]
    assert sum(charts[0]["series"][0]["data"]) == 13


def test_bad_days_fall_back_with_a_message(client, login_as, month):
    login_as("viewer")
    page = client.get("/admin/report/?preset=custom&from=31/02/2026&to=x").get_data(as_text=True)
    assert "Ngày nhập chưa hợp lệ" in page and "is-invalid" in page
    assert client.get("/admin/report/?preset=nope&agency=99999999999").status_code == 200


def test_filters_narrow_the_page(client, login_as, world, month):
    login_as("it_admin")
    same_day = world.procedures["same_day"].id
    page = client.get(f"/admin/report/?{MARCH}&procedure={same_day}").get_data(as_text=True)
    assert figure(page, "received") == "1" and figure(page, "overdue") in ("0", "1")


def test_xlsx_of_what_is_shown_is_audited_and_formula_free(client, login_as, month):
    login_as("viewer")
    book = workbook(client.get(f"/admin/report/export.xlsx?{MARCH}"))
    assert book.sheetnames == [
        "Số liệu",
        "Theo cơ quan giải quyết",
        "Theo thủ tục",
        "Theo bưu cục",
    ]
    totals = {row[0]: row[1] for row in book["Số liệu"].iter_rows(min_row=3, values_only=True)}
    assert totals["Hồ sơ tiếp nhận"] == 15 and totals["Tỷ lệ đúng hạn (%)"] == 55.6
    offices = list(book["Theo bưu cục"].iter_rows(min_row=2, values_only=True))
    assert offices[0][:2] == ("Bưu điện tỉnh", 14)
    no_formulas(book)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "report")).one()
    assert entry.action == "export" and entry.actor_username == "viewer"


def test_tracking_book_columns_rows_scope_and_no_formulas(client, login_as, month):
    month["a"].notes = '=HYPERLINK("http://evil","x")'
    month["b"].applicant_name = "+84 @Nguyễn"
    db.session.commit()
    login_as("dept_admin")
    book = workbook(client.get("/admin/report/tracking-book.xlsx?from=2026-03-01&to=2026-03-31"))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("SỔ THEO DÕI HỒ SƠ") and rows[1] == COLUMNS
    body = rows[2:]
    assert len(body) == 13 and [r[0] for r in body] == list(range(1, 14))
    assert {r[1] for r in body} == {d.code for k, d in month.items() if k in "abcdefhijklmn"}
    first = next(r for r in body if r[1] == month["a"].code)
    assert first[5] == datetime(2026, 3, 10, 9, 30) and first[6] == datetime(2026, 3, 24, 9, 30)
    assert first[7] == datetime(2026, 3, 11, 9, 30) and first[9] and first[10].endswith('"x")')
    assert next(r for r in body if r[1] == month["b"].code)[3] == "'+84 @Nguyễn"  # stays text
    no_formulas(book)
    assert db.session.scalars(select(AuditEntry.summary).where(AuditEntry.entity == "report")).one()


def test_tracking_book_dates_are_date_cells_under_a_frozen_header(client, login_as, month):
    """Excel sorts and filters the days as days, shown dd/mm/yyyy in the office's time zone,
    and the title and column names stay in sight while scrolling."""
    login_as("po_supervisor")
    book = workbook(client.get("/admin/report/tracking-book.xlsx?from=01/03/2026&to=31/03/2026"))
    sheet = book.active
    assert sheet.freeze_panes == "A3"
    row = next(r for r in sheet.iter_rows(min_row=3) if r[1].value == month["a"].code)
    received, due = row[5], row[6]
    assert received.is_date and received.value == datetime(2026, 3, 10, 9, 30)
    assert received.number_format.startswith("dd/mm/yyyy")
    assert due.is_date and due.value == datetime(2026, 3, 24, 9, 30)
    assert due.number_format.startswith("dd/mm/yyyy")


def test_downloads_are_named_on_the_office_clock(client, login_as, month):
    """File names carry the local time (UTC+7), not the server's UTC clock."""
    login_as("po_supervisor")
    before = datetime.now(LOCAL_TZ)
    names = [
        client.get(url).headers["Content-Disposition"]
        for url in (
            "/admin/report/tracking-book.xlsx?from=01/03/2026&to=31/03/2026",
            f"/admin/report/export.xlsx?{MARCH}",
            "/admin/dossier/export/csv/",
        )
    ]
    after = datetime.now(LOCAL_TZ)
    stamps = {f"{t:%Y-%m-%d_%H-%M}" for t in (before, after)}
    for name in names:
        assert any(stamp in name for stamp in stamps), (name, stamps)
    assert "so-theo-doi-20260301-20260331_" in names[0]
    assert "bao-cao-20260301-20260331_" in names[1]


def test_tracking_book_refuses_a_bad_period(client, login_as, world):
    login_as("it_admin")
    assert (
        client.get("/admin/report/tracking-book.xlsx?from=2026-03-31&to=2026-03-01").status_code
        == 400
    )
    assert client.get("/admin/report/tracking-book.xlsx?from=x").status_code == 400


def test_review_reads_each_change_aloud(client, login_as, month):
    login_as("it_admin")
    query = "a_preset=custom&a_from=01/03/2026&a_to=31/03/2026&against=custom"
    page = client.get(f"/admin/report/review?{query}&b_from=01/02/2026&b_to=28/02/2026")
    text = page.get_data(as_text=True)
    assert "01/03/2026 – 31/03/2026" in text and "01/02/2026 – 28/02/2026" in text
    assert (
        "Hồ sơ tiếp nhận: 15, tăng 14 (1.400,0 %) so với 1 của kỳ 01/02/2026 – 28/02/2026." in text
    )
    assert "Tỷ lệ đúng hạn: 55,6 %; kỳ 01/02/2026 – 28/02/2026 không có số liệu để so sánh." in text
    assert "Giải quyết trễ hạn: 4, tăng 4" in text and "cần lưu ý" in text
    year = client.get(f"/admin/report/review?{query.replace('custom', 'year_before', 1)}")
    assert year.status_code == 200


def test_dashboard_is_the_home_page(client, login_as, month):
    login_as("po_supervisor")
    page = client.get("/admin/").get_data(as_text=True)
    assert 'id="dashboard"' in page and 'data-chart="flow"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page and "<script>" not in page
    assert re.search(r'data-figure-year="received">12 tháng: \d', page)
