"""Screens for the working-calendar overrides and the audit log."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import InputRequired

from views.admin.base import SecuredModelView


class CalendarOverrideView(SecuredModelView):
    resource = "holiday"
    allow_delete = True
    column_list = ("day", "is_working", "name", "created_by", "created_at")
    column_default_sort = ("day", True)
    column_filters = ("day", "is_working")
    column_searchable_list = ("name",)
    column_labels = {
        "day": _l("Date"),
        "is_working": _l("Working day"),
        "name": _l("Reason or decision"),
        "created_by": _l("Added by"),
        "created_at": _l("Added at"),
    }
    column_descriptions = {
        "is_working": _l("Ticked: a make-up working day; unticked: a day off"),
    }
    form_columns = ("day", "is_working", "name")
    form_args = {"day": {"validators": [InputRequired()], "format": "%d/%m/%Y"}}

    def prepare(self, form, model, is_created):
        if is_created:
            model.created_by_id = current_user.id


class AuditLogView(SecuredModelView):
    """Read-only for everyone: the audit log is append-only."""

    resource = "audit_log"
    allow_create = False
    allow_edit = False
    simple_list_pager = True
    column_list = (
        "at",
        "actor_username",
        "ip_address",
        "action",
        "entity",
        "entity_id",
        "summary",
    )
    column_details_list = (*column_list, "changes")
    column_default_sort = ("at", True)
    column_sortable_list = ("at",)
    column_filters = ("action", "entity", "entity_id", "actor_username", "at")
    column_labels = {
        "at": _l("Time"),
        "actor_username": _l("User"),
        "ip_address": _l("IP address"),
        "action": _l("Action"),
        "entity": _l("Record type"),
        "entity_id": _l("Record ID"),
        "summary": _l("Summary"),
        "changes": _l("Changes"),
    }
