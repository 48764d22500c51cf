"""Account screens under attack and under load: IT and leadership accounts made in the panel,
first sign-in, delegated management of accounts holding roles the manager lacks, and the
separation-of-duties checks under concurrent saves."""

import threading
import time

import pytest
from sqlalchemy import select

from extensions import db
from models import Role, User
from services.accounts import roles as role_service
from services.accounts.users import create_user
from services.errors import ServiceError
from services.transactions import transaction
from tests.factories import PASSWORD

NEW_PASSWORD = "Cay-xanh-la-2026"


def _role_ids():
    return {r.name: r.id for r in db.session.scalars(select(Role))}


def _user(username):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


@pytest.mark.parametrize(("role", "agency"), [("it_admin", "it"), ("viewer", "lead")])
def test_it_creates_it_and_leadership_accounts_in_the_panel(
    app, client, login_as, world, role, agency
):
    login_as("it_admin")
    data = {
        "username": f"moi_{role}",
        "full_name": "Người mới",
        "email": "",
        "agency": str(world.agencies[agency].id),
        "roles": [str(_role_ids()[role])],
        "active": "y",
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    response = client.post("/admin/user/new/", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    user = _user(f"moi_{role}")
    assert user is not None and user.role_names == {role}
    newcomer = app.test_client()
    answer = newcomer.post("/login", data={"username": f"moi_{role}", "password": NEW_PASSWORD})
    assert answer.status_code == 302


# -- separation of duties under concurrent saves (item 17) ---------------------------
@pytest.mark.postgresql_only
def test_a_grid_save_and_a_role_grant_at_once_cannot_both_pass_separation(app, world):
    """Thread A adds a workflow action to a custom role (not committed yet) while thread B
    gives that role to an IT account: B waits for A's lock, then sees the action and refuses."""
    helper = Role(name="it_helper", label="Trợ giúp")
    db.session.add(helper)
    db.session.commit()
    helper_id, it_agency = helper.id, world.agencies["it"].code
    flushed, results = threading.Event(), {}

    def grid():
        with app.app_context():
            try:
                with transaction():
                    role = db.session.get(Role, helper_id)
                    role_service.set_permissions(role, {("dossier", "view"), ("dossier", "create")})
                    flushed.set()
                    time.sleep(1.0)  # B runs its checks meanwhile
                results["grid"] = "saved"
            except ServiceError as exc:
                results["grid"] = exc.message
            finally:
                flushed.set()

    def grant():
        flushed.wait(5)
        with app.app_context():
            try:
                with transaction():
                    create_user("it_admin3", PASSWORD, ["it_admin", "it_helper"], it_agency)
                results["grant"] = "saved"
            except ServiceError as exc:
                results["grant"] = exc.message

    threads = [threading.Thread(target=grid), threading.Thread(target=grant)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert results["grid"] == "saved"
    assert "không tham gia xử lý hồ sơ" in results["grant"]
    assert _user("it_admin3") is None


@pytest.mark.postgresql_only
def test_a_role_grant_and_a_grid_save_at_once_cannot_both_pass_separation(app, world):
    """The other order: thread A gives an IT account a harmless custom role (not committed
    yet) while thread B adds a workflow action to that role: B waits, sees the holder, refuses."""
    helper = Role(name="it_helper", label="Trợ giúp")
    db.session.add(helper)
    db.session.commit()
    helper_id, it_agency = helper.id, world.agencies["it"].code
    flushed, results = threading.Event(), {}

    def grant():
        with app.app_context():
            try:
                with transaction():
                    create_user("it_admin3", PASSWORD, ["it_admin", "it_helper"], it_agency)
                    db.session.flush()
                    flushed.set()
                    time.sleep(1.0)  # B runs its checks meanwhile
                results["grant"] = "saved"
            except ServiceError as exc:
                results["grant"] = exc.message
            finally:
                flushed.set()

    def grid():
        flushed.wait(5)
        with app.app_context():
            try:
                with transaction():
                    role = db.session.get(Role, helper_id)
                    role_service.set_permissions(role, {("dossier", "view"), ("dossier", "create")})
                results["grid"] = "saved"
            except ServiceError as exc:
                results["grid"] = exc.message

    threads = [threading.Thread(target=grant), threading.Thread(target=grid)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert results["grant"] == "saved"
    assert "it_admin3" in results["grid"] and "không tham gia xử lý hồ sơ" in results["grid"]
    assert _pairs(helper_id) == set()


# -- first sign-in (item 3) ----------------------------------------------------------
def _create_in_panel(client, world, username):
    data = {
        "username": username,
        "full_name": "Người mới",
        "email": "",
        "agency": str(world.agencies["po"].id),
        "roles": [str(_role_ids()["po_clerk"])],
        "active": "y",
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    assert client.post("/admin/user/new/", data=data).status_code == 302


def _change(client, current, new):
    return client.post(
        "/account/password",
        data={"current_password": current, "new_password": new, "confirm_password": new},
    )


def test_a_new_account_is_told_so_and_must_not_keep_the_password_it_staff_typed(
    app, client, login_as, world
):
    login_as("it_admin")
    _create_in_panel(client, world, "clerk_moi")
    newcomer = app.test_client()
    newcomer.post("/login", data={"username": "clerk_moi", "password": NEW_PASSWORD})
    page = newcomer.get("/account/password").get_data(as_text=True)
    assert "Tài khoản mới: hãy đặt mật khẩu của bạn" in page and "đã được đặt lại" not in page
    same = _change(newcomer, NEW_PASSWORD, NEW_PASSWORD)
    assert same.status_code == 400
    assert "Mật khẩu mới phải khác mật khẩu hiện tại" in same.get_data(as_text=True)
    assert _user("clerk_moi").must_change_password  # still due
    assert _change(newcomer, NEW_PASSWORD, "Hoa-ban-no-2026").status_code == 302
    assert not _user("clerk_moi").must_change_password


def test_a_reset_account_keeps_the_reset_wording(app, client, login_as, world):
    login_as("it_admin")
    target = world.users["po_clerk"]
    reset = client.post(
        f"/admin/user/reset-password/?id={target.id}",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert reset.status_code == 302
    other = app.test_client()
    other.post("/login", data={"username": "po_clerk", "password": NEW_PASSWORD})
    page = other.get("/account/password").get_data(as_text=True)
    assert "đã được đặt lại" in page and "Tài khoản mới" not in page
    assert _change(other, NEW_PASSWORD, NEW_PASSWORD).status_code == 400


# -- delegated management stays below the manager's own powers (item 14) ------------
def _grant(role_name, *pairs):
    role = db.session.scalar(select(Role).where(Role.name == role_name))
    current = {(p.resource, p.action) for p in role.permissions}
    role_service.set_permissions(role, current | set(pairs))
    db.session.commit()


def _custom_role(name, pairs=()):
    role = Role(name=name, label=name.replace("_", " ").title())
    db.session.add(role)
    db.session.flush()
    role_service.set_permissions(role, set(pairs))
    db.session.commit()
    return role


def _pairs(role_id):
    db.session.expire_all()
    return {(p.resource, p.action) for p in db.session.get(Role, role_id).permissions}


NOT_HELD = "giữ vai trò mà chính bạn không có"
SHARED = "vai trò có sẵn dùng chung do Quản trị CNTT sửa"


def test_delegated_management_cannot_take_over_an_account_with_more_roles(
    app, client, login_as, world
):
    _grant("dept_admin", ("user", "view"), ("user", "edit"))
    _custom_role("dept_auditor", {("audit_log", "view")})
    stronger = create_user(
        "dept_lead", PASSWORD, ["dept_admin", "dept_auditor"], world.agencies["dept"].code
    )
    db.session.commit()
    login_as("dept_admin")
    reset = client.post(
        f"/admin/user/reset-password/?id={stronger.id}",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert reset.status_code == 200 and NOT_HELD in reset.get_data(as_text=True)
    dept_role = db.session.scalar(select(Role).where(Role.name == "dept_admin"))
    edit = client.post(
        f"/admin/user/edit/?id={stronger.id}",
        data={
            "username": "dept_lead",
            "full_name": "Đã bị sửa",
            "email": "",
            "agency": str(stronger.agency_id),
            "roles": [str(dept_role.id)],  # would strip the role the manager lacks
            "active": "y",
        },
        follow_redirects=True,
    )
    assert NOT_HELD in edit.get_data(as_text=True)
    client.post("/admin/user/action/", data={"action": "deactivate", "rowid": [str(stronger.id)]})
    user = _user("dept_lead")
    assert user.active and user.full_name != "Đã bị sửa"
    assert user.role_names == {"dept_admin", "dept_auditor"}
    other = app.test_client()  # the account's own password still works
    assert other.post("/login", data={"username": "dept_lead", "password": PASSWORD}).status_code


def test_role_edit_outside_it_never_reaches_shared_roles(client, login_as, world):
    _grant("dept_admin", ("role", "view"), ("role", "edit"))
    own = _custom_role("dept_reader", {("dossier", "view")})
    shared = _custom_role("shared_reader", {("dossier", "view")})
    colleague = create_user("dept_doc", PASSWORD, ["dept_admin"], world.agencies["dept"].code)
    stranger = create_user("dept2_doc", PASSWORD, ["dept_admin"], world.agencies["dept2"].code)
    colleague.roles.append(own)
    stranger.roles.append(shared)
    db.session.commit()
    login_as("dept_admin")
    wanted = {"perm": ["dossier:view", "report:view"]}
    for role_name in ("po_clerk", "dept_admin", "shared_reader"):
        role = db.session.scalar(select(Role).where(Role.name == role_name))
        before = _pairs(role.id)
        page = client.post(f"/admin/role/permissions/?id={role.id}", data=wanted)
        assert page.status_code == 200 and SHARED in page.get_data(as_text=True), role_name
        assert _pairs(role.id) == before, role_name
    renamed = client.post(
        f"/admin/role/edit/?id={_role_ids()['po_clerk']}",
        data={"name": "po_clerk", "label": "Nhân viên (đã sửa)", "description": ""},
        follow_redirects=True,
    )
    assert SHARED in renamed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Role, _role_ids()["po_clerk"]).label != "Nhân viên (đã sửa)"
    # A custom role held only inside the department stays the department's to edit.
    saved = client.post(f"/admin/role/permissions/?id={own.id}", data=wanted)
    assert saved.status_code == 302
    assert _pairs(own.id) == {("dossier", "view"), ("report", "view")}
