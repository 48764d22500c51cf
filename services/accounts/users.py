"""Accounts: created (the only way to a first password), edited, given a new password,
deactivated; and the roles seeded with their default permissions."""

from sqlalchemy import inspect, select

from extensions import db
from models.agency import Agency
from models.audit import AuditEntry
from models.user import ROLE_NAMES, Permission, Role, User
from permissions import DEFAULT_MATRIX, roles_misfit
from services import audit
from services.accounts import delegation
from services.accounts.auth import end_sessions, unlock
from services.accounts.passwords import hash_password, policy_problem
from services.accounts.roles import check_separation
from services.errors import Conflict, ValidationFailed

ROLE_LABELS = {
    "po_clerk": (
        "Nhân viên bưu điện",
        "Tiếp nhận hồ sơ, bàn giao, trả kết quả tại quầy hoặc qua bưu chính",
    ),
    "po_supervisor": (
        "Giám sát bưu điện",
        "Mọi việc của nhân viên, giám sát bàn giao, phát và số liệu; sửa, hủy",
    ),
    "dept_admin": (
        "Cán bộ sở, ngành",
        "Xác nhận bàn giao, xử lý hồ sơ, yêu cầu bổ sung, ghi kết quả",
    ),
    "it_admin": (
        "Quản trị CNTT",
        "Cấu hình thủ tục, cơ quan, lịch làm việc, người dùng, vai trò và quyền",
    ),
    "viewer": ("Lãnh đạo (chỉ xem)", "Xem hồ sơ và báo cáo"),
}


def ensure_roles() -> dict[str, Role]:
    """The five roles, created with DEFAULT_MATRIX's permissions when missing."""
    roles = {r.name: r for r in db.session.scalars(select(Role))}
    for name in ROLE_NAMES:
        if name in roles:
            continue
        label, description = ROLE_LABELS[name]
        role = Role(name=name, label=label, description=description)
        for resource, actions in DEFAULT_MATRIX[name].items():
            role.permissions.extend(Permission(resource=resource, action=a) for a in actions)
        db.session.add(role)
        roles[name] = role
    db.session.flush()
    return roles


def create_user(
    username: str,
    password: str,
    role_names: list[str],
    agency_code: str,
    full_name: str | None = None,
    email: str | None = None,
    actor=None,
    enforce_policy: bool = True,
    *,
    active: bool = True,
    temporary: bool = False,
    ip_address: str | None = None,
) -> User:
    """A new user with a first password; raises a ServiceError with a Vietnamese message.

    ACTOR (None for the CLI and the demo) grants only what delegation allows. TEMPORARY
    (IT staff chose the password) makes the user choose their own at first sign-in.
    ``enforce_policy=False`` is for the demo accounts only, whose password the
    contract fixes; seed-demo is refused in production.
    """
    username = (username or "").strip()
    if len(username) < 3:
        raise ValidationFailed("Tên đăng nhập phải có ít nhất 3 ký tự.", {"username": "Quá ngắn."})
    problem = policy_problem(password, username) if enforce_policy else None
    if problem:
        raise ValidationFailed(problem, {"password": problem})
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"Tên đăng nhập «{username}» đã có.")
    agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
    if agency is None:
        raise ValidationFailed(
            f"Không có cơ quan mã «{agency_code}».", {"agency": "Không tồn tại."}
        )
    roles = ensure_roles()
    unknown = [r for r in role_names if r not in roles]
    if unknown or not role_names:
        raise ValidationFailed(
            f"Vai trò phải là một trong: {', '.join(ROLE_NAMES)}.",
            {"role": "Không hợp lệ."},
        )
    check_roles_fit(role_names, agency)
    check_separation([roles[r] for r in role_names])
    delegation.check_grant(actor, role_names)
    user = User(
        username=username,
        full_name=full_name or username,
        email=email,
        password_hash=hash_password(password),
        must_change_password=temporary,
        active=active,
        agency=agency,
        roles=[roles[r] for r in role_names],
    )
    db.session.add(user)
    changes = audit.changes_of(user)
    db.session.flush()
    delegation.check_manages(actor, user)
    audit.record(
        "create",
        "user",
        user.id,
        actor=actor,
        ip_address=ip_address,
        summary=f"Tạo tài khoản {username}",
        changes=changes,
    )
    return user


AGENCY_KIND_NAMES = {
    "department": "sở, ngành",
    "post_office": "bưu điện",
    "it_unit": "đơn vị CNTT",
    "leadership": "lãnh đạo",
}


def check_roles_fit(role_names, agency: Agency) -> None:
    """Refuse roles that do not belong in AGENCY (a clerk's role in a department, say)."""
    misfit = roles_misfit(role_names, agency.kind)
    if misfit:
        raise ValidationFailed(
            f"Vai trò {', '.join(misfit)} không dùng cho cơ quan loại "
            f"«{AGENCY_KIND_NAMES.get(agency.kind, agency.kind)}».",
            {"roles": "Không phù hợp với cơ quan."},
        )


def check_roles(roles, agency: Agency) -> None:
    """Refuse ROLES for a user of AGENCY: misfit roles, or a breach of separation of duties."""
    check_roles_fit([r.name for r in roles], agency)
    check_separation(roles)


def check_edit(actor, user: User) -> None:
    """The rules of ACTOR's pending edit of USER (read from the row's unsaved changes): not
    one's own roles or agency, roles that fit and keep duties apart, only roles ACTOR holds,
    not one's own deactivation; a deactivation ends the user's sessions and tokens.

    Scope (the agency the user ends in) is checked once the edit is flushed.
    """
    state = inspect(user)
    roles, agency, active = (state.attrs[key].history for key in ("roles", "agency", "active"))
    with db.session.no_autoflush:  # the edit stays unsaved: the screen audits it next
        stored = [*roles.unchanged, *roles.deleted] if roles.has_changes() else user.roles
        delegation.check_account_roles(actor, user, {r.name for r in stored})
        delegation.check_own_roles(actor, user, changed=roles.has_changes() or agency.has_changes())
        check_roles(user.roles, user.agency)
        delegation.check_grant(actor, {r.name for r in roles.added})
    if active.has_changes() and not user.active:
        delegation.check_not_self(actor, user)
        end_sessions(user, tokens=True)
    if state.attrs["kiosk_clerk"].history.has_changes():
        check_kiosk_binding(user, user.kiosk_clerk)


#: The roles of the clerks a counter tablet may be bound to.
KIOSK_CLERK_ROLES = frozenset({"po_clerk", "po_supervisor"})


def check_kiosk_binding(kiosk: User, clerk: User | None) -> None:
    """Refuse binding the counter tablet's account KIOSK to CLERK unless CLERK is another
    active counter clerk of the same post office, not a tablet's account itself."""
    if clerk is None:
        return
    problem = None
    if clerk is kiosk or (clerk.id is not None and clerk.id == kiosk.id):
        problem = "Tài khoản máy tính bảng không thể gắn với chính nó."
    elif clerk.kiosk_clerk_id is not None:
        problem = "Nhân viên được gắn phải là nhân viên quầy, không phải một máy tính bảng khác."
    elif not (clerk.role_names & KIOSK_CLERK_ROLES) or not clerk.active:
        problem = "Nhân viên được gắn phải là nhân viên hoặc giám sát bưu điện đang hoạt động."
    elif clerk.agency_id != (kiosk.agency.id if kiosk.agency else kiosk.agency_id):
        problem = "Máy tính bảng và nhân viên được gắn phải thuộc cùng một bưu điện."
    if problem:
        raise ValidationFailed(problem, {"kiosk_clerk": problem})


SAME_PASSWORD = "Mật khẩu mới phải khác mật khẩu hiện tại (mật khẩu bạn được cấp)."  # noqa: S105


def set_password(
    user: User,
    password: str,
    *,
    confirmation: str | None = None,
    current: str | None = None,
    actor=None,
    temporary: bool = False,
    ip_address=None,
):
    """Give USER a new password (policy checked) and end the user's other sessions.

    CONFIRMATION, when given (a form's second entry), must equal PASSWORD; CURRENT, when
    given (the password the user signed in with, checked by the caller), must differ from it:
    a first password IT staff typed is not kept as one's own.
    TEMPORARY (a reset by IT staff) makes the user choose a new one at next sign-in.
    """
    delegation.check_manages(actor, user)
    if confirmation is not None and confirmation != password:
        raise ValidationFailed(
            "Hai lần nhập mật khẩu mới không khớp nhau.", {"confirmation": "Không khớp."}
        )
    if current is not None and current == password:
        raise ValidationFailed(SAME_PASSWORD, {"password": SAME_PASSWORD})
    problem = policy_problem(password, user.username)
    if problem:
        raise ValidationFailed(problem, {"password": problem})
    user.password_hash = hash_password(password)
    user.must_change_password = temporary
    end_sessions(user, tokens=True)
    unlock(user.username)
    user.locked_until = None
    audit.record(
        "reset_password" if temporary else "change_password",
        "user",
        user.id,
        actor=actor or user,
        ip_address=ip_address,
        summary=f"Đặt lại mật khẩu cho {user.username}" if temporary else "Đổi mật khẩu",
    )


def first_password_was_reset(user: User) -> bool:
    """Does USER's pending password change follow a reset by IT staff (rather than the
    account's creation)? Read from the audit log, which records both."""
    found = db.session.scalar(
        select(AuditEntry.id)
        .where(
            AuditEntry.entity == "user",
            AuditEntry.entity_id == str(user.id),
            AuditEntry.action == "reset_password",
        )
        .limit(1)
    )
    return found is not None


def set_active(user: User, active: bool, *, actor=None, ip_address=None) -> None:
    """Activate or deactivate USER (never one's own account); deactivation ends the user's
    sessions and tokens at once."""
    if not active:
        delegation.check_not_self(actor, user)
    delegation.check_manages(actor, user)
    if user.active == active:
        return
    before = user.active
    user.active = active
    if not active:
        end_sessions(user, tokens=True)
    audit.record(
        "activate" if active else "deactivate",
        "user",
        user.id,
        actor=actor,
        ip_address=ip_address,
        changes={"before": {"active": before}, "after": {"active": active}},
    )
