"""What the screens say: no raw codes, records named by their kind, natural titles,
figures that cannot be read as one another, no weeks to come on the home page."""

import json
import re
from datetime import datetime, timedelta

from sqlalchemy import select

from extensions import db
from models import Role
from models.delivery import PostageRate
from services.calendar import LOCAL_TZ
from tests import factories
from views.admin.reports.context import bucket_label


def _flashes(page: str) -> list[str]:
    found = re.findall(
        r'<div class="alert alert-[a-z]+ alert-dismissable"[^>]*>(.*?)</div>', page, re.S
    )
    return [re.sub(r"<[^>]+>|\s+", " ", text).replace("&times;", "").strip() for text in found]


def test_the_permission_grid_names_every_action(client, login_as):
    login_as("it_admin")
    role_id = db.session.scalar(select(Role.id).where(Role.name == "po_supervisor"))
    page = client.get(f"/admin/role/permissions/?id={role_id}").get_data(as_text=True)
    assert "Hủy lô bàn giao" in page
    assert not re.search(r">\s*(cancel|record_event|confirm)\s*<", page)


def test_the_price_list_flash_names_the_zone_in_words(client, login_as):
    login_as("it_admin")
    response = client.post(
        "/admin/postage_rate/new/",
        data={"zone": "outside", "up_to_grams": "3000", "price": "99000"},
        follow_redirects=True,
    )
    flashes = _flashes(response.get_data(as_text=True))
    assert "Đã thêm dòng bảng giá cước Ngoài tỉnh, đến 3000 g." in flashes, flashes
    assert not any("outside" in text for text in flashes)
    assert db.session.scalar(select(PostageRate.price).where(PostageRate.up_to_grams == 3000))


def test_saves_and_refusals_name_the_kind_of_record(client, login_as, world):
    login_as("it_admin")
    refused = client.post("/admin/agency/new/", data={"code": "", "name": ""})
    flashes = _flashes(refused.get_data(as_text=True))
    assert "Chưa thêm được cơ quan: hãy sửa các ô báo đỏ." in flashes, flashes
    agency = world.agencies["po2"]
    saved = client.post(
        f"/admin/agency/edit/?id={agency.id}",
        data={"code": agency.code, "name": "Bưu điện khu vực Ba Bể", "kind": "post_office"},
        follow_redirects=True,
    )
    flashes = _flashes(saved.get_data(as_text=True))
    assert "Đã lưu cơ quan Bưu điện khu vực Ba Bể." in flashes, flashes
    assert not any("bản ghi" in text for text in flashes)


def test_a_dossier_edit_names_the_dossier_it_saved(client, login_as, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    db.session.commit()
    login_as("dept_admin")
    response = client.post(
        f"/admin/dossier/edit/?id={dossier.id}",
        data={
            "return_method": "counter",
            "version_seen": str(dossier.version),
            "applicant_name": "Trần Văn Sửa",
        },
        follow_redirects=True,
    )
    flashes = _flashes(response.get_data(as_text=True))
    assert flashes == [f"Đã lưu hồ sơ {dossier.code}."], flashes


def test_a_handover_with_missing_dossiers_does_not_say_it_twice(client, login_as, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    batch = factories.make_handover([dossier], world.users["po_clerk"])
    batch.has_missing = True
    db.session.commit()
    login_as("po_supervisor")
    page = client.get(f"/admin/handover/details/?id={batch.id}").get_data(as_text=True)
    text = re.sub(r"<[^>]+>|\s+", " ", page)
    assert "Có hồ sơ thiếu Có hồ sơ thiếu" not in re.sub(r"\s*:\s*", " ", text)
    assert "Hồ sơ thiếu khi nhận" in text


def test_the_procedure_form_says_add_a_document_naturally(client, login_as):
    login_as("it_admin")
    page = client.get("/admin/procedure_type/new/").get_data(as_text=True)
    assert "Thêm giấy tờ</a>" in page and "Thêm trường bổ sung</a>" in page
    assert "Giấy tờ mới" in page and "Mới Giấy tờ" not in page


def test_the_two_overdue_figures_of_the_home_page_are_named_apart(client, login_as, world):
    late = factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        received_at=datetime.now(LOCAL_TZ) - timedelta(days=60),
    )
    late.status = "processing"
    db.session.commit()
    login_as("po_supervisor")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Tiếp nhận trong kỳ, đang quá hạn" in page
    assert "Đang quá hạn (mọi kỳ tiếp nhận)" in page


def test_the_weekly_chart_stops_at_this_week(client, login_as):
    login_as("po_supervisor")
    page = client.get("/admin/").get_data(as_text=True)
    data = re.search(
        r'<script type="application/json" id="chart-data"[^>]*>(.*?)</script>', page, re.S
    )
    flow = next(chart for chart in json.loads(data.group(1)) if chart["id"] == "flow")
    today = datetime.now(LOCAL_TZ).date()
    assert flow["labels"][-1] == bucket_label(today - timedelta(days=today.weekday()), "week")
