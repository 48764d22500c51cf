"""Every account rule, asked of services.accounts directly (the panel, the CLI and the demo
call the same functions): not one's own roles, agency or account; only roles one holds and
accounts of one's agency; the epochs that end sessions; a first password only at creation."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, Role
from services.accounts import auth, delegation, users
from services.accounts import roles as role_service
from services.accounts.passwords import verify_password
from services.errors import Conflict, ValidationFailed
from tests import factories
from tests.factories import PASSWORD

NEW_PASSWORD = "Xe-buyt-19-Thai-Nguyen"
ROOT = Path(__file__).resolve().parents[2]


def _role(name) -> Role:
    return db.session.scalar(select(Role).where(Role.name == name))


def _custom_role(name="dept_reviewer") -> Role:
    """A role IT staff added in the grid: it fits any agency."""
    role = Role(name=name, label=name.replace("_", " ").title())
    db.session.add(role)
    db.session.flush()
    return role


def _loaded(user):
    """USER read again, as a door reads the row it changes (its committed copy expired)."""
    db.session.refresh(user)
    return user


def _epochs(user) -> tuple[int, int]:
    return user.session_epoch, user.token_epoch


# -- not one's own roles, agency or account ----------------------------------------
def test_nobody_changes_their_own_roles(world):
    me = world.users["it_admin"]
    me.roles.append(_role("viewer"))
    with pytest.raises(delegation.OwnRolesOrAgency):
        users.check_edit(me, me)


def test_nobody_changes_their_own_agency(world):
    me = _loaded(world.users["dept_admin"])
    me.agency = world.agencies["dept2"]
    with pytest.raises(delegation.OwnRolesOrAgency):
        users.check_edit(me, me)


def test_one_edits_one_own_name_and_another_s_roles(world):
    me, clerk = _loaded(world.users["it_admin"]), world.users["po_clerk"]
    me.full_name = "Quản trị viên"
    users.check_edit(me, me)
    clerk.roles.append(_role("po_supervisor"))
    users.check_edit(me, clerk)


def test_nobody_deactivates_their_own_account(world):
    me = _loaded(world.users["it_admin"])
    with pytest.raises(delegation.OwnAccount):
        users.set_active(me, False, actor=me)
    me.active = False
    with pytest.raises(delegation.OwnAccount):
        users.check_edit(me, me)


# -- delegated management: only roles one holds, only one's own agency ------------------
def test_a_delegated_manager_gives_only_roles_they_hold(world):
    manager, dept = world.users["dept_admin"], factories.AGENCIES["dept"][0]
    reviewer = _custom_role()
    with pytest.raises(delegation.RolesNotHeld):
        users.create_user("dept_lead", PASSWORD, [reviewer.name], dept, actor=manager)
    colleague = users.create_user("dept_clerk", PASSWORD, ["dept_admin"], dept, actor=manager)
    colleague.roles.append(reviewer)
    with pytest.raises(delegation.RolesNotHeld):
        users.check_edit(manager, colleague)


def test_it_staff_give_any_role(world):
    it = world.users["it_admin"]
    user = users.create_user(
        "lanh_dao2", PASSWORD, ["viewer"], factories.AGENCIES["lead"][0], actor=it
    )
    assert user.role_names == {"viewer"}


def test_a_delegated_manager_reaches_only_their_agency(world):
    manager = world.users["dept_admin"]
    with pytest.raises(delegation.OutsideScope):
        users.create_user(
            "dept2_clerk", PASSWORD, ["dept_admin"], factories.AGENCIES["dept2"][0], actor=manager
        )
    other = world.users["dept_admin2"]
    with pytest.raises(delegation.OutsideScope):
        users.set_active(other, False, actor=manager)
    with pytest.raises(delegation.OutsideScope):
        users.set_password(other, NEW_PASSWORD, actor=manager, temporary=True)


def test_roles_must_fit_the_agency_and_keep_duties_apart(world):
    clerk = world.users["po_clerk"]
    clerk.roles.append(_role("dept_admin"))
    with pytest.raises(ValidationFailed, match="không dùng cho cơ quan"):
        users.check_edit(world.users["it_admin"], clerk)


def test_the_code_of_a_built_in_role_stays(world):
    role = _role("viewer")
    role.label = "Lãnh đạo"
    role_service.check_rename(role)
    role.name = "leader"
    with pytest.raises(role_service.BuiltInRoleCode):
        role_service.check_rename(role)


# -- the epochs: sessions and tokens end ---------------------------------------------
def test_a_new_password_ends_sessions_and_tokens(world):
    clerk = world.users["po_clerk"]
    before = _epochs(clerk)
    users.set_password(clerk, NEW_PASSWORD, actor=world.users["it_admin"], temporary=True)
    assert _epochs(clerk) == (before[0] + 1, before[1] + 1)
    assert clerk.must_change_password and verify_password(clerk.password_hash, NEW_PASSWORD)


def test_a_deactivation_ends_sessions_and_tokens_by_either_door(world):
    it, clerk, viewer = world.users["it_admin"], world.users["po_clerk"], world.users["viewer"]
    before = _epochs(clerk)
    users.set_active(clerk, False, actor=it)
    assert _epochs(clerk) == (before[0] + 1, before[1] + 1)
    before = _epochs(_loaded(viewer))
    viewer.active = False  # the edit form's checkbox
    users.check_edit(it, viewer)
    assert _epochs(viewer) == (before[0] + 1, before[1] + 1)


def test_a_role_change_applies_without_ending_sessions(world):
    """The roles are read with the user on every request: no epoch is needed."""
    clerk = world.users["po_clerk"]
    before = _epochs(clerk)
    clerk.roles.append(_role("po_supervisor"))
    users.check_edit(world.users["it_admin"], clerk)
    assert _epochs(clerk) == before


@pytest.mark.parametrize("end_tokens", [False, True])
def test_sign_out_ends_sessions_and_tokens_when_asked(world, end_tokens):
    clerk = world.users["po_clerk"]
    session_epoch, token_epoch = _epochs(clerk)
    auth.sign_out(clerk, end_tokens=end_tokens)
    assert _epochs(clerk) == (session_epoch + 1, token_epoch + end_tokens)


# -- a first password only through create_user ------------------------------------------
def test_create_user_gives_the_first_password(world):
    it = world.users["it_admin"]
    user = users.create_user(
        "clerk_moi", NEW_PASSWORD, ["po_clerk"], "VNP.H55.001", actor=it, temporary=True
    )
    db.session.commit()
    assert user.must_change_password and verify_password(user.password_hash, NEW_PASSWORD)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_id == str(user.id)))
    assert (entry.action, entry.actor_username) == ("create", "it_admin")
    assert entry.changes["after"]["roles"] == ["Nhân viên bưu điện"]
    assert "$argon2" not in str(entry.changes) and NEW_PASSWORD not in str(entry.changes)


def test_create_user_refuses_a_weak_password_and_a_taken_name(world):
    with pytest.raises(ValidationFailed, match="ít nhất 10"):
        users.create_user("clerk_moi", "ngan", ["po_clerk"], "VNP.H55.001")
    with pytest.raises(Conflict):
        users.create_user("po_clerk", NEW_PASSWORD, ["po_clerk"], "VNP.H55.001")


def test_no_door_sets_a_password_hash_itself():
    """Only services.accounts hashes passwords: every door goes through its functions."""
    doors = [ROOT / "cli.py", *(ROOT / "views").rglob("*.py"), *(ROOT / "demo").rglob("*.py")]
    found = [
        str(path.relative_to(ROOT))
        for path in doors
        if re.search(r"hash_password|password_hash\s*=", path.read_text(encoding="utf-8"))
    ]
    assert found == []
