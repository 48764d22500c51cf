"""With CSRF protection on (as in production), no state-changing POST works without a token."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from extensions import db
from models import Agency, AuditEntry, CalendarOverride, Role, User
from tests import factories
from tests.factories import PASSWORD

REFUSED = "Biểu mẫu đã hết hạn"  # the title of the CSRF error page
NEW_PASSWORD = "Ngay-mai-troi-nang-17"
NEW_AGENCY = {"code": "000.00.99.H55", "name": "Sở Xây dựng", "kind": "department"}


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def token_of(client, path) -> str:
    """The CSRF token of the form on PATH, as a browser would read it."""
    response = client.get(path)
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*\svalue="([^"]+)"', page).group(1)


def sign_in(client, username):
    token = token_of(client, "/login")
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def assert_refused(response):
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)


def _user(username) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def _perms(role_name) -> set[tuple[str, str]]:
    db.session.expire_all()
    role = db.session.scalar(select(Role).where(Role.name == role_name))
    return {(p.resource, p.action) for p in role.permissions}


def _signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


# -- refused without a token ---------------------------------------------------
def test_login_without_token_is_refused(client, world):
    response = client.post("/login", data={"username": "po_clerk", "password": PASSWORD})
    assert_refused(response)
    assert not _signed_in(client)
    assert _user("po_clerk").last_login_at is None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login")) is None


def test_logout_without_token_is_refused(client, world):
    sign_in(client, "po_clerk")
    assert_refused(client.post("/logout"))
    assert _signed_in(client)


def test_language_switch_without_token_is_refused(client, world):
    assert_refused(client.post("/language", data={"lang": "en", "next": "/login"}))
    assert '<html lang="vi">' in client.get("/login").get_data(as_text=True)


def test_create_without_token_is_refused(client, world):
    sign_in(client, "it_admin")
    assert_refused(client.post("/admin/agency/new/", data=NEW_AGENCY))
    assert db.session.scalar(select(Agency).where(Agency.code == NEW_AGENCY["code"])) is None


def test_edit_without_token_is_refused(client, world):
    sign_in(client, "it_admin")
    agency = world.agencies["dept"]
    data = {"code": agency.code, "name": "Tên bị sửa", "kind": agency.kind, "active": "y"}
    assert_refused(client.post(f"/admin/agency/edit/?id={agency.id}", data=data))
    db.session.expire_all()
    assert db.session.get(Agency, agency.id).name == "Sở Thông tin và Truyền thông"


def test_delete_without_token_is_refused(client, world):
    override = factories.make_override(date(2026, 12, 31))
    sign_in(client, "it_admin")
    assert_refused(client.post("/admin/holiday/delete/", data={"id": override.id}))
    db.session.expire_all()
    assert db.session.get(CalendarOverride, override.id) is not None


def test_bulk_action_without_token_is_refused(client, world):
    sign_in(client, "it_admin")
    data = {"action": "deactivate", "rowid": [world.users["viewer"].id]}
    assert_refused(client.post("/admin/user/action/", data=data))
    assert _user("viewer").active is True


def test_permission_grid_without_token_is_refused(client, world):
    role_id = db.session.scalar(select(Role.id).where(Role.name == "po_clerk"))
    before = _perms("po_clerk")
    sign_in(client, "it_admin")
    response = client.post(f"/admin/role/permissions/?id={role_id}", data={"perm": ["user:view"]})
    assert_refused(response)
    assert _perms("po_clerk") == before


def test_reset_password_without_token_is_refused(app, client, world):
    clerk = app.test_client()
    sign_in(clerk, "po_clerk")
    before = _user("po_clerk").password_hash
    sign_in(client, "it_admin")
    response = client.post(
        f"/admin/user/reset-password/?id={world.users['po_clerk'].id}",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert_refused(response)
    user = _user("po_clerk")
    assert user.password_hash == before and not user.must_change_password
    assert _signed_in(clerk)  # the clerk's session was not ended


def test_own_password_change_without_token_is_refused(client, world):
    sign_in(client, "dept_admin")
    before = _user("dept_admin").password_hash
    data = {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    assert_refused(client.post("/account/password", data=data))
    assert _user("dept_admin").password_hash == before


def test_a_token_from_another_session_is_refused(app, client, world):
    stranger = app.test_client()
    foreign = token_of(stranger, "/login")
    response = client.post(
        "/login", data={"username": "po_clerk", "password": PASSWORD, "csrf_token": foreign}
    )
    assert_refused(response)
    assert not _signed_in(client)


# -- accepted with the page's token --------------------------------------------
def test_login_and_logout_with_token(client, world):
    sign_in(client, "po_clerk")
    assert _signed_in(client)
    token = token_of(client, "/admin/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not _signed_in(client)


def test_language_switch_with_token(client, world):
    token = token_of(client, "/login")
    response = client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_create_with_token(client, world):
    sign_in(client, "it_admin")
    token = token_of(client, "/admin/agency/new/")
    response = client.post("/admin/agency/new/", data={**NEW_AGENCY, "csrf_token": token})
    assert response.status_code == 302
    agency = db.session.scalar(select(Agency).where(Agency.code == NEW_AGENCY["code"]))
    assert agency is not None and agency.name == NEW_AGENCY["name"]


def test_edit_with_token(client, world):
    sign_in(client, "it_admin")
    agency = world.agencies["dept"]
    url = f"/admin/agency/edit/?id={agency.id}"
    data = {"code": agency.code, "name": "Tên đã sửa", "kind": agency.kind, "active": "y"}
    response = client.post(url, data={**data, "csrf_token": token_of(client, url)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Agency, agency.id).name == "Tên đã sửa"


def test_delete_and_bulk_action_with_token(client, world):
    override_id = factories.make_override(date(2026, 12, 31)).id
    sign_in(client, "it_admin")
    token = token_of(client, "/admin/holiday/")
    response = client.post("/admin/holiday/delete/", data={"id": override_id, "csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CalendarOverride, override_id) is None
    token = token_of(client, "/admin/user/")
    data = {"action": "deactivate", "rowid": [world.users["viewer"].id], "csrf_token": token}
    assert client.post("/admin/user/action/", data=data).status_code == 302
    assert _user("viewer").active is False


def test_permission_grid_with_token(client, world):
    role_id = db.session.scalar(select(Role.id).where(Role.name == "po_clerk"))
    wanted = _perms("po_clerk") - {("dossier", "export")}
    sign_in(client, "it_admin")
    url = f"/admin/role/permissions/?id={role_id}"
    token = token_of(client, url)
    perms = [f"{resource}:{action}" for resource, action in sorted(wanted)]
    response = client.post(url, data={"perm": perms, "csrf_token": token})
    assert response.status_code == 302
    assert _perms("po_clerk") == wanted


def test_a_procedure_edit_with_its_documents_needs_only_the_page_token(client, world):
    """The inline rows (documents, extra fields) carry no token of their own."""
    sign_in(client, "it_admin")
    procedure = world.procedures["publish"]
    path = f"/admin/procedure_type/edit/?id={procedure.id}"
    page = client.get(path).get_data(as_text=True)
    assert "documents-0-csrf_token" not in page and 'id="documents-0-validity_months"' in page
    first = procedure.documents[0]
    form = {
        "csrf_token": token_of(client, path),
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field,
        "agency": procedure.agency_id,
        "processing_days": str(procedure.processing_days),
        "fee": str(procedure.fee),
        "online_level": procedure.online_level,
        "version_seen": str(procedure.version),
        "documents-0-id": str(first.id),
        "documents-0-position": "0",
        "documents-0-name": first.name,
        "documents-0-kind": first.kind,
        "documents-0-quantity": "1",
        "documents-0-validity_months": "3",
    }
    response = client.post(path, data=form)
    assert response.status_code == 302
    db.session.expire_all()
    assert procedure.documents[0].validity_months == 3
