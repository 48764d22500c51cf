"""The one secured base for every panel screen: login, permissions, scope, formats."""

from datetime import date, datetime

from flask import abort, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.form import BaseForm
from flask_admin.model import typefmt
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

import permissions
from i18n import WTFormsTranslations, local_date, local_datetime, vnd
from views.admin.filters import FilterConverter

# Flask-Admin route (method name) → the permission action it needs.
ROUTE_ACTIONS = {
    "index_view": "view",
    "details_view": "view",
    "create_view": "create",
    "edit_view": "edit",
    "delete_view": "delete",
    "export": "export",
    "ajax_update": "edit",
    "ajax_lookup": "view",
}


class TranslatedForm(BaseForm):
    """Flask-Admin's form base: Flask-WTF's CSRF token, messages in the user's language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return WTFormsTranslations()


def _datetime_formatter(view, value, name):
    return local_datetime(value)


def _date_formatter(view, value, name):
    return local_date(value)


def money_formatter(view, context, model, name):
    """Column formatter for VND amounts: ``1.250.000 ₫``."""
    return vnd(getattr(model, name))


def labelled(mapping: dict, badges: dict | None = None):
    """A column formatter showing MAPPING's label for the value (blank for None).

    With BADGES (value → Bootstrap colour), the label is shown as a badge.
    """

    def formatter(view, context, model, name):
        value = getattr(model, name)
        if value is None:
            return ""
        label = mapping.get(value, value)
        if badges is None:
            return label
        return Markup('<span class="badge badge-{} status-badge">{}</span>').format(
            badges.get(value, "secondary"), label
        )

    return formatter


FORMATTERS = dict(typefmt.BASE_FORMATTERS) | {
    datetime: _datetime_formatter,
    date: _date_formatter,
}
DETAIL_FORMATTERS = dict(typefmt.DETAIL_FORMATTERS) | {
    datetime: _datetime_formatter,
    date: _date_formatter,
}
EXPORT_FORMATTERS = dict(typefmt.EXPORT_FORMATTERS) | {
    datetime: _datetime_formatter,
    date: _date_formatter,
}


def _deny():
    """Anonymous: to the login page, coming back here after. Signed in: 403."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return abort(403)


class SecuredIndexView(AdminIndexView):
    """The panel's home page: only for signed-in users."""

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and current_user.is_active

    def inaccessible_callback(self, name, **kwargs):
        return _deny()

    @expose("/")
    def index(self):
        return self.render("admin/home.html")


class SecuredModelView(ModelView):
    """Base of every resource screen; every decision goes through ``permissions``."""

    #: The permission resource this screen shows (a name from permissions.RESOURCES).
    resource: str = ""

    form_base_class = TranslatedForm
    filter_converter = FilterConverter()
    column_type_formatters = FORMATTERS
    column_type_formatters_detail = DETAIL_FORMATTERS
    column_type_formatters_export = EXPORT_FORMATTERS
    can_view_details = True
    can_delete = False
    can_export = True
    export_types = ["csv"]
    page_size = 25
    can_set_page_size = True
    page_size_options = (25, 50, 100)
    details_modal = False
    edit_modal = False
    create_modal = False

    def __init__(self, model, session, **kwargs):
        if not self.resource:
            raise TypeError(f"{type(self).__name__} must name its permission resource")
        kwargs.setdefault("endpoint", self.resource)
        kwargs.setdefault("url", self.resource)
        super().__init__(model, session, **kwargs)

    # -- who may open what ------------------------------------------------
    def allows(self, action: str) -> bool:
        return permissions.can(current_user, self.resource, action)

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and self.allows("view")

    def is_visible(self) -> bool:
        return self.is_accessible()

    def _handle_view(self, name, **kwargs):
        if not current_user.is_authenticated:
            return _deny()
        action = ROUTE_ACTIONS.get(name, "view")
        if not (self.allows("view") and self.allows(action)):
            return _deny()
        return None

    def inaccessible_callback(self, name, **kwargs):
        return _deny()

    # -- which rows -------------------------------------------------------
    def get_query(self):
        return permissions.scope(current_user, self.resource, super().get_query())

    def get_count_query(self):
        return permissions.scope(current_user, self.resource, super().get_count_query())
