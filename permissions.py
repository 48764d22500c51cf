"""The one answer to "may this user do ACTION on RESOURCE (and on this row)".

The role × resource × action matrix is data (``permission`` rows), seeded from
DEFAULT_MATRIX and editable by IT staff. The row-scope rule is code.

Foundation stage: the panel asks ``can`` and ``scope`` for every route; any
signed-in active user is allowed and sees every row until the access-control
issue fills these two functions in from the matrix.
"""

from models.user import ROLE_NAMES

RESOURCES = (
    "dossier",
    "procedure_type",
    "agency",
    "handover",
    "delivery_order",
    "user",
    "role",
    "holiday",
    "audit_log",
    "report",
)
CRUD = ("view", "create", "edit", "delete", "export")
DOSSIER_ACTIONS = (
    "receive",
    "refuse",
    "request_supplement",
    "supplement_received",
    "apologize",
    "complete",
    "stop",
    "withdraw",
    "return_at_counter",
    "ship",
)
HANDOVER_ACTIONS = ("confirm",)
DELIVERY_ACTIONS = ("record_event",)

_READ = ("view", "export")
_PO_DOSSIER = (
    "view",
    "create",
    "export",
    "receive",
    "refuse",
    "supplement_received",
    "withdraw",
    "return_at_counter",
    "ship",
)
_DEPT_DOSSIER = (
    "view",
    "edit",
    "export",
    "refuse",
    "request_supplement",
    "supplement_received",
    "apologize",
    "complete",
    "stop",
    "withdraw",
)

DEFAULT_MATRIX: dict[str, dict[str, tuple[str, ...]]] = {
    "po_clerk": {
        "dossier": _PO_DOSSIER,
        "handover": ("view", "create", "confirm"),
        "delivery_order": ("view", "create", "record_event"),
        "procedure_type": ("view",),
        "agency": ("view",),
        "holiday": ("view",),
        "report": ("view",),
    },
    "po_supervisor": {
        "dossier": (*_PO_DOSSIER, "edit"),
        "handover": ("view", "create", "confirm", "export"),
        "delivery_order": ("view", "create", "edit", "record_event", "export"),
        "procedure_type": ("view",),
        "agency": ("view",),
        "holiday": ("view",),
        "report": _READ,
    },
    "dept_admin": {
        "dossier": _DEPT_DOSSIER,
        "handover": ("view", "create", "confirm", "export"),
        "delivery_order": ("view",),
        "procedure_type": ("view",),
        "agency": ("view",),
        "holiday": ("view",),
        "report": _READ,
    },
    "it_admin": {
        "dossier": _READ,
        "handover": _READ,
        "delivery_order": _READ,
        "procedure_type": ("view", "create", "edit", "export"),
        "agency": ("view", "create", "edit", "export"),
        "user": ("view", "create", "edit", "export"),
        "role": ("view", "create", "edit"),
        "holiday": ("view", "create", "edit", "delete"),
        "audit_log": _READ,
        "report": _READ,
    },
    "viewer": {
        "dossier": _READ,
        "handover": ("view",),
        "delivery_order": ("view",),
        "procedure_type": ("view",),
        "agency": ("view",),
        "holiday": ("view",),
        "report": _READ,
    },
}
assert set(DEFAULT_MATRIX) == set(ROLE_NAMES)


def can(user, resource: str, action: str) -> bool:
    """May USER do ACTION on RESOURCE? (Foundation: any active signed-in user.)"""
    return bool(user is not None and user.is_authenticated and user.is_active)


def scope(user, resource: str, query):
    """QUERY narrowed to the rows of RESOURCE that USER may see. (Foundation: all.)"""
    return query
