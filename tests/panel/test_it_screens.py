"""IT staff screens: accounts (create, deactivate, roles) and the permission grid."""

import json
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, Role, User
from tests import factories
from tests.factories import PASSWORD

GOOD_PASSWORD = "Xe-buyt-19-Thai-Nguyen"
NOT_SELF = "Bạn không thể tự khóa tài khoản của chính mình."
IT_KEEPS = "Vai trò Quản trị CNTT phải giữ quyền xem và sửa vai trò"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def _login(client, username, password=PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def _signed_in_as(app, username):
    other = app.test_client()
    assert _login(other, username).status_code == 302
    return other


def _user(username) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def _role_ids() -> dict[str, int]:
    return {r.name: r.id for r in db.session.scalars(select(Role))}


def _audit(action, entity) -> list[AuditEntry]:
    db.session.expire_all()
    query = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.entity == entity)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def _user_form(world, username, agency="po", roles=("po_clerk",), **extra):
    role_ids = _role_ids()
    return {
        "username": username,
        "full_name": f"Người dùng {username}",
        "email": "",
        "agency": str(world.agencies[agency].id),
        "roles": [str(role_ids[r]) for r in roles],
        "active": "y",
        **extra,
    }


# -- accounts --------------------------------------------------------------------
def test_it_creates_a_user_who_can_sign_in(app, client, login_as, world):
    login_as("it_admin")
    data = _user_form(
        world, "clerk_moi", new_password=GOOD_PASSWORD, confirm_password=GOOD_PASSWORD
    )
    response = client.post("/admin/user/new/", data=data)
    assert response.status_code == 302
    user = _user("clerk_moi")
    assert user.agency.code == world.agencies["po"].code and user.role_names == {"po_clerk"}
    assert user.must_change_password  # IT staff chose it: the user picks their own first
    newcomer = app.test_client()
    assert _login(newcomer, "clerk_moi", GOOD_PASSWORD).status_code == 302
    assert newcomer.get("/admin/dossier/").location.startswith("/account/password")
    [entry] = [e for e in _audit("create", "user") if e.entity_id == str(user.id)]
    assert entry.actor_username == "it_admin"
    assert entry.changes["after"]["username"] == "clerk_moi"
    assert entry.changes["after"]["roles"] == ["Nhân viên bưu điện"]
    stored = json.dumps(entry.changes, ensure_ascii=False)
    assert "password_hash" not in stored and "$argon2" not in stored
    assert GOOD_PASSWORD not in stored


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ngan-qua", "Mật khẩu phải có ít nhất 10 ký tự."),
        ("Chao-CLERK_MOI-2026", "Mật khẩu không được chứa tên đăng nhập."),
        ("qwertyuiop", "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."),
        ("", "Trường này là bắt buộc."),
    ],
    ids=["short", "username", "common", "missing"],
)
def test_user_form_enforces_the_password_policy(client, login_as, world, password, message):
    login_as("it_admin")
    response = client.post(
        "/admin/user/new/",
        data=_user_form(world, "clerk_moi", new_password=password, confirm_password=password),
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _user("clerk_moi") is None


def test_user_form_asks_for_the_password_twice(client, login_as, world):
    login_as("it_admin")
    data = _user_form(
        world, "clerk_moi", new_password=GOOD_PASSWORD, confirm_password=GOOD_PASSWORD + "x"
    )
    response = client.post("/admin/user/new/", data=data)
    assert response.status_code == 200
    assert "Hai lần nhập mật khẩu không khớp nhau." in response.get_data(as_text=True)
    assert _user("clerk_moi") is None
    page = client.get("/admin/user/new/").get_data(as_text=True)
    assert 'id="confirm_password"' in page and "Nhập lại mật khẩu" in page


def test_users_cannot_be_deleted(client, login_as, world):
    factories.make_override(date(2026, 12, 31))
    login_as("it_admin")
    user_id = world.users["viewer"].id
    response = client.post("/admin/user/delete/", data={"id": user_id, "url": "/admin/user/"})
    assert response.status_code == 403
    assert _user("viewer") is not None
    users_page = client.get("/admin/user/").get_data(as_text=True)
    assert 'action="/admin/user/delete/"' not in users_page and "fa-trash" not in users_page
    holidays_page = client.get("/admin/holiday/").get_data(as_text=True)
    assert 'action="/admin/holiday/delete/"' in holidays_page  # where deleting is allowed


def _bulk(client, action, *user_ids):
    return client.post(
        "/admin/user/action/",
        data={"action": action, "rowid": [str(i) for i in user_ids], "url": "/admin/user/"},
        follow_redirects=True,
    )


def test_deactivate_and_reactivate(app, client, login_as, world):
    viewer = _signed_in_as(app, "viewer")
    login_as("it_admin")
    user_id = world.users["viewer"].id
    assert _bulk(client, "deactivate", user_id).status_code == 200
    assert _user("viewer").active is False
    assert viewer.get("/admin/").location.startswith("/login")  # the open session ended
    response = _login(app.test_client(), "viewer")
    assert response.status_code == 401 and WRONG in response.get_data(as_text=True)
    [entry] = _audit("deactivate", "user")
    assert (entry.entity_id, entry.actor_username) == (str(user_id), "it_admin")
    assert entry.changes == {"before": {"active": True}, "after": {"active": False}}
    assert _bulk(client, "activate", user_id).status_code == 200
    assert _user("viewer").active is True
    assert _login(app.test_client(), "viewer").status_code == 302
    assert len(_audit("activate", "user")) == 1


def test_it_admin_cannot_deactivate_themself(client, login_as, world):
    me = login_as("it_admin").id
    response = _bulk(client, "deactivate", me)
    assert NOT_SELF in response.get_data(as_text=True)
    assert _user("it_admin").active is True
    response = _bulk(client, "deactivate", world.users["viewer"].id, me)
    assert NOT_SELF in response.get_data(as_text=True)
    assert _user("viewer").active is True  # all or nothing
    assert client.get("/admin/").status_code == 200
    assert _audit("deactivate", "user") == []


def _edit_user(client, world, username, **form):
    user_id = world.users[username].id
    data = _user_form(world, username, **form)
    return client.post(f"/admin/user/edit/?id={user_id}", data=data), str(user_id)


def test_role_change_is_audited(client, login_as, world):
    login_as("it_admin")
    response, user_id = _edit_user(client, world, "po_clerk", roles=("po_clerk", "po_supervisor"))
    assert response.status_code == 302
    assert _user("po_clerk").role_names == {"po_clerk", "po_supervisor"}
    [entry] = [e for e in _audit("edit", "user") if e.entity_id == user_id]
    assert entry.changes["before"]["roles"] == ["Nhân viên bưu điện"]
    assert entry.changes["after"]["roles"] == ["Giám sát bưu điện", "Nhân viên bưu điện"]


def test_agency_change_is_audited(client, login_as, world):
    """Moving a user to another agency changes the rows they see: the audit must show it."""
    login_as("it_admin")
    response, user_id = _edit_user(client, world, "po_clerk", agency="po2")
    assert response.status_code == 302
    assert _user("po_clerk").agency.code == world.agencies["po2"].code
    [entry] = [e for e in _audit("edit", "user") if e.entity_id == user_id]
    old, new = world.agencies["po"], world.agencies["po2"]
    recorded = (entry.changes["before"], entry.changes["after"])
    assert recorded in (
        ({"agency_id": old.id}, {"agency_id": new.id}),
        ({"agency": str(old)}, {"agency": str(new)}),
    )


def test_deactivating_a_leader_in_the_edit_form_ends_the_session_and_is_audited(
    app, client, login_as, world
):
    """The leader holds an all-rows role: checking the roles must not save the edit early."""
    viewer = _signed_in_as(app, "viewer")
    login_as("it_admin")
    user_id = world.users["viewer"].id
    data = _user_form(world, "viewer", agency="lead", roles=("viewer",))
    del data["active"]  # the box unticked
    response = client.post(f"/admin/user/edit/?id={user_id}", data=data)
    assert response.status_code == 302
    assert _user("viewer").active is False
    assert viewer.get("/admin/").location.startswith("/login")
    [entry] = [e for e in _audit("edit", "user") if e.entity_id == str(user_id)]
    assert (entry.changes["before"]["active"], entry.changes["after"]["active"]) == (True, False)


# -- the permission grid ------------------------------------------------------------
def _grid_url(role_name) -> str:
    return f"/admin/role/permissions/?id={_role_ids()[role_name]}"


def _ticked(client, role_name) -> set[str]:
    """The boxes ticked on the grid page, as the browser would send them."""
    response = client.get(_grid_url(role_name))
    assert response.status_code == 200
    tags = re.findall(r'<input type="checkbox" name="perm"[^>]*>', response.get_data(as_text=True))
    assert tags
    return {re.search(r'value="([^"]+)"', t).group(1) for t in tags if re.search(r"\schecked", t)}


def _save_grid(client, role_name, perms):
    return client.post(_grid_url(role_name), data={"perm": sorted(perms)})


def _perms(role_name) -> set[str]:
    db.session.expire_all()
    role = db.session.scalar(select(Role).where(Role.name == role_name))
    return {f"{p.resource}:{p.action}" for p in role.permissions}


def test_removing_a_permission_takes_effect_on_the_next_request(app, client, login_as, world):
    clerk = _signed_in_as(app, "po_clerk")
    export = "/admin/dossier/export/csv/"
    assert clerk.get(export).status_code == 200
    login_as("it_admin")
    ticked = _ticked(client, "po_clerk")
    assert "dossier:export" in ticked
    assert _save_grid(client, "po_clerk", ticked - {"dossier:export"}).status_code == 302
    assert clerk.get(export).status_code == 403
    assert clerk.get("/admin/dossier/").status_code == 200  # the rest is kept
    [entry] = _audit("edit_permissions", "role")
    assert entry.entity_id == str(_role_ids()["po_clerk"])
    assert entry.actor_username == "it_admin"
    assert "dossier:export" in entry.changes["before"]
    assert "dossier:export" not in entry.changes["after"]
    assert set(entry.changes["before"]) - set(entry.changes["after"]) == {"dossier:export"}
    ticked = _ticked(client, "po_clerk") | {"dossier:export"}
    assert _save_grid(client, "po_clerk", ticked).status_code == 302
    assert clerk.get(export).status_code == 200
    assert len(_audit("edit_permissions", "role")) == 2


def test_granting_a_permission_takes_effect_on_the_next_request(app, client, login_as, world):
    dept = _signed_in_as(app, "dept_admin")
    assert dept.get("/admin/holiday/new/").status_code == 403
    login_as("it_admin")
    ticked = _ticked(client, "dept_admin")
    assert _save_grid(client, "dept_admin", ticked | {"holiday:create"}).status_code == 302
    assert dept.get("/admin/holiday/new/").status_code == 200
    [entry] = _audit("edit_permissions", "role")
    assert set(entry.changes["after"]) - set(entry.changes["before"]) == {"holiday:create"}


@pytest.mark.parametrize("taken", ["role:view", "role:edit"])
def test_grid_keeps_role_view_and_edit_for_it_admin(client, login_as, world, taken):
    login_as("it_admin")
    before = _perms("it_admin")
    response = _save_grid(client, "it_admin", (_ticked(client, "it_admin") - {taken}))
    assert IT_KEEPS in response.get_data(as_text=True)
    assert _perms("it_admin") == before
    assert _audit("edit_permissions", "role") == []
    assert client.get(_grid_url("it_admin")).status_code == 200


def test_saving_an_unchanged_grid_writes_no_audit_entry(client, login_as, world):
    login_as("it_admin")
    assert _save_grid(client, "viewer", _ticked(client, "viewer")).status_code == 302
    assert _audit("edit_permissions", "role") == []


@pytest.mark.parametrize("username", ["po_clerk", "po_supervisor", "dept_admin", "viewer"])
def test_non_it_roles_cannot_open_the_grid(client, login_as, world, username):
    role_name = factories.USERS[username][0]
    login_as(username)
    before = _perms(role_name)
    assert client.get(_grid_url(role_name)).status_code == 403
    response = _save_grid(client, role_name, before | {"role:view", "role:edit", "user:edit"})
    assert response.status_code == 403
    assert _perms(role_name) == before
    assert _audit("edit_permissions", "role") == []


def test_audit_counts_one_entry_per_grid_save(client, login_as, world):
    login_as("it_admin")
    for extra in ("holiday:create", "holiday:edit"):
        _save_grid(client, "viewer", _ticked(client, "viewer") | {extra})
    count = select(func.count()).select_from(AuditEntry)
    assert db.session.scalar(count.where(AuditEntry.action == "edit_permissions")) == 2
