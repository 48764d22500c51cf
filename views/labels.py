"""Labels of what has no vocabulary of its own (resources, grid and audit actions), the
labels derived from the workflow's records, and the label filters of every template.

Enumerated values are labelled by their vocabulary, beside their model
(``STATUSES.label(value)``, ``STATUSES.choices()``).
"""

from flask_babel import lazy_gettext as _l

from models.delivery import DELIVERY_STATUSES
from models.dossier import STATUSES, TIMELINESS
from models.dossier_actions import ACTIONS, BY_NAME
from models.notification import NOTIFY_CHANNELS
from models.user import ROLES
from permission_defaults import (
    CRUD,
    DELIVERY_ACTIONS,
    DOSSIER_ACTIONS,
    HANDOVER_ACTIONS,
    WEBHOOK_ACTIONS,
)

# Roles' labels, from their vocabulary (people.py reads them here).
ROLE = ROLES.labels()

RESOURCE = {
    "dossier": _l("Dossiers"),
    "procedure_type": _l("Procedure types"),
    "agency": _l("Agencies"),
    "handover": _l("Handover log"),
    "delivery_order": _l("Delivery orders"),
    "user": _l("Users"),
    "role": _l("Roles"),
    "holiday": _l("Working calendar"),
    "audit_log": _l("Audit log"),
    "report": _l("Reports"),
    "postage_rate": _l("Postage price list"),
    "carrier_status": _l("Carrier status codes"),
    "carrier_webhook": _l("Carrier webhooks"),
    "notification_template": _l("Message templates"),
}
# One record of each resource, as messages name it: "Đã lưu hồ sơ 000.00.15.H55-260301-0001".
RECORD_KIND = {
    "dossier": _l("dossier"),
    "procedure_type": _l("procedure type"),
    "agency": _l("agency"),
    "handover": _l("handover batch"),
    "delivery_order": _l("parcel"),
    "user": _l("account"),
    "role": _l("role"),
    "holiday": _l("calendar day"),
    "postage_rate": _l("price-list line"),
    "carrier_status": _l("carrier status code"),
    "carrier_webhook": _l("carrier webhook call"),
    "notification_template": _l("message template"),
}
# The grid's actions that are no workflow action (those come from their records).
_OTHER_ACTIONS = {
    "view": _l("View"),
    "create": _l("Create"),
    "edit": _l("Edit"),
    "delete": _l("Delete"),
    "export": _l("Export"),
    "receive_backdated": _l("Receive dated further back"),
    "confirm": _l("Confirm handover"),
    "cancel": _l("Cancel handover batch"),
    "record_event": _l("Record delivery event"),
    "reapply": _l("Apply a carrier webhook again"),
}
# Every grid action's label, in the grid's order.
ACTION = {
    a: BY_NAME[a].label if a in BY_NAME else _OTHER_ACTIONS[a]
    for a in (*CRUD, *DOSSIER_ACTIONS, *HANDOVER_ACTIONS, *DELIVERY_ACTIONS, *WEBHOOK_ACTIONS)
}

# What an audit entry records, beyond the workflow actions of ACTION.
AUDIT_ACTION = {
    "create": _l("Created"),
    "edit": _l("Changed"),
    "delete": _l("Deleted"),
    "export": _l("Exported"),
    "login": _l("Signed in"),
    "logout": _l("Signed out"),
    "login_failed": _l("Failed sign-in"),
    "login_locked": _l("Sign-in refused (paused)"),
    "change_password": _l("Changed own password"),
    "reset_password": _l("Reset a password"),
    "activate": _l("Activated account"),
    "deactivate": _l("Deactivated account"),
    "edit_permissions": _l("Changed permissions"),
}

# How the timeline names the workflow's steps, from their records.
STEP = {a.name: a.step_label for a in ACTIONS}


def choices(mapping: dict) -> list[tuple[str, object]]:
    """(value, label) pairs for a form select."""
    return list(mapping.items())


def _named(vocabulary):
    def label(value) -> str:
        return str(vocabulary.label(value))

    return label


def _label(mapping: dict):
    def label(value) -> str:
        return "" if value is None else str(mapping.get(value, value))

    return label


def audit_action_label(action: str | None) -> str:
    """An audit entry's action, named: ``Tạo mới``, ``Ghi kết quả``, ``Đăng nhập``."""
    return "" if action is None else str(AUDIT_ACTION.get(action) or step_label(action))


def step_label(action: str | None) -> str:
    """A history step or grid action by its name: ``Tiếp nhận tại quầy``."""
    return "" if action is None else str(STEP.get(action) or ACTION.get(action) or action)


FILTERS = {
    "status_label": _named(STATUSES),
    "action_label": step_label,
    "role_label": _label(ROLE),
    "resource_label": _label(RESOURCE),
    "timeliness_label": _named(TIMELINESS),
    "delivery_status_label": _named(DELIVERY_STATUSES),
    "notify_channel_label": _named(NOTIFY_CHANNELS),
}


def register_filters(app) -> None:
    """The labels as Jinja filters for every template: ``{{ step.to_status|status_label }}``."""
    from views.client_text import client_text

    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals["client_text"] = client_text
