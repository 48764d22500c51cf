"""Display names of enumerated values, translated (English msgids)."""

from flask_babel import lazy_gettext as _l

STATUS = {
    "received": _l("Received"),
    "processing": _l("Processing"),
    "supplement_requested": _l("Supplement requested"),
    "result_ready": _l("Result ready"),
    "result_at_counter": _l("Result at counter"),
    "in_delivery": _l("In delivery"),
    "returned": _l("Returned"),
    "not_accepted": _l("Not accepted"),
    "withdrawn": _l("Withdrawn"),
    "stopped": _l("Stopped"),
}
CHANNEL = {
    "counter": _l("At the counter"),
    "post": _l("By post"),
    "online": _l("Online"),
}
RETURN_METHOD = {"counter": _l("At the counter"), "post": _l("By post")}
OUTCOME = {"granted": _l("Granted"), "refused": _l("Refused")}
TIMELINESS = {"early": _l("Early"), "on_time": _l("On time"), "late": _l("Late")}
AGENCY_KIND = {
    "department": _l("Department"),
    "post_office": _l("Post office"),
    "it_unit": _l("IT unit"),
    "leadership": _l("Leadership"),
}
ONLINE_LEVEL = {
    "toan_trinh": _l("Full online"),
    "mot_phan": _l("Partly online"),
    "none": _l("Not online"),
}
DOCUMENT_KIND = {
    "original": _l("Original"),
    "copy": _l("Copy"),
    "certified_copy": _l("Certified copy"),
}
EXTRA_FIELD_TYPE = {
    "text": _l("Text"),
    "number": _l("Number"),
    "date": _l("Date"),
    "choice": _l("Choice"),
}
DIRECTION = {
    "to_department": _l("To the department"),
    "to_post_office": _l("To the post office"),
}
HANDOVER_STATUS = {
    "draft": _l("Draft"),
    "sent": _l("Sent"),
    "confirmed": _l("Confirmed"),
    "cancelled": _l("Cancelled"),
}
DELIVERY_STATUS = {
    "created": _l("Created"),
    "accepted": _l("Accepted by post"),
    "in_transit": _l("In transit"),
    "out_for_delivery": _l("Out for delivery"),
    "delivered": _l("Delivered"),
    "failed": _l("Delivery failed"),
    "returned_to_sender": _l("Returned to sender"),
}
EVENT_SOURCE = {"tracking": _l("Tracking feed"), "manual": _l("Entered by staff")}
ROLE = {
    "po_clerk": _l("Post-office clerk"),
    "po_supervisor": _l("Post-office supervisor"),
    "dept_admin": _l("Department officer"),
    "it_admin": _l("IT administrator"),
    "viewer": _l("Leadership (read-only)"),
}

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
}
ACTION = {
    "view": _l("View"),
    "create": _l("Create"),
    "edit": _l("Edit"),
    "delete": _l("Delete"),
    "export": _l("Export"),
    "receive": _l("Receive"),
    "receive_backdated": _l("Receive dated further back"),
    "refuse": _l("Refuse"),
    "request_supplement": _l("Request supplement"),
    "supplement_received": _l("Supplement received"),
    "apologize": _l("Apologise, new date"),
    "complete": _l("Record result"),
    "stop": _l("Stop processing"),
    "withdraw": _l("Withdraw"),
    "return_at_counter": _l("Return at counter"),
    "ship": _l("Ship by post"),
    "confirm": _l("Confirm handover"),
    "record_event": _l("Record delivery event"),
}

# The question asked before an action that cannot be undone (%(code)s: the dossier's code).
CONFIRM = {
    "refuse": _l("Refuse to accept dossier %(code)s? The applicant gets a refusal slip."),
    "stop": _l("Stop processing dossier %(code)s? This cannot be undone."),
    "withdraw": _l("Record that the applicant withdraws dossier %(code)s? This cannot be undone."),
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

# History steps that are not direct actions.
STEP = {
    "receive": _l("Received at the counter"),
    "handover_to_department": _l("Handed over to the department"),
    "handover_to_post_office": _l("Result handed to the post office"),
    "ship": _l("Shipped by post"),
    "delivered": _l("Delivered"),
    "returned_to_sender": _l("Returned to sender"),
}


def choices(mapping: dict) -> list[tuple[str, object]]:
    """(value, label) pairs for a form select."""
    return list(mapping.items())


def _label(mapping: dict):
    def label(value) -> str:
        return "" if value is None else str(mapping.get(value, value))

    return label


def audit_action_label(action: str | None) -> str:
    """An audit entry's action, named: ``Tạo mới``, ``Ghi kết quả``, ``Đăng nhập``."""
    return "" if action is None else str(AUDIT_ACTION.get(action) or step_label(action))


def step_label(action: str | None) -> str:
    """A history step or workflow action by its name: ``Tiếp nhận tại quầy``."""
    return "" if action is None else str(STEP.get(action) or ACTION.get(action) or action)


FILTERS = {
    "status_label": _label(STATUS),
    "action_label": step_label,
    "role_label": _label(ROLE),
    "resource_label": _label(RESOURCE),
    "timeliness_label": _label(TIMELINESS),
    "delivery_status_label": _label(DELIVERY_STATUS),
}


def register_filters(app) -> None:
    """The labels as Jinja filters for every template: ``{{ step.to_status|status_label }}``."""
    from views.client_text import client_text

    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals["client_text"] = client_text
