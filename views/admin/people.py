"""Screens for users, roles, the calendar overrides and the audit log."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField
from wtforms.validators import InputRequired, Length, Optional

from models.user import User
from services.passwords import hash_password
from views import labels
from views.admin.base import SecuredModelView


def role_name_formatter(view, context, model, name):
    return labels.ROLE.get(model.name, model.name)


def roles_formatter(view, context, model, name):
    return ", ".join(str(labels.ROLE.get(r.name, r.name)) for r in model.roles)


class UserView(SecuredModelView):
    resource = "user"
    column_select_related_list = (User.agency,)
    column_list = (
        "username",
        "full_name",
        "agency",
        "roles",
        "active",
        "last_login_at",
    )
    column_details_list = (
        "username",
        "full_name",
        "email",
        "agency",
        "roles",
        "active",
        "must_change_password",
        "last_login_at",
        "created_at",
    )
    column_default_sort = "username"
    column_searchable_list = ("username", "full_name")
    column_filters = ("active", "agency.name")
    column_labels = {
        "username": _l("Username"),
        "full_name": _l("Full name"),
        "email": _l("Email"),
        "agency": _l("Agency"),
        "agency.name": _l("Agency"),
        "roles": _l("Roles"),
        "active": _l("Active"),
        "must_change_password": _l("Must change password"),
        "last_login_at": _l("Last sign-in"),
        "created_at": _l("Created at"),
        "new_password": _l("New password"),
    }
    column_formatters = {"roles": roles_formatter}
    form_columns = (
        "username",
        "full_name",
        "email",
        "agency",
        "roles",
        "active",
        "new_password",
    )
    form_extra_fields = {"new_password": PasswordField(_l("New password"))}
    form_args = {
        "username": {"validators": [InputRequired(), Length(min=3, max=80)]},
        "full_name": {"validators": [InputRequired(), Length(max=120)]},
        "agency": {"validators": [InputRequired()]},
        "new_password": {"validators": [Optional(), Length(min=10)]},
    }

    def create_form(self, obj=None):
        form = super().create_form(obj)
        form.new_password.validators = [InputRequired(), Length(min=10)]
        return form

    def on_model_change(self, form, model, is_created):
        if form.new_password.data:
            model.password_hash = hash_password(form.new_password.data)
            model.session_epoch = (model.session_epoch or 0) + 1


class RoleView(SecuredModelView):
    resource = "role"
    column_list = ("name", "label", "description")
    column_default_sort = "name"
    column_labels = {
        "name": _l("Role code"),
        "label": _l("Role name"),
        "description": _l("Description"),
    }
    form_columns = ("name", "label", "description")


class CalendarOverrideView(SecuredModelView):
    resource = "holiday"
    can_delete = True
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

    def on_model_change(self, form, model, is_created):
        if is_created:
            model.created_by_id = current_user.id


class AuditLogView(SecuredModelView):
    """Read-only for everyone: the audit log is append-only."""

    resource = "audit_log"
    can_create = False
    can_edit = False
    can_delete = False
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
