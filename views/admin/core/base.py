"""The one secured base for every panel screen: login, permissions, row scope, audit."""

import logging

from flask import abort, flash, request
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext as admin_lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import HiddenField

import permissions
from extensions import db
from i18n import current_language
from services import audit
from services.errors import ServiceError
from services.transactions import check_version
from views.access import deny, gate
from views.admin.core.ajax import ScopedAjaxLoader
from views.admin.core.exports import ExportMixin
from views.admin.core.fast_rows import FastRowsMixin
from views.admin.core.filters import FilterConverter, kept_a_while
from views.admin.core.formatters import DETAIL_FORMATTERS, EXPORT_FORMATTERS, FORMATTERS
from views.admin.core.forms import PanelModelConverter, TranslatedForm
from views.admin.core.messages import MessagesMixin
from views.admin.core.params import big_ids, clamp, parse_id
from views.urls import is_local_path

log = logging.getLogger(__name__)

# Flask-Admin route (the view method's name) → the permission action it needs.
ROUTE_ACTIONS = {
    "index_view": "view",
    "details_view": "view",
    "create_view": "create",
    "edit_view": "edit",
    "delete_view": "delete",
    "action_view": "view",  # each action is checked by is_action_allowed
    "export": "export",
    "ajax_update": "edit",
    "ajax_lookup": "view",
}


class OutOfScope(ServiceError):
    code = "forbidden"


class SecuredModelView(FastRowsMixin, ExportMixin, MessagesMixin, ModelView):
    """Base of every resource screen; every decision goes through ``permissions``.

    ``allow_*`` cap what a screen can ever do (the audit log is never edited);
    within them the permission matrix decides, per request.
    """

    #: The permission resource this screen shows (a name from permissions.RESOURCES).
    resource: str = ""
    allow_create = True
    allow_edit = True
    allow_delete = False
    allow_export = True
    #: The service called on create writes its own audit entry.
    audits_create_itself = False
    #: Inline lists (relationship names) whose rows' edits join the parent's audit entry.
    audited_children: tuple[str, ...] = ()
    #: Extra routes of a subclass (method name) → the action they need.
    route_actions: dict[str, str] = {}
    #: Bulk actions (name) → the action they need.
    action_permissions: dict[str, str] = {}

    form_base_class = TranslatedForm
    model_form_converter = PanelModelConverter
    filter_converter = FilterConverter()
    column_type_formatters = FORMATTERS
    column_type_formatters_detail = DETAIL_FORMATTERS
    column_type_formatters_export = EXPORT_FORMATTERS
    can_view_details = True
    export_max_rows = 10_000
    page_size = 25
    can_set_page_size = True
    page_size_options = (25, 50, 100)
    details_modal = False
    edit_modal = False
    create_modal = False
    column_editable_list = ()

    def __init__(self, model, session, **kwargs):
        if not self.resource:
            raise TypeError(f"{type(self).__name__} must name its permission resource")
        kwargs.setdefault("endpoint", self.resource)
        kwargs.setdefault("url", self.resource)
        super().__init__(model, session, **kwargs)

    # -- who may open what ------------------------------------------------
    def allows(self, action: str) -> bool:
        return permissions.can(current_user, self.resource, action)

    @property
    def can_create(self):
        return self.allow_create and self.allows("create")

    @property
    def can_edit(self):
        return self.allow_edit and self.allows("edit")

    @property
    def can_delete(self):
        return self.allow_delete and self.allows("delete")

    @property
    def can_export(self):
        return self.allow_export and self.allows("export")

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and self.allows("view")

    def is_visible(self) -> bool:
        return self.is_accessible()

    def _handle_view(self, name, **kwargs):
        """Runs before every route of the screen: login, password change, permission."""
        if not current_user.is_authenticated:
            return deny()
        target = request.values.get("url")
        if target and not is_local_path(target):
            abort(400)  # Flask-Admin would redirect there after a save or a cancel
        action = self.route_actions.get(name) or ROUTE_ACTIONS.get(name)
        caps = {
            "create": self.allow_create,
            "edit": self.allow_edit,
            "delete": self.allow_delete,
            "export": self.allow_export,
        }
        if action is not None and not caps.get(action, True):
            return deny()
        return gate(self.resource, action)  # None: a route nobody mapped is closed

    def inaccessible_callback(self, name, **kwargs):
        return deny()

    def is_action_allowed(self, name):
        action = self.action_permissions.get(name, "delete" if name == "delete" else None)
        if action is None or not self.allows(action):
            return False
        return name != "delete" or self.can_delete

    @action(
        "delete",
        admin_lazy_gettext("Delete"),
        admin_lazy_gettext("Are you sure you want to delete selected records?"),
    )
    def action_delete(self, ids):
        """Flask-Admin's bulk delete, given integer ids (PostgreSQL refuses text ones)."""
        big = big_ids(self.model)
        return super().action_delete(tuple(i for v in ids if (i := parse_id(v, big)) is not None))

    def _get_filter_groups(self):
        """The filter menu, translated once per language and kept as its options are
        (Flask-Admin translates every option of every filter on each request)."""
        key = ("filter_groups", self.endpoint, current_language())
        return kept_a_while(key, super()._get_filter_groups)

    # -- which rows -------------------------------------------------------
    def get_query(self):
        return permissions.scope(current_user, self.resource, super().get_query())

    def get_count_query(self):
        return permissions.scope(current_user, self.resource, super().get_count_query())

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        """Flask-Admin's list, with the page number and search kept to sane sizes."""
        page = clamp(page, 0, 100_000, 0) if page is not None else None
        search = (search or "")[:200] or None
        return super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)

    def get_one(self, id):
        """The row if it exists and is in the user's scope; else 404 (the two look alike)."""
        pk = parse_id(id, big_ids(self.model))
        if pk is None:
            abort(404)
        query = self.get_query().options(*self.one_options(pk))
        row = query.filter(self.model.id == pk).one_or_none()
        if row is None:
            abort(404)
        return row

    def one_options(self, pk: int) -> list:
        """Loader options for row PK (its details page loads what it shows at once)."""
        return []

    def _create_ajax_loader(self, name, options):
        attr = getattr(self.model, name)
        return ScopedAjaxLoader(name, self.session, attr.prop.mapper.class_, **options)

    # -- writing ----------------------------------------------------------
    def validate_form(self, form):
        """Flask-Admin's validation; errors inside inline lists are also flashed,
        since its Bootstrap 4 inline template does not show them."""
        valid = super().validate_form(form)
        if not valid and request.method == "POST":
            for name, errors in form.errors.items():
                if not (isinstance(errors, list) and errors and isinstance(errors[0], dict)):
                    continue
                for index, entry_errors in enumerate(errors):
                    for sub_name, messages in (entry_errors or {}).items():
                        entry = form[name].entries[index]
                        flash(
                            f"{form[name].label.text} #{index + 1} – "
                            f"{entry[sub_name].label.text}: {'; '.join(map(str, messages))}",
                            "error",
                        )
        return valid

    def get_edit_form(self):
        """The edit form, carrying the version the user opened (optimistic locking)."""
        form_class = super().get_edit_form()
        if self.model.__mapper__.version_id_col is None:
            return form_class
        return type(form_class.__name__, (form_class,), {"version_seen": HiddenField()})

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if "version_seen" in form and request.method == "GET" and obj is not None:
            form.version_seen.data = obj.version
        return form

    def prepare(self, form, model, is_created) -> None:
        """Subclass hook: complete MODEL before it is checked and saved."""

    def on_model_change(self, form, model, is_created):
        if not is_created and "version_seen" in form:
            check_version(model, form.version_seen.data)
        self.prepare(form, model, is_created)
        changes = audit.changes_of(model)
        for key in self.audited_children:
            audit.add_child_changes(changes, key, getattr(model, key))
        db.session.flush()  # foreign keys take the form's values only now
        if not permissions.may_write(current_user, self.resource, model):
            raise OutOfScope(_("You may only record data that belongs to your own agency."))
        if is_created and self.audits_create_itself:
            return
        audit.record(
            "create" if is_created else "edit",
            self.resource,
            model.id,
            actor=current_user,
            ip_address=request.remote_addr,
            changes=changes,
        )

    def on_model_delete(self, model):
        audit.record(
            "delete",
            self.resource,
            model.id,
            actor=current_user,
            ip_address=request.remote_addr,
            summary=str(model)[:500],
            changes={"before": audit.snapshot(model)},
        )
