"""Escalations refused: IT staff taking the workflow through a custom role, delegated user
management reaching other agencies or IT accounts, an audit log wider than its records."""

import pytest
from sqlalchemy import select

import permissions
from extensions import db
from models import AuditEntry, Dossier, Permission, Role, User
from models.user import user_roles
from services import audit
from services.accounts import roles as role_service
from services.accounts.users import create_user
from services.errors import ValidationFailed
from tests import factories
from tests.factories import PASSWORD

SEPARATION = "không tham gia xử lý hồ sơ"


def _role(name, pairs=()):
    role = Role(name=name, label=name.replace("_", " ").title())
    db.session.add(role)
    db.session.flush()
    role_service.set_permissions(role, set(pairs))
    db.session.commit()
    return role


def _grant(role_name, *pairs):
    role = db.session.scalar(select(Role).where(Role.name == role_name))
    current = {(p.resource, p.action) for p in role.permissions}
    role_service.set_permissions(role, current | set(pairs))
    db.session.commit()


def _edit_user(client, user_id, roles, agency_id=None):
    user = db.session.get(User, user_id)
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email or "",
        "agency": str(agency_id or user.agency_id),
        "roles": [str(r.id) for r in roles],
        "active": "y",
    }
    return client.post(f"/admin/user/edit/?id={user_id}", data=data, follow_redirects=True)


def _role_names(user_id):
    db.session.expire_all()
    return db.session.get(User, user_id).role_names


# -- separation of duties ----------------------------------------------------------
def test_it_cannot_give_an_it_account_a_custom_role_with_workflow_actions(client, login_as):
    helper = _role("it_helper", {("dossier", "view"), ("dossier", "refuse")})
    it2 = create_user("it_admin2", PASSWORD, ["it_admin"], factories.AGENCIES["it"][0])
    db.session.commit()
    it_role = db.session.scalar(select(Role).where(Role.name == "it_admin"))
    login_as("it_admin")
    page = _edit_user(client, it2.id, [it_role, helper]).get_data(as_text=True)
    assert SEPARATION in page
    assert _role_names(it2.id) == {"it_admin"}


def test_the_grid_cannot_add_workflow_actions_to_a_role_an_it_account_holds(client, login_as):
    helper = _role("it_helper", {("dossier", "view")})
    it2 = create_user("it_admin2", PASSWORD, ["it_admin"], factories.AGENCIES["it"][0])
    db.session.commit()
    it_role = db.session.scalar(select(Role).where(Role.name == "it_admin"))
    login_as("it_admin")
    _edit_user(client, it2.id, [it_role, helper])
    assert _role_names(it2.id) == {"it_admin", "it_helper"}  # no workflow yet: allowed
    response = client.post(
        f"/admin/role/permissions/?id={helper.id}",
        data={"perm": ["dossier:view", "dossier:refuse"]},
        follow_redirects=True,
    )
    assert SEPARATION in response.get_data(as_text=True)
    assert "it_admin2" in response.get_data(as_text=True)
    db.session.expire_all()
    pairs = {(p.resource, p.action) for p in db.session.get(Role, helper.id).permissions}
    assert ("dossier", "refuse") not in pairs


def test_a_workflow_grant_that_slipped_in_still_does_nothing_at_action_time(app, world):
    """Rows written behind the services' back (a database edit): the action is still refused."""
    dossier = factories.make_dossier(world.procedures["karaoke"], world.users["po_clerk2"])
    helper = Role(name="it_helper", label="It helper")
    helper.permissions = [Permission(resource="dossier", action=a) for a in ("view", "refuse")]
    db.session.add(helper)
    db.session.flush()
    db.session.execute(
        user_roles.insert().values(user_id=world.users["it_admin"].id, role_id=helper.id)
    )
    db.session.commit()
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/token", json={"username": "it_admin", "password": PASSWORD}
    ).get_json()["token"]
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/transitions",
        json={"action": "refuse", "note": "Không đủ điều kiện"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == "received"


def test_the_service_refuses_all_rows_and_workflow_roles_together(app, world):
    helper = _role("lead_helper", {("handover", "view"), ("handover", "confirm")})
    viewer_role = db.session.scalar(select(Role).where(Role.name == "viewer"))
    with pytest.raises(ValidationFailed, match=SEPARATION):
        role_service.check_separation([viewer_role, helper])
    role_service.check_separation([helper])  # alone, a workflow role is fine


# -- delegated user management -------------------------------------------------------
@pytest.fixture
def delegated(world, login_as, client):
    """dept_admin granted user view/edit by the grid; a colleague in the same department."""
    _grant("dept_admin", ("user", "view"), ("user", "edit"), ("user", "export"))
    colleague = create_user("dept_clerk", PASSWORD, ["dept_admin"], factories.AGENCIES["dept"][0])
    db.session.commit()
    login_as("dept_admin")
    return colleague


def test_delegated_list_and_export_show_only_the_own_agency(client, world, delegated):
    page = client.get("/admin/user/").get_data(as_text=True)
    assert "dept_clerk" in page
    for other in ("it_admin", "viewer", "dept_admin2", "po_clerk"):
        assert f">{other}<" not in page and f"Người dùng {other}" not in page
    export = client.get("/admin/user/export/csv/").get_data(as_text=True)
    assert "dept_clerk" in export and "it_admin" not in export and "dept_admin2" not in export


@pytest.mark.parametrize("target", ["it_admin", "viewer", "dept_admin2", "po_clerk"])
def test_delegated_management_cannot_reach_it_leadership_or_other_agencies(
    app, client, world, delegated, target
):
    target_id = world.users[target].id
    for path in ("details", "edit", "reset-password"):
        assert client.get(f"/admin/user/{path}/?id={target_id}").status_code == 404
    reset = client.post(
        f"/admin/user/reset-password/?id={target_id}",
        data={"password": "Mat-khau-moi-2026", "confirm": "Mat-khau-moi-2026"},
    )
    assert reset.status_code == 404
    client.post("/admin/user/action/", data={"action": "deactivate", "rowid": [str(target_id)]})
    db.session.expire_all()
    assert db.session.get(User, target_id).active
    # The target's own password still works: nobody took the account over.
    other = app.test_client()
    assert other.post("/login", data={"username": target, "password": PASSWORD}).status_code == 302


def test_delegated_management_works_inside_the_agency_without_new_powers(client, world, delegated):
    reset = client.post(
        f"/admin/user/reset-password/?id={delegated.id}",
        data={"password": "Mat-khau-moi-2026", "confirm": "Mat-khau-moi-2026"},
    )
    assert reset.status_code == 302
    extra = _role("dept_reviewer", {("dossier", "view")})
    dept_role = db.session.scalar(select(Role).where(Role.name == "dept_admin"))
    page = _edit_user(client, delegated.id, [dept_role, extra]).get_data(as_text=True)
    assert "chính bạn đang giữ" in page
    moved = _edit_user(client, delegated.id, [dept_role], world.agencies["dept2"].id)
    assert moved.status_code == 200
    db.session.expire_all()
    user = db.session.get(User, delegated.id)
    assert user.role_names == {"dept_admin"} and user.agency_id == world.agencies["dept"].id


def test_user_lookups_are_scoped_like_the_list(world, delegated):
    """The panel's look-ups (views/admin/core/ajax.py) narrow their query with this same scope."""
    query = permissions.scope(world.users["dept_admin"], "user", db.session.query(User))
    assert {u.username for u in query} == {"dept_admin", "dept_clerk"}


# -- the audit log, scoped like its records -------------------------------------------
def test_audit_log_granted_to_a_department_shows_only_its_records(client, world, login_as):
    _grant("dept_admin", ("audit_log", "view"))
    own = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    other = factories.make_dossier(world.procedures["karaoke"], world.users["po_clerk2"])
    audit.record("edit", "dossier", own.id, summary="MARK-own-dossier")
    audit.record("edit", "dossier", other.id, summary="MARK-other-dossier")
    audit.record("edit", "user", world.users["it_admin"].id, summary="MARK-it-account")
    audit.record("edit_permissions", "role", 1, summary="MARK-role-grid")
    db.session.commit()
    other_entry = db.session.scalar(
        select(AuditEntry.id).where(AuditEntry.summary == "MARK-other-dossier")
    )
    login_as("dept_admin")
    page = client.get("/admin/audit_log/?page_size=100").get_data(as_text=True)
    assert "MARK-own-dossier" in page
    for hidden in ("MARK-other-dossier", "MARK-it-account", "MARK-role-grid"):
        assert hidden not in page
    assert client.get(f"/admin/audit_log/details/?id={other_entry}").status_code == 404
    narrowed = client.get(f"/admin/audit_log/?entity=dossier&entity_id={other.id}")
    assert "MARK-other-dossier" not in narrowed.get_data(as_text=True)
