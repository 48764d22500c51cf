"""Screens for users and roles, with the permission grid and the password reset.

Every account rule is in services.accounts; these screens call it and show its refusal.
"""

import logging

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.babel import gettext as admin_gettext
from flask_admin.model.template import EndpointLinkRowAction
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import PasswordField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

import permissions
from extensions import db
from models.user import Role, User
from permissions import forget_grants
from services.accounts import delegation
from services.accounts import roles as role_service
from services.accounts import users as user_service
from services.accounts.passwords import policy_problem
from services.errors import ServiceError
from services.transactions import transaction
from views import labels
from views.admin.core.base import SecuredModelView
from views.admin.core.params import parse_id

log = logging.getLogger(__name__)

# The account rules' refusals in the panel's language (services.accounts speaks Vietnamese).
REFUSALS = {
    delegation.OwnRolesOrAgency: _l("You cannot change your own roles or agency."),
    delegation.OwnAccount: _l("You cannot deactivate your own account."),
    delegation.RolesNotHeld: _l("You may only give roles that you hold yourself."),
    delegation.OutsideScope: _l("You may only record data that belongs to your own agency."),
    delegation.AccountRolesNotHeld: _l(
        "This account holds a role you do not hold: only IT staff may edit it, reset its "
        "password or deactivate it."
    ),
    role_service.BuiltInRoleCode: _l("The code of a built-in role cannot change."),
    role_service.RoleOutsideAgency: _l(
        "You may only change custom roles held only by people of your own agency; the shared "
        "built-in roles are changed by IT staff."
    ),
}


def refusal(exc: ServiceError) -> str:
    """What the panel shows for EXC."""
    return str(REFUSALS.get(type(exc), exc.message))


class AccountRulesMixin:
    """Refusals of the account rules flashed in the panel's language."""

    def handle_view_exception(self, exc):
        if type(exc) in REFUSALS:
            flash(refusal(exc), "error")
            return True
        return super().handle_view_exception(exc)


def roles_formatter(view, context, model, name):
    return ", ".join(str(labels.ROLE.get(r.name, r.label)) for r in model.roles)


def password_policy(form, field):
    """Form validator: the password policy of services.accounts.passwords."""
    problem = policy_problem(field.data or "", form.username.data if "username" in form else "")
    if problem:
        raise ValidationError(problem)


def counter_clerks():
    """The accounts a counter tablet may be bound to: active post-office clerks (those of
    the editor's scope)."""
    query = (
        select(User)
        .join(User.roles)
        .where(
            Role.name.in_(user_service.KIOSK_CLERK_ROLES),
            User.active.is_(True),
            User.kiosk_clerk_id.is_(None),
        )
        .order_by(User.username)
        .distinct()
    )
    return db.session.scalars(permissions.scope(current_user, "user", query)).all()


class UserView(AccountRulesMixin, SecuredModelView):
    """Accounts: created with an agency and roles, deactivated but never deleted."""

    resource = "user"
    audits_create_itself = True  # services.accounts.users.create_user writes it
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
        "kiosk_clerk",
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
        "kiosk_clerk": _l("Counter tablet of"),
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
        "kiosk_clerk",
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
        "kiosk_clerk": {"query_factory": counter_clerks, "allow_blank": True},
    }
    form_widget_args = {
        "new_password": {"autocomplete": "new-password"},
        "confirm_password": {"autocomplete": "new-password"},
    }
    column_descriptions = {
        "new_password": _l("A first password: the user must choose their own at first sign-in."),
        "kiosk_clerk": _l(
            "Only for a counter tablet's account: the clerk whose dossiers it rates. Such an "
            "account opens the counter rating screen and nothing else, whatever its roles."
        ),
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

    def create_model(self, form):
        """Flask-Admin's create, the account made by users.create_user (the one door to a
        first password): IT staff knew it, so the user picks their own at first sign-in."""
        try:
            with transaction():
                model = user_service.create_user(
                    form.username.data,
                    form.new_password.data,
                    [role.name for role in form.roles.data],
                    form.agency.data.code,
                    full_name=form.full_name.data,
                    email=form.email.data or None,
                    actor=current_user,
                    active=form.active.data,
                    temporary=True,
                    ip_address=request.remote_addr,
                )
                if form.kiosk_clerk.data is not None:
                    user_service.check_kiosk_binding(model, form.kiosk_clerk.data)
                    model.kiosk_clerk = form.kiosk_clerk.data
        except Exception as exc:
            if not self.handle_view_exception(exc):
                flash(admin_gettext("Failed to create record. %(error)s", error=str(exc)), "error")
                log.exception("Failed to create record.")
            return False
        self.after_model_change(form, model, True)
        return model

    def prepare(self, form, model, is_created):
        user_service.check_edit(current_user, model)
        forget_grants()

    def _set_active(self, ids, active: bool):
        wanted = [pk for pk in map(parse_id, ids) if pk is not None]
        users = self.get_query().filter(User.id.in_(wanted)).all()
        try:
            with transaction():  # all or nothing
                for user in users:
                    user_service.set_active(
                        user, active, actor=current_user, ip_address=request.remote_addr
                    )
        except ServiceError as exc:
            flash(refusal(exc), "error")
            return
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
                with transaction():
                    user_service.set_password(
                        user,
                        request.form.get("password", ""),
                        confirmation=request.form.get("confirm", ""),
                        actor=current_user,
                        temporary=True,
                        ip_address=request.remote_addr,
                    )
            except ServiceError as exc:
                error = refusal(exc)
            else:
                flash(_("Temporary password set for %(name)s.", name=user.username), "success")
                return redirect(url_for(".details_view", id=user.id))
        return self.render("admin/people/reset_password.html", user=user, error=error)
