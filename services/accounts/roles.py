"""Roles: the permission matrix of one role, separation of duties between roles, and the
built-in roles' fixed codes."""

from sqlalchemy import inspect, select

from extensions import db
from models.user import ROLE_NAMES, Permission, Role, User, user_roles
from permissions import ALL_ROWS_ROLES, RESOURCES, WORKFLOW_PAIRS, actions_of, manages_all_users
from services import audit
from services.errors import Forbidden, ValidationFailed

SEPARATION = (
    "Người giữ vai trò xem toàn bộ (Quản trị CNTT, Lãnh đạo) không tham gia xử lý hồ sơ: "
    "không được có quyền tiếp nhận, sửa, bàn giao hay chuyển phát qua bất kỳ vai trò nào"
)

# Without these the IT staff could lock themselves out of the grid.
IT_ADMIN_KEEPS = frozenset({("role", "view"), ("role", "edit")})
BUILT_IN_CODE = "Không được đổi mã của vai trò có sẵn."


OUTSIDE_AGENCY_ROLE = (
    "Bạn chỉ được sửa những vai trò riêng mà mọi người giữ đều thuộc cơ quan, đơn vị của bạn; "
    "các vai trò có sẵn dùng chung do Quản trị CNTT sửa."
)


class BuiltInRoleCode(ValidationFailed):
    """A built-in role renamed: the code is what DEFAULT_MATRIX and the rules name."""


class RoleOutsideAgency(Forbidden):
    """``role:edit`` granted outside IT reaching a shared role (built-in, or held elsewhere)."""


def check_role_edit(actor, role: Role) -> None:
    """Refuse ACTOR's change of ROLE (its permissions, name or label) unless ACTOR is IT staff
    or ROLE is a custom role whose holders are all in ACTOR's agency: a department given the
    grid would otherwise give every post office's clerks (or itself, through a shared role)
    new powers. ACTOR None is the system (CLI, demo, migrations)."""
    if actor is None or manages_all_users(actor):
        return
    names = {role.name, *inspect(role).attrs.name.history.deleted}
    if names & set(ROLE_NAMES):
        raise RoleOutsideAgency(OUTSIDE_AGENCY_ROLE)
    if role.id is None:
        return  # a new role: nobody holds it yet
    elsewhere = db.session.scalar(
        select(User.id)
        .join(user_roles, user_roles.c.user_id == User.id)
        .where(user_roles.c.role_id == role.id, User.agency_id != actor.agency_id)
        .limit(1)
    )
    if elsewhere is not None:
        raise RoleOutsideAgency(OUTSIDE_AGENCY_ROLE)


def check_rename(role: Role) -> None:
    """Refuse a pending change of a built-in role's code (its name)."""
    before = inspect(role).attrs.name.history.deleted
    if before and before[0] in ROLE_NAMES and role.name != before[0]:
        raise BuiltInRoleCode(BUILT_IN_CODE, {"name": BUILT_IN_CODE})


def valid_pairs() -> frozenset[tuple[str, str]]:
    """Every (resource, action) the grid offers."""
    return frozenset((r, a) for r in RESOURCES for a in actions_of(r))


def set_permissions(role: Role, pairs, *, actor=None, ip_address=None) -> dict:
    """Make ROLE's permissions exactly PAIRS; audit the difference. Returns it."""
    check_role_edit(actor, role)
    wanted = frozenset(pairs)
    unknown = wanted - valid_pairs()
    if unknown:
        raise ValidationFailed("Bảng phân quyền gửi lên có quyền không tồn tại; hãy tải lại trang.")
    if role.name in ALL_ROWS_ROLES and wanted & WORKFLOW_PAIRS:
        raise ValidationFailed(
            "Quản trị CNTT và lãnh đạo không tham gia xử lý hồ sơ: không thể giao cho vai trò "
            "này các quyền tiếp nhận, sửa, bàn giao hay chuyển phát."
        )
    if wanted & WORKFLOW_PAIRS:
        lock_roles([role.id])  # a concurrent grant of this role waits, then sees these rows
        holder = _all_rows_holder_of(role)
        if holder:
            raise ValidationFailed(f"{SEPARATION}; tài khoản «{holder}» giữ cả vai trò này.")
    if role.name == "it_admin" and not wanted >= IT_ADMIN_KEEPS:
        raise ValidationFailed(
            "Vai trò Quản trị CNTT phải giữ quyền xem và sửa vai trò, "
            "nếu không sẽ không ai sửa được bảng phân quyền."
        )
    current = {(p.resource, p.action): p for p in role.permissions}
    added = sorted(wanted - current.keys())
    removed = sorted(current.keys() - wanted)
    for pair in removed:
        role.permissions.remove(current[pair])
    for resource, action in added:
        role.permissions.append(Permission(resource=resource, action=action))
    if added or removed:
        db.session.flush()
        audit.record(
            "edit_permissions",
            "role",
            role.id,
            actor=actor,
            ip_address=ip_address,
            summary=f"Phân quyền vai trò {role.name}: +{len(added)} / -{len(removed)}",
            changes={
                "before": sorted(f"{r}:{a}" for r, a in current),
                "after": sorted(f"{r}:{a}" for r, a in wanted),
            },
        )
    return {"added": added, "removed": removed}


def _loaded_pairs(roles) -> set[tuple[str, str]]:
    """The (resource, action) pairs of ROLES as the session holds them (a new role's too)."""
    return {(p.resource, p.action) for r in roles for p in r.permissions}


def _all_rows_holder_of(role: Role) -> str | None:
    """The username of one holder of ROLE who also holds an all-rows role, if any."""
    holders = select(user_roles.c.user_id).where(user_roles.c.role_id == role.id)
    all_rows = (
        select(user_roles.c.user_id)
        .join(Role, Role.id == user_roles.c.role_id)
        .where(Role.name.in_(ALL_ROWS_ROLES))
    )
    return db.session.scalar(
        select(User.username).where(User.id.in_(holders), User.id.in_(all_rows)).limit(1)
    )


def lock_roles(role_ids) -> None:
    """Lock the rows of ROLE_IDS until the transaction ends (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite writes one transaction at a time): a grant of a role and a grid save
    of it check separation of duties one after the other, never both from a stale read."""
    ids = sorted({i for i in role_ids if i is not None})
    if ids:
        db.session.execute(
            select(Role.id).where(Role.id.in_(ids)).order_by(Role.id).with_for_update()
        )


def check_separation(roles) -> None:
    """Refuse ROLES together when one is all-rows and any gives a workflow action.

    The roles' rows are locked and their permissions read afresh, not from the session's
    copy, so a grid save committed meanwhile is seen."""
    if not {r.name for r in roles} & ALL_ROWS_ROLES:
        return
    ids = [r.id for r in roles]
    lock_roles(ids)
    pairs = db.session.execute(
        select(Permission.resource, Permission.action).where(Permission.role_id.in_(ids))
    )
    fresh = {(resource, action) for resource, action in pairs}
    workflow = {f"{r}:{a}" for r, a in fresh | _loaded_pairs(roles) if (r, a) in WORKFLOW_PAIRS}
    if workflow:
        raise ValidationFailed(
            f"{SEPARATION} ({', '.join(sorted(workflow)[:5])}).",
            {"roles": "Vi phạm phân tách nhiệm vụ."},
        )
