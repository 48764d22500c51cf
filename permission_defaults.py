"""The permission grid's vocabulary and defaults: resources, actions, the seeded matrix.

Data only; ``permissions`` holds the checks and re-exports these names.
"""

from models.dossier_actions import DOSSIER_GRANTS
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
    "postage_rate",
    "outbox",
    "portal_mapping",
    "notification_template",
    "carrier_status",
    "carrier_webhook",
)
CRUD = ("view", "create", "edit", "delete", "export")
# The workflow's actions on dossiers, from their records (models.dossier_actions).
DOSSIER_ACTIONS = DOSSIER_GRANTS
HANDOVER_ACTIONS = ("confirm", "cancel")
DELIVERY_ACTIONS = ("record_event",)
# A carrier's webhook call kept unapplied is applied again once its mapping is fixed.
WEBHOOK_ACTIONS = ("reapply",)
SCOPED_RESOURCES = frozenset(
    {"dossier", "handover", "delivery_order", "report_daily", "report_delay"}
)
ACTIONS: dict[str, tuple[str, ...]] = {
    "dossier": CRUD + DOSSIER_ACTIONS,
    "handover": CRUD + HANDOVER_ACTIONS,
    "delivery_order": CRUD + DELIVERY_ACTIONS,
    "report": ("view", "export"),
    "audit_log": ("view", "export"),
    "outbox": ("view", "edit"),  # edit: retry or discard a row
    "carrier_webhook": ("view", "export", *WEBHOOK_ACTIONS),
}

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
        "postage_rate": ("view",),
    },
    "po_supervisor": {
        "dossier": (*_PO_DOSSIER, "edit", "receive_backdated"),
        "handover": ("view", "create", "confirm", "cancel", "export"),
        "delivery_order": ("view", "create", "edit", "record_event", "export"),
        "procedure_type": ("view",),
        "agency": ("view",),
        "holiday": ("view",),
        "report": _READ,
        "postage_rate": ("view",),
        "outbox": ("view",),
        "carrier_status": ("view",),
    },
    "dept_admin": {
        "dossier": _DEPT_DOSSIER,
        "handover": ("view", "create", "confirm", "cancel", "export"),
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
        "postage_rate": ("view", "create", "edit", "delete", "export"),
        "audit_log": _READ,
        "report": _READ,
        "outbox": ("view", "edit"),
        "portal_mapping": ("view", "create", "edit", "delete"),
        "notification_template": ("view", "edit"),
        "carrier_status": ("view", "create", "edit", "delete", "export"),
        "carrier_webhook": ("view", "export", *WEBHOOK_ACTIONS),
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


def actions_of(resource: str) -> tuple[str, ...]:
    """The actions that mean something for RESOURCE (the columns of the grid)."""
    return ACTIONS.get(resource, CRUD)


ALL_ROWS_ROLES = frozenset({"it_admin", "viewer"})
# The kind of agency each role belongs in; a user's roles must all fit their agency.
ROLE_AGENCY_KIND = {
    "po_clerk": "post_office",
    "po_supervisor": "post_office",
    "dept_admin": "department",
    "it_admin": "it_unit",
    "viewer": "leadership",
}
# What IT staff and leaders never do, whatever the grid says (DOMAIN.md): the workflow.
WORKFLOW_PAIRS = frozenset(
    {("dossier", a) for a in ("create", "edit", *DOSSIER_ACTIONS)}
    | {("handover", a) for a in ("create", "edit", *HANDOVER_ACTIONS)}
    | {("delivery_order", a) for a in ("create", "edit", *DELIVERY_ACTIONS)}
)
