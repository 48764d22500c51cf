"""Who may change which account, whichever door asks (panel, API, CLI, demo).

Nobody changes their own roles or agency, nor deactivates their own account. IT staff
manage every account; anyone else granted user management (delegated management) manages
the accounts of their own agency only, never an IT or leadership account
(``permissions.in_scope``) nor one holding a role the manager does not hold, and grants only
roles they hold themselves. An ACTOR of None is
the system itself (the CLI, the demo seed): these rules do not bind it.
"""

import permissions
from services.errors import Forbidden

OWN_ROLES = "Bạn không thể tự đổi vai trò hoặc cơ quan của chính mình."
OWN_ACCOUNT = "Bạn không thể tự khóa tài khoản của chính mình."
NOT_HELD = "Bạn chỉ được giao những vai trò mà chính bạn đang giữ."
OUTSIDE = "Bạn chỉ được ghi dữ liệu thuộc cơ quan, đơn vị của mình."
ACCOUNT_ROLES_NOT_HELD = (
    "Tài khoản này giữ vai trò mà chính bạn không có: chỉ Quản trị CNTT sửa, đặt lại mật khẩu "
    "hay khóa được tài khoản này."
)


class OwnRolesOrAgency(Forbidden):
    """A user changing their own roles or agency."""


class OwnAccount(Forbidden):
    """A user deactivating their own account."""


class RolesNotHeld(Forbidden):
    """A delegated manager granting a role they do not hold."""


class OutsideScope(Forbidden):
    """A delegated manager writing an account outside their agency, or an IT or leader's."""


class AccountRolesNotHeld(Forbidden):
    """A delegated manager writing an account that holds a role the manager does not hold."""


def _is_self(actor, user) -> bool:
    return actor is not None and user.id is not None and actor.id == user.id


def check_own_roles(actor, user, *, changed: bool) -> None:
    """Refuse ACTOR's change (CHANGED) of their own roles or agency."""
    if changed and _is_self(actor, user):
        raise OwnRolesOrAgency(OWN_ROLES)


def check_not_self(actor, user) -> None:
    """Refuse ACTOR deactivating their own account."""
    if _is_self(actor, user):
        raise OwnAccount(OWN_ACCOUNT)


def check_grant(actor, role_names) -> None:
    """Refuse roles ACTOR does not hold, unless ACTOR manages every account."""
    if actor is None or permissions.manages_all_users(actor):
        return
    if set(role_names) - actor.role_names:
        raise RolesNotHeld(NOT_HELD, {"roles": NOT_HELD})


def check_manages(actor, user) -> None:
    """Refuse a write of USER (its agency and roles as stored) outside ACTOR's scope; one's
    own account (a password change) is one's own."""
    if actor is None or _is_self(actor, user):
        return
    if not permissions.in_scope(actor, "user", user):
        raise OutsideScope(OUTSIDE)
    check_account_roles(actor, user, {role.name for role in user.roles})


def check_account_roles(actor, user, role_names) -> None:
    """Refuse a delegated manager's write of USER, an account holding ROLE_NAMES (as stored
    before the write), when ACTOR does not hold every one of them: a manager would otherwise
    take over, by a reset, an account with more powers than their own."""
    if actor is None or _is_self(actor, user) or permissions.manages_all_users(actor):
        return
    if set(role_names) - actor.role_names:
        raise AccountRolesNotHeld(ACCOUNT_ROLES_NOT_HELD)
