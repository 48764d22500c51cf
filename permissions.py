"""The one answer to "may this user do ACTION on RESOURCE (and on this row)".

The role × resource × action matrix is data (``permission`` rows), seeded from
DEFAULT_MATRIX and editable by IT staff; it is read once per request, so a
change in the grid takes effect on the next request. The row-scope rule is
code: department users see the dossiers of their agency's procedures,
post-office users those their office received, IT staff and leaders all.
Two rules hold whatever the grid says: whoever holds an all-rows role (IT,
leadership) does no workflow action, through any role; and users managed by
anyone but IT staff are those of the manager's own agency, never IT or
leadership accounts. The audit log is scoped like the records it names.
"""

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import String, and_, cast, false, or_, select

from extensions import db
from models.audit import AuditEntry
from models.catalog import ProcedureType
from models.delivery import DeliveryOrder
from models.dossier import Dossier
from models.handover import Handover
from models.report import ReportDaily, ReportDelay
from models.user import Permission, Role, User, user_roles
from permission_defaults import (  # noqa: F401  (the vocabulary, re-exported)
    ACTIONS,
    ALL_ROWS_ROLES,
    CRUD,
    DEFAULT_MATRIX,
    DELIVERY_ACTIONS,
    DOSSIER_ACTIONS,
    HANDOVER_ACTIONS,
    RESOURCES,
    ROLE_AGENCY_KIND,
    SCOPED_RESOURCES,
    WORKFLOW_PAIRS,
    actions_of,
)


def granted(user) -> frozenset[tuple[str, str]]:
    """The (resource, action) pairs USER's roles allow, once per request.

    The roles come with the user (with their grants version); their grants are kept
    per app process by (role id, version), so a grid change applies on the next request.
    A counter tablet's account (``kiosk_clerk_id`` set) is granted nothing, whatever its roles.
    """
    if getattr(user, "kiosk_clerk_id", None) is not None:
        return frozenset()  # a counter tablet's account: its screen, nothing of the grid
    cache = g.setdefault("_granted", {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = _grants_of(frozenset((r.id, r.grants_version) for r in user.roles))
    return cache[user.id]


def _grants_of(roles: frozenset[tuple[int, int]]) -> frozenset[tuple[str, str]]:
    store = current_app.extensions.setdefault("role_grants", {}) if has_app_context() else {}
    if roles not in store:
        if len(store) > 1000:
            store.clear()
        rows = db.session.execute(
            select(Permission.resource, Permission.action).where(
                Permission.role_id.in_([role_id for role_id, _ in roles])
            )
        )
        store[roles] = frozenset((resource, action) for resource, action in rows)
    return store[roles]


def forget_grants() -> None:
    """Drop this request's cached grants (after the matrix or a user's roles change)."""
    if has_request_context():
        g.pop("_granted", None)
        g.pop("_can", None)


def can(user, resource: str, action: str) -> bool:
    """May USER do ACTION on RESOURCE at all (before any row is considered)?

    Separation of duties is checked here too, at the time of the action: a
    holder of an all-rows role does no workflow action, whichever role grants it.
    """
    user = getattr(user, "_get_current_object", lambda: user)()  # the proxy, once
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    answers = g.setdefault("_can", {}) if has_request_context() else {}
    key = (user.id, resource, action)
    if key not in answers:
        answers[key] = not (
            (resource, action) in WORKFLOW_PAIRS and holds_all_rows_role(user)
        ) and (resource, action) in granted(user)
    return answers[key]


def holds_all_rows_role(user) -> bool:
    """Does USER hold IT's or leadership's role (whatever the agency)?"""
    return bool(user.role_names & ALL_ROWS_ROLES)


def manages_all_users(user) -> bool:
    """IT staff manage every account; anyone else granted users, their agency's only."""
    return "it_admin" in user.role_names and user.agency.kind == "it_unit"


def _all_rows_holders():
    """SQL: the ids of users holding an all-rows role."""
    return (
        select(user_roles.c.user_id)
        .join(Role, Role.id == user_roles.c.role_id)
        .where(Role.name.in_(ALL_ROWS_ROLES))
    )


def sees_all_rows(user) -> bool:
    """IT staff and leaders see every agency's rows (only from an IT or leadership agency)."""
    return bool(user.role_names & ALL_ROWS_ROLES) and user.agency.kind in ("it_unit", "leadership")


def report_filter_bounds(user) -> tuple[int | None, int | None]:
    """The department and the post office USER may narrow the reports to alone (None: any).

    Department staff choose only their department (and its procedures), post-office staff
    only their office; IT staff and leaders, like anyone else, any.
    """
    if sees_all_rows(user):
        return None, None
    kind, own = user.agency.kind, user.agency_id
    return (own if kind == "department" else None), (own if kind == "post_office" else None)


def roles_misfit(role_names, agency_kind: str) -> list[str]:
    """The built-in roles among ROLE_NAMES that do not belong in an agency of AGENCY_KIND."""
    return sorted(r for r in role_names if ROLE_AGENCY_KIND.get(r, agency_kind) != agency_kind)


def scope_clause(user, resource: str):
    """SQL condition for the rows of RESOURCE in USER's scope, or None for all rows."""
    if resource == "user":
        if manages_all_users(user):
            return None
        return and_(User.agency_id == user.agency_id, User.id.not_in(_all_rows_holders()))
    if resource == "audit_log":
        return None if sees_all_rows(user) else _audit_clause(user)
    if sees_all_rows(user) or resource not in SCOPED_RESOURCES:
        return None
    agency_id, kind = user.agency_id, user.agency.kind
    if resource == "dossier":
        if kind == "department":
            return Dossier.agency_id == agency_id
        if kind == "post_office":
            return Dossier.post_office_id == agency_id
    elif resource == "handover" and kind in ("department", "post_office"):
        return or_(Handover.from_agency_id == agency_id, Handover.to_agency_id == agency_id)
    elif resource in ("report_daily", "report_delay"):  # they carry their dossiers' keys
        model = ReportDaily if resource == "report_daily" else ReportDelay
        if kind == "department":
            return model.agency_id == agency_id
        if kind == "post_office":
            return model.post_office_id == agency_id
    elif resource == "delivery_order":
        if kind == "post_office":
            return DeliveryOrder.post_office_id == agency_id
        if kind == "department":
            return DeliveryOrder.dossier_id.in_(
                select(Dossier.id).where(Dossier.agency_id == agency_id)
            )
    return false()


def _audit_clause(user):
    """Audit entries naming a record USER may see (scoped by agency)."""
    named = {
        "dossier": (Dossier.id, "dossier"),
        "handover": (Handover.id, "handover"),
        "delivery_order": (DeliveryOrder.id, "delivery_order"),
        "user": (User.id, "user"),
    }
    clauses = []
    for entity, (column, resource) in named.items():
        clause = scope_clause(user, resource)
        ids = select(cast(column, String))
        ids = ids if clause is None else ids.where(clause)
        clauses.append(and_(AuditEntry.entity == entity, AuditEntry.entity_id.in_(ids)))
    own_procedures = select(cast(ProcedureType.id, String)).where(
        ProcedureType.agency_id == user.agency_id
    )
    clauses.append(
        and_(AuditEntry.entity == "procedure_type", AuditEntry.entity_id.in_(own_procedures))
    )
    clauses.append(and_(AuditEntry.entity == "agency", AuditEntry.entity_id == str(user.agency_id)))
    return or_(*clauses)


def scope(user, resource: str, query):
    """QUERY narrowed to the rows of RESOURCE that USER may see."""
    clause = scope_clause(user, resource)
    return query if clause is None else query.filter(clause)


def in_scope(user, resource: str, row) -> bool:
    """Is ROW (loaded or about to be written) inside USER's scope for RESOURCE?"""
    if resource == "user":
        return manages_all_users(user) or (
            row.agency_id == user.agency_id and not holds_all_rows_role(row)
        )
    if sees_all_rows(user) or resource not in SCOPED_RESOURCES:
        return True
    agency_id, kind = user.agency_id, user.agency.kind
    if resource == "dossier":
        field = {"department": "agency_id", "post_office": "post_office_id"}.get(kind)
        return field is not None and getattr(row, field) == agency_id
    if resource == "handover":
        return agency_id in (row.from_agency_id, row.to_agency_id)
    if resource == "delivery_order":
        if kind == "post_office":
            return row.post_office_id == agency_id
        dossier = row.dossier or db.session.get(Dossier, row.dossier_id)
        return kind == "department" and dossier is not None and dossier.agency_id == agency_id
    return False


def may_write(user, resource: str, row) -> bool:
    """May USER give ROW these values (on create or edit), the matrix allowing the action?

    Workflow rows must stay inside the user's scope; catalog rows tied to an
    agency must be the user's own agency's unless the user is IT staff.
    """
    if resource in SCOPED_RESOURCES or resource == "user":
        return in_scope(user, resource, row)
    if "it_admin" in user.role_names:
        return True
    if resource == "procedure_type":
        return row.agency_id == user.agency_id
    if resource == "agency":
        return row.id == user.agency_id
    return True
