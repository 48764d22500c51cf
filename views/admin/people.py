"""Screens for users and roles, with the permission grid and the password reset."""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.template import EndpointLinkRowAction
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import inspect as sa_inspect
from wtforms import PasswordField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

import permissions
from extensions import db
from models.user import ROLE_NAMES, User
from permissions import CRUD, RESOURCES, actions_of, forget_grants
from services.accounts import roles as role_service
from services.accounts import users as user_service
from services.accounts.passwords import hash_password, policy_problem
from services.errors import ServiceError
from views import labels
from views.admin.core.base import SecuredModelView
from views.admin.core.params import parse_id


def roles_formatter(view, context, model, name):
    return ", ".join(str(labels.ROLE.get(r.name, r.label)) for r in model.roles)


def password_policy(form, field):
    """Form validator: the password policy of services.accounts.passwords."""
    problem = policy_problem(field.data or "", form.username.data if "username" in form else "")
    if problem:
        raise ValidationError(problem)


class UserView(SecuredModelView):
    """Accounts: created with an agency and roles, deactivated but never deleted."""

    resource = "user"
    route_actions = {"reset_password_view": "edit"}
    action_permissions = {"deactivate": "edit", "activate": "edit"}
    column_select_related_list = (User.agency,)
    column_list = ("username", "full_name", "agency", "roles", "active", "last_login_at")
    column_details_list = (
        "username",
        "full_name",
        "email",
        "agency",
        "roles",
        "active",
        "must_change_password",
        "locked_until",
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
        "locked_until": _l("Locked until"),
        "last_login_at": _l("Last sign-in"),
        "created_at": _l("Created at"),
        "new_password": _l("Password"),
        "confirm_password": _l("Password again"),
    }
    column_formatters = {"roles": roles_formatter}
    column_extra_row_actions = [
        EndpointLinkRowAction("fa fa-key", ".reset_password_view", title=_l("Reset password"))
    ]
    form_columns = (
        "username",
        "full_name",
        "email",
        "agency",
        "roles",
        "active",
        "new_password",
        "confirm_password",
    )
    form_extra_fields = {
        "new_password": PasswordField(_l("Password")),
        "confirm_password": PasswordField(_l("Password again")),
    }
    form_args = {
        "username": {"validators": [InputRequired(), Length(min=3, max=80)]},
        "full_name": {"validators": [InputRequired(), Length(max=120)]},
        "agency": {"validators": [InputRequired()]},
        "roles": {"validators": [InputRequired()]},
    }
    form_widget_args = {
        "new_password": {"autocomplete": "new-password"},
        "confirm_password": {"autocomplete": "new-password"},
    }
    column_descriptions = {
        "new_password": _l("A first password: the user must choose their own at first sign-in."),
    }

    def create_form(self, obj=None):
        form = super().create_form(obj)
        form.new_password.validators = [InputRequired(), password_policy]
        form.confirm_password.validators = [
            InputRequired(),
            EqualTo("new_password", message=_l("The two passwords do not match.")),
        ]
        return form

    def edit_form(self, obj=None):
        """Passwords change through the reset page, which forces a change at next sign-in."""
        form = super().edit_form(obj)
        del form.new_password
        del form.confirm_password
        return form

    def prepare(self, form, model, is_created):
        state = sa_inspect(model)
        if (
            not is_created
            and model.id == current_user.id
            and (
                state.attrs.roles.history.has_changes() or state.attrs.agency.history.has_changes()
            )
        ):
            raise ValidationError(_("You cannot change your own roles or agency."))
        user_service.check_roles(model.roles, model.agency)
        given = {r.name for r in state.attrs.roles.history.added}
        if not permissions.manages_all_users(current_user) and given - current_user.role_names:
            raise ValidationError(_("You may only give roles that you hold yourself."))
        if is_created:
            model.password_hash = hash_password(form.new_password.data)
            model.must_change_password = True  # IT staff knew it: the user picks their own
            return
        history = state.attrs.active.history
        if history.deleted and not model.active:
            if model.id == current_user.id:
                raise ValidationError(_("You cannot deactivate your own account."))
            user_service.end_sessions(model, tokens=True)
        forget_grants()

    def _set_active(self, ids, active: bool):
        wanted = [pk for pk in map(parse_id, ids) if pk is not None]
        users = self.get_query().filter(User.id.in_(wanted)).all()
        try:
            for user in users:
                if not active and user.id == current_user.id:
                    raise ServiceError(_("You cannot deactivate your own account."))
                user_service.set_active(
                    user, active, actor=current_user, ip_address=request.remote_addr
                )
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return
        db.session.commit()
        flash(_("%(count)s accounts updated.", count=len(users)), "success")

    @action("deactivate", _l("Deactivate"), _l("Deactivate the selected accounts?"))
    def action_deactivate(self, ids):
        self._set_active(ids, False)

    @action("activate", _l("Activate"), _l("Activate the selected accounts?"))
    def action_activate(self, ids):
        self._set_active(ids, True)

    @expose("/reset-password/", methods=("GET", "POST"))
    def reset_password_view(self):
        """IT staff give a temporary password; the user must change it at next sign-in."""
        user = self.get_one(request.args.get("id"))
        error = None
        if request.method == "POST":
            try:
                user_service.set_password(
                    user,
                    request.form.get("password", ""),
                    confirmation=request.form.get("confirm", ""),
                    actor=current_user,
                    temporary=True,
                    ip_address=request.remote_addr,
                )
            except ServiceError as exc:
                db.session.rollback()
                error = exc.message
            else:
                db.session.commit()
                flash(_("Temporary password set for %(name)s.", name=user.username), "success")
                return redirect(url_for(".details_view", id=user.id))
        return self.render("admin/people/reset_password.html", user=user, error=error)


class RoleView(SecuredModelView):
    """Roles and, per role, the permission grid (resources × actions)."""

    resource = "role"
    route_actions = {"permissions_view": "edit"}
    column_list = ("name", "label", "description")
    column_default_sort = "name"
    column_labels = {
        "name": _l("Role code"),
        "label": _l("Role name"),
        "description": _l("Description"),
    }
    column_extra_row_actions = [
        EndpointLinkRowAction("fa fa-th", ".permissions_view", title=_l("Permissions"))
    ]
    form_columns = ("name", "label", "description")
    form_args = {
        "name": {"validators": [InputRequired(), Length(min=3, max=40)]},
        "label": {"validators": [InputRequired(), Length(max=120)]},
    }

    def prepare(self, form, model, is_created):
        before = sa_inspect(model).attrs.name.history.deleted
        if not is_created and before and before[0] in ROLE_NAMES and model.name != before[0]:
            raise ValidationError(_("The code of a built-in role cannot change."))

    @expose("/permissions/", methods=("GET", "POST"))
    def permissions_view(self):
        role = self.get_one(request.args.get("id"))
        if request.method == "POST":
            pairs = {tuple(v.split(":", 1)) for v in request.form.getlist("perm") if ":" in v}
            try:
                result = role_service.set_permissions(
                    role, pairs, actor=current_user, ip_address=request.remote_addr
                )
            except ServiceError as exc:
                db.session.rollback()
                flash(exc.message, "error")
            else:
                db.session.commit()
                forget_grants()
                flash(
                    _(
                        "Permissions saved: %(added)s added, %(removed)s removed.",
                        added=len(result["added"]),
                        removed=len(result["removed"]),
                    ),
                    "success",
                )
                return redirect(url_for(".permissions_view", id=role.id))
        granted = {(p.resource, p.action) for p in role.permissions}
        grid = [(r, actions_of(r)) for r in RESOURCES]
        return self.render(
            "admin/people/role_permissions.html",
            role=role,
            grid=grid,
            granted=granted,
            crud=CRUD,
        )
