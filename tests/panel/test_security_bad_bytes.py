"""NUL and other control characters at every door: a clear 400, never a 500."""

import re

import pytest

from tests import factories
from tests.factories import PASSWORD

BAD = ["%00", "a%00b", "%01", "x%1Fy", "%7F"]
PAGE_TITLE = "Ký tự không hợp lệ"


def _refused_page(response):
    assert response.status_code == 400, response.status_code
    assert PAGE_TITLE in response.get_data(as_text=True)


def _refused_json(response, field=None):
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["message"]
    if field:
        assert field in error["fields"]


@pytest.mark.parametrize("bad", BAD)
def test_public_doors(client, world, bad):
    _refused_page(client.get(f"/lookup?code={bad}"))
    _refused_page(client.get(f"/login?next=/admin/{bad}"))
    raw = bad.replace("%00", "\x00").replace("%01", "\x01").replace("%1F", "\x1f")
    raw = raw.replace("%7F", "\x7f")
    _refused_page(client.post("/login", data={"username": f"po_clerk{raw}", "password": "x"}))
    _refused_page(client.post("/login", data={"username": "po_clerk", "password": raw}))
    _refused_page(client.post("/login", data={f"user{raw}": "po_clerk", "password": "x"}))


@pytest.mark.parametrize("bad", BAD)
def test_panel_search_filters_lookups_and_exports(client, login_as, bad):
    login_as("po_supervisor")
    for path in (
        f"/admin/dossier/?search={bad}",
        f"/admin/dossier/?flt0_status_equals={bad}",
        f"/admin/dossier/?flt{bad}=1",
        f"/admin/dossier/export/csv/?search={bad}",
        f"/admin/handover/?search={bad}",
        f"/admin/delivery_order/export/csv/?flt0_0={bad}",
        f"/admin/handover/ajax/lookup/?name=dossier&query={bad}",
        f"/admin/dossier/details/?id=1{bad}",
    ):
        _refused_page(client.get(path))


def test_panel_forms_and_sign_in_pages(client, login_as, world):
    login_as("it_admin")
    response = client.post(
        "/admin/agency/new/", data={"code": "X\x00", "name": "Cơ quan", "kind": "department"}
    )
    _refused_page(response)  # its uniqueness check would have sent the NUL to the database
    procedure = world.procedures["publish"]
    inline = client.post(
        f"/admin/procedure_type/edit/?id={procedure.id}",
        data={"code": procedure.code, "required_documents-0-name": "Tờ khai\x00"},
    )
    _refused_page(inline)
    _refused_page(client.post("/admin/user/action/", data={"action": "x\x00", "rowid": "1"}))
    _refused_page(client.post("/admin/role/permissions/?id=1", data={"perm": ["dossier:view\x00"]}))
    _refused_page(client.post("/account/password", data={"current_password": "\x00"}))
    _refused_page(client.get("/admin/user/?search=\x00"))
    _refused_page(client.get("/admin/audit_log/?entity=dossier&entity_id=1\x00"))


def test_every_panel_and_public_get_route_refuses_a_nul_query(app, client, login_as):
    """Walk the URL map: whatever the route, a NUL in the query never reaches it."""
    login_as("it_admin")
    seen = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "admin.static"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)
        response = client.get(f"{path}?q=%00")
        assert response.status_code == 400, (rule.rule, response.status_code)
        seen += 1
    assert seen > 30


def test_a_nul_in_any_path_segment_is_never_a_500(app, client, login_as):
    """Path values are the routes' own business: 404, 401, a redirect, never a crash."""
    login_as("it_admin")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.arguments or "static" in rule.endpoint:
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "x%00", rule.rule)
        response = client.get(path)
        assert response.status_code < 500, (rule.rule, response.status_code)


def test_api_doors(client, world):
    _refused_json(
        client.post("/api/v1/auth/token", json={"username": "po_clerk\x00", "password": "x"}),
        "username",
    )
    _refused_json(
        client.post("/api/v1/auth/token", json={"username": "po_clerk", "password": "\x01"}),
        "password",
    )
    token = client.post(
        "/api/v1/auth/token", json={"username": "po_clerk", "password": PASSWORD}
    ).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    _refused_json(client.get("/api/v1/dossiers?q=a%00b", headers=headers), "q")
    _refused_json(client.get("/api/v1/dossiers?status=%1F", headers=headers), "status")
    _refused_json(client.get("/api/v1/public/dossiers/X?lang=%00"), "lang")
    body = {
        "procedure_code": "1.004477",
        "applicant_name": "Nguyễn Văn A",
        "return_method": "counter",
        "extra": {"so_ban": "1\x00"},
    }
    _refused_json(client.post("/api/v1/dossiers", json=body, headers=headers), "extra")
    response = client.get("/api/v1/dossiers/abc%00", headers=headers)
    assert response.status_code in (400, 404) and response.is_json


def test_an_ordinary_tab_and_newline_still_pass(client, world, login_as):
    login_as("po_clerk")
    assert client.get("/admin/dossier/?search=Nguy%E1%BB%85n%09A").status_code == 200
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], notes="Dòng 1\nDòng 2\tcột"
    )
    assert client.get(f"/lookup?code={dossier.code}").status_code == 200
