"""Who may change which account, whichever door asks (panel, API, CLI, demo).

Nobody changes their own roles or agency, nor deactivates their own account. IT staff
manage every account; anyone else granted user management (delegated management) manages
the accounts of their own agency only, never an IT or leadership account
(``permissions.in_scope``), and grants only roles they hold themselves. An ACTOR of None is
the system itself (the CLI, the demo seed): these rules do not bind it.
"""

import permissions
from services.errors import Forbidden

OWN_ROLES = "Bạn không thể tự đổi vai trò hoặc cơ quan của chính mình."
OWN_ACCOUNT = "Bạn không thể tự khóa tài khoản của chính mình."
NOT_HELD = "Bạn chỉ được giao những vai trò mà chính bạn đang giữ."
OUTSIDE = "Bạn chỉ được ghi dữ liệu thuộc cơ quan, đơn vị của mình."


class OwnRolesOrAgency(Forbidden):
    """A user changing their own roles or agency."""


class OwnAccount(Forbidden):
    """A user deactivating their own account."""


class RolesNotHeld(Forbidden):
    """A delegated manager granting a role they do not hold."""


class OutsideScope(Forbidden):
    """A delegated manager writing an account outside their agency, or an IT or leader's."""


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
