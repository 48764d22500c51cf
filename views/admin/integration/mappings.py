"""The national portal's code mappings IT staff keep: our procedure, field, status → its code."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, Length, ValidationError

from models.integration import PORTAL_MAPPING_KINDS
from services.integration.portal import mapping_problem
from views.admin.core.base import SecuredModelView
from views.admin.core.formatters import labelled


def valid_mapping(form, field):
    """Form validator: a status maps from one of ours to a portal number 1–10."""
    problem = mapping_problem(form.kind.data, form.ours.data, field.data)
    if problem:
        raise ValidationError(problem)


class PortalMappingView(SecuredModelView):
    resource = "portal_mapping"
    allow_delete = True  # configuration, not a record of public service
    column_list = ("kind", "ours", "portal", "note")
    column_default_sort = [("kind", False), ("ours", False)]
    column_sortable_list = ("kind", "ours", "portal")
    column_filters = ("kind",)
    column_searchable_list = ("ours", "portal")
    column_labels = {
        "kind": _l("Mapping"),
        "ours": _l("Our value"),
        "portal": _l("Portal code"),
        "note": _l("Notes"),
    }
    column_descriptions = {
        "ours": _l(
            "A procedure's national code, a field's name, or a status (received, processing…) "
            "as the panel stores it."
        ),
        "portal": _l("What the national portal expects instead (a status: its number 1–10)."),
    }
    column_choices = {"kind": PORTAL_MAPPING_KINDS.choices()}
    column_formatters = {"kind": labelled(PORTAL_MAPPING_KINDS)}
    form_columns = ("kind", "ours", "portal", "note")
    form_choices = {"kind": PORTAL_MAPPING_KINDS.choices()}
    form_args = {
        "kind": {"validators": [InputRequired()]},
        "ours": {"validators": [InputRequired(), Length(max=120)]},
        "portal": {"validators": [InputRequired(), Length(max=120), valid_mapping]},
        "note": {"validators": [Length(max=255)]},
    }
