"""The periodic report page and its XLSX: figures as the service's, rows per agency then its
procedures, each role's access, the user's scope, bad days."""

import io
import re

import openpyxl
import pytest

from tests.report_workload import build_month

MARCH = "/admin/report/periodic?from=2026-03-01&to=2026-03-31"
ROLES = ("it_admin", "viewer", "po_supervisor", "po_clerk", "dept_admin", "dept_admin2")


@pytest.fixture
def month(world):
    return build_month(world)


def total(page: str, name: str) -> str:
    foot = page.split('id="periodic-total"', 1)[1]
    return re.search(rf'data-figure="{name}">([^<]*)<', foot).group(1)


def test_the_page_shows_the_report_as_published(client, login_as, month):
    login_as("po_supervisor")
    page = client.get(MARCH).get_data(as_text=True)
    assert "Báo cáo định kỳ từ 01/03/2026 đến 31/03/2026" in page
    assert "Tồn kỳ trước chuyển sang" in page and "Qua dịch vụ bưu chính công ích" in page
    assert total(page, "carried_over") == "1" and total(page, "to_handle") == "15"
    assert total(page, "in_progress_overdue") == "3"
    rows = re.findall(r'class="periodic-(agency|procedure)"', page)
    assert rows[0] == "agency" and "procedure" in rows  # each agency, then its procedures


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_its_scope_and_exports_when_allowed(client, login_as, month, role):
    login_as(role)
    assert client.get(MARCH).status_code == 200
    response = client.get(MARCH + "&format=xlsx")
    if role == "po_clerk":  # may view the reports, not take them out
        assert response.status_code == 403
        return
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "Báo cáo định kỳ" in values[0][0]
    assert values[1][:3] == ["Mã", "Tên", "Tồn kỳ trước chuyển sang"]
    assert values[-1][1] == "Tổng cộng"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    expected = {"dept_admin2": 2, "po_supervisor": 15, "dept_admin": 14}.get(role, 16)
    assert values[-1][6] == expected  # to handle


def test_post_offices_as_rows_and_bad_days(client, login_as, month):
    login_as("viewer")
    page = client.get(MARCH + "&by=post_office").get_data(as_text=True)
    assert page.count('class="periodic-post_office"') == 2
    page = client.get("/admin/report/periodic?from=31/02/2026&to=x").get_data(as_text=True)
    assert "Ngày đã nhập chưa hợp lệ" in page and "is-invalid" in page
    assert client.get("/admin/report/periodic?from=31/02/2026&format=xlsx").status_code == 400
    assert client.get("/admin/report/periodic?by=%00").status_code in (200, 400)


def test_signed_out_goes_to_the_login(client, month):
    response = client.get(MARCH)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


SCORECARD = "/admin/report/scorecard?from=2026-03-01&to=2026-03-31"


@pytest.mark.parametrize("role", ROLES)
def test_the_scorecard_for_each_role_lists_its_losing_dossiers(client, login_as, month, role):
    login_as(role)
    response = client.get(SCORECARD)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Chỉ số 766 của quầy" in page and "chưa có dữ liệu" in page
    links = re.findall(r'class="losing-code" href="([^"]+)">([^<]+)<', page)
    codes = {code for _href, code in links}
    assert (month["p"].code in codes) == (role in ("it_admin", "viewer", "dept_admin2"))
    assert (month["f"].code in codes) == (role != "dept_admin2")
    for href, _code in links[:2]:  # each links to its dossier, which the user may open
        assert client.get(href).status_code == 200


def test_the_scorecard_pages_and_bad_input(client, login_as, month):
    login_as("viewer")
    assert 'id="losing-next"' not in client.get(SCORECARD).get_data(as_text=True)
    assert client.get(SCORECARD + "&page=2").status_code == 200
    assert client.get(SCORECARD + "&page=abc").status_code == 200
    page = client.get("/admin/report/scorecard?from=2026-13-01").get_data(as_text=True)
    assert "is-invalid" in page


def test_a_correction_after_the_period_ended_is_said(client, login_as, world):
    """A closed month changes only by a step dated in it (or before) but recorded after it
    ended; the page names how many dossiers and links each."""
    from sqlalchemy import update

    from extensions import db
    from models import DossierHistory
    from services.reporting import periodic
    from services.reporting.periods import Period
    from tests.print_helpers import at, received, take

    kept = received(world, when=at(10, 9, 30))
    withdrawn = received(world, when=at(12, 9, 30))
    # Everything so far was written at its time (the test's clock is not the app's).
    db.session.execute(update(DossierHistory).values(recorded_at=None))
    db.session.commit()
    march, april = (
        Period(at(1).date(), at(31).date()),
        Period(at(1, month=4).date(), at(30, month=4).date()),
    )
    assert periodic.corrections(world.users["it_admin"], march, periodic.Filters()).count == 0
    late = received(world, when=at(30, 16))  # a March receipt entered after March ended
    take(withdrawn, "withdraw", world.users["po_clerk"], at(2, 10, month=4))  # dated April
    login_as("po_supervisor")
    page = client.get(MARCH).get_data(as_text=True)
    notice = page.split('id="periodic-corrected"', 1)[1].split("</div>", 1)[0]
    assert "Số liệu đã được điều chỉnh sau khi kỳ kết thúc: 1 hồ sơ" in notice
    assert re.findall(r'class="periodic-corrected-code" href="([^"]+)">([^<]+)<', notice) == [
        (f"/admin/dossier/details/?id={late.id}", late.code)
    ]
    assert kept.code not in notice and withdrawn.code not in notice
    found = periodic.corrections(world.users["po_supervisor"], april, periodic.Filters())
    assert found.count == 2 and {c for _i, c in found.dossiers} == {late.code, withdrawn.code}
    feb = client.get("/admin/report/periodic?from=2026-02-01&to=2026-02-28").get_data(True)
    assert 'id="periodic-corrected"' not in feb
    login_as("dept_admin2")  # another department's dossiers: not in its scope
    assert 'id="periodic-corrected"' not in client.get(MARCH).get_data(as_text=True)
