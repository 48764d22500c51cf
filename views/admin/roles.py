"""The roles screen, with each role's permission grid (resources × actions).

Every rule is in services.accounts.roles; the screen calls it and shows its refusal.
"""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.model.template import EndpointLinkRowAction
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import InputRequired, Length

from permissions import CRUD, RESOURCES, actions_of, forget_grants
from services.accounts import roles as role_service
from services.errors import ServiceError
from services.transactions import transaction
from views.admin.core.base import SecuredModelView
from views.admin.people import AccountRulesMixin, refusal


class RoleView(AccountRulesMixin, SecuredModelView):
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
        # The rename first: renaming one's own built-in role would make the actor, read
        # through the same row, look like no longer holding it.
        role_service.check_rename(model)
        role_service.check_role_edit(current_user, model)

    @expose("/permissions/", methods=("GET", "POST"))
    def permissions_view(self):
        role = self.get_one(request.args.get("id"))
        if request.method == "POST":
            pairs = {tuple(v.split(":", 1)) for v in request.form.getlist("perm") if ":" in v}
            try:
                with transaction():
                    result = role_service.set_permissions(
                        role, pairs, actor=current_user, ip_address=request.remote_addr
                    )
            except ServiceError as exc:
                flash(refusal(exc), "error")
            else:
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
