"""The dossier list: filters by procedure, agency and lateness; overdue rows stand out."""

import json
import re
from datetime import datetime, timedelta

from flask_admin.contrib.sqla.filters import FilterEqual

from extensions import db
from services.calendar import LOCAL_TZ
from tests import factories
from views.admin.core.filters import BoundedIntEqualFilter, OverdueFilter


def _filter_arg(app, name, kind=BoundedIntEqualFilter):
    """The URL argument of the dossier list's filter of class KIND named NAME."""
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == "dossier")
    index, flt = next(
        (i, f) for i, f in enumerate(view._filters) if type(f) is kind and str(f.name) == name
    )
    return f"flt0_{view.get_filter_arg(index, flt)}"


def _page(client, query=""):
    return client.get(f"/admin/dossier/?{query}").get_data(as_text=True)


def test_overdue_and_due_today_are_flagged_and_filterable(app, client, login_as, world):
    clerk, publish = world.users["po_clerk"], world.procedures["publish"]
    now = datetime.now(LOCAL_TZ)
    late = factories.make_dossier(publish, clerk, "Đã Quá Hạn", now - timedelta(days=40))
    today = factories.make_dossier(publish, clerk, "Hẹn Hôm Nay", now - timedelta(days=1))
    today.due_at = now + timedelta(minutes=1)  # still today, unless the test runs at midnight
    fine = factories.make_dossier(publish, clerk, "Còn Hạn", now - timedelta(hours=1))
    paused = factories.make_dossier(publish, clerk, "Chờ Bổ Sung", now - timedelta(days=40))
    paused.status = "supplement_requested"
    db.session.commit()
    login_as("po_clerk")
    page = _page(client)
    assert page.count('badge-danger">Quá hạn') == 1
    if today.due_at.astimezone(LOCAL_TZ).date() == now.date():
        assert 'badge-warning">Đến hạn hôm nay' in page
    arg = _filter_arg(app, "Ngày hẹn trả", OverdueFilter)
    overdue = _page(client, f"{arg}=overdue")
    assert late.applicant_name in overdue
    for name in (fine.applicant_name, paused.applicant_name, today.applicant_name):
        assert name not in overdue


def test_filters_by_procedure_and_resolving_agency(app, client, login_as, world):
    clerk = world.users["po_clerk"]
    factories.make_dossier(world.procedures["publish"], clerk, "Xuất Bản")
    factories.make_dossier(world.procedures["karaoke"], clerk, "Karaoke Bắc Kạn")
    login_as("po_clerk")
    by_procedure = _page(client, f"{_filter_arg(app, 'Thủ tục')}={world.procedures['karaoke'].id}")
    assert "Karaoke Bắc Kạn" in by_procedure and "Xuất Bản" not in by_procedure
    dept = world.agencies["dept"].id
    by_agency = _page(client, f"{_filter_arg(app, 'Cơ quan giải quyết')}={dept}")
    assert "Xuất Bản" in by_agency and "Karaoke Bắc Kạn" not in by_agency


def test_search_matches_code_phone_and_citizen_id(client, login_as, world):
    dossier = factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        "Đặng Thị Ngân",
        applicant_phone="0369111222",
        applicant_id_number="006302009876",
    )
    factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        "Người Khác",
        applicant_phone="0912000000",
        applicant_id_number="019201000000",
    )
    login_as("po_clerk")
    for term in ("0369111222", "006302009876", "dang thi ngan", "NGÂN"):
        page = _page(client, f"search={term}")
        assert "Đặng Thị Ngân" in page and "Người Khác" not in page, term
    # A whole code opens the dossier itself (issue 19): tests/panel/test_code_shortcuts.py.
    opened = client.get(f"/admin/dossier/?search={dossier.code}")
    assert opened.location.endswith(f"/admin/dossier/details/?id={dossier.id}")


def test_a_status_is_filtered_by_equality_not_by_contains(app, client, login_as, world):
    """A column of known values offers equals / in the list (an index serves them), not
    Flask-Admin's "contains" (Status contains Processing: odd, and a scan of the table)."""

    clerk, publish = world.users["po_clerk"], world.procedures["publish"]
    working = factories.make_dossier(publish, clerk, "Đang Làm")
    working.status = "processing"
    factories.make_dossier(publish, clerk, "Mới Nhận")
    db.session.commit()
    login_as("po_clerk")
    page = _page(client)
    data = re.search(r'id="filter-groups-data"[^>]*>(.*?)</div>', page, re.S).group(1)
    groups = json.loads(data.replace("&#34;", '"').replace("&amp;", "&"))
    operations = [f["operation"] for f in groups["Trạng thái"]]
    assert operations[0] == "bằng"
    assert "chứa" not in operations and "không chứa" not in operations
    first = _filter_arg(app, "Trạng thái", kind=FilterEqual)
    filtered = _page(client, f"{first}=processing")
    assert "Đang Làm" in filtered and "Mới Nhận" not in filtered


def test_rows_escape_what_applicants_typed_and_keep_buttons_and_checkboxes(
    app, client, login_as, world
):
    """The rows drawn in one call per page (views/admin/core/fast_rows.py) escape every typed
    value, while badges and the row's buttons stay HTML; a screen with bulk actions keeps
    its checkbox per row."""
    clerk, publish = world.users["po_clerk"], world.procedures["publish"]
    typed = '<script>alert("x")</script> & Co'
    dossier = factories.make_dossier(publish, clerk, typed)
    db.session.commit()
    login_as("po_clerk")
    page = _page(client)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in page
    row = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(dossier.code)}.*?</tr>", page, re.S).group(0)
    assert f'href="/admin/dossier/details/?id={dossier.id}&amp;' in row  # the eye button
    assert 'status-badge">Đã tiếp nhận</span>' in row
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == "dossier")
    assert row.count('<td class="col-') == len(view.column_list)

    login_as("it_admin")
    users = client.get("/admin/user/").get_data(as_text=True)
    viewer = world.users["viewer"]
    assert f'class="action-checkbox" value="{viewer.id}" title="Chọn dòng này"' in users


def test_percent_and_underscore_in_a_search_are_searched_as_themselves(client, login_as, world):
    clerk, publish = world.users["po_clerk"], world.procedures["publish"]
    owned = factories.make_dossier(publish, clerk, "Công ty 100% vốn Nhà nước")
    others = factories.make_dossier(publish, clerk, "Công ty 1000 người")
    underscored = factories.make_dossier(publish, clerk, "Hộ kinh doanh A_B")
    login_as("po_clerk")
    percent = _page(client, "search=100%25")
    assert owned.code in percent and others.code not in percent
    underscore = _page(client, "search=a_b")
    assert underscored.code in underscore and owned.code not in underscore
