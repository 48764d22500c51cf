"""Screens for the catalog: agencies and procedure types."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, NumberRange, Optional, Regexp

from models.agency import AGENCY_KINDS
from models.catalog import (
    DOCUMENT_KINDS,
    EXTRA_FIELD_TYPES,
    ONLINE_LEVELS,
    VALIDITY_MAX_MONTHS,
    ExtraFieldDefinition,
    ProcedureType,
    RequiredDocument,
)
from views.admin.core import validators
from views.admin.core.base import SecuredModelView
from views.admin.core.formatters import money_formatter
from views.admin.core.forms import InlineRowForm


class AgencyView(SecuredModelView):
    resource = "agency"
    column_list = ("code", "name", "kind", "phone", "active")
    column_details_list = (
        "code",
        "name",
        "kind",
        "address",
        "phone",
        "active",
        "created_at",
    )
    column_default_sort = "code"
    column_searchable_list = ("code", "name")
    column_filters = ("kind", "active")
    column_labels = {
        "code": _l("Agency code"),
        "name": _l("Name"),
        "kind": _l("Kind"),
        "address": _l("Address"),
        "phone": _l("Phone"),
        "active": _l("Active"),
        "created_at": _l("Created at"),
    }
    column_choices = {"kind": AGENCY_KINDS.choices()}
    column_descriptions = {"code": _l("Electronic ID code of the agency, e.g. 000.00.15.H55")}
    form_columns = ("code", "name", "kind", "address", "phone", "active")
    form_choices = {"kind": AGENCY_KINDS.choices()}
    form_args = {
        "phone": {
            "validators": [Optional(), validators.phone],
            "render_kw": validators.RELAXED_LENGTH,
        }
    }


class ProcedureTypeView(SecuredModelView):
    resource = "procedure_type"
    #: Edits of a checklist document (e.g. its validity) go into the procedure's audit entry.
    audited_children = ("documents", "extra_fields")
    column_select_related_list = (ProcedureType.agency,)
    column_list = (
        "code",
        "name",
        "field",
        "agency",
        "processing_days",
        "fee",
        "online_level",
        "active",
    )
    column_details_list = (
        "code",
        "name",
        "field",
        "agency",
        "processing_days",
        "fee",
        "online_level",
        "postal_return",
        "active",
        "description",
        "documents",
        "extra_fields",
        "updated_at",
    )
    column_default_sort = "code"
    column_searchable_list = ("code", "name", "field")
    column_filters = ("field", "agency.name", "online_level", "postal_return", "active")
    column_labels = {
        "code": _l("Procedure code"),
        "name": _l("Procedure name"),
        "field": _l("Field"),
        "agency": _l("Resolving agency"),
        "agency.name": _l("Resolving agency"),
        "processing_days": _l("Processing time (working days)"),
        "fee": _l("Fee"),
        "online_level": _l("Online service level"),
        "postal_return": _l("Result by post allowed"),
        "active": _l("Active"),
        "description": _l("Description"),
        "documents": _l("Required documents"),
        "extra_fields": _l("Extra fields"),
        "updated_at": _l("Last changed"),
    }
    column_choices = {"online_level": ONLINE_LEVELS.choices()}
    column_formatters = {"fee": money_formatter}
    column_descriptions = {
        "code": _l("National code, e.g. 1.004477 or 2.000815.000.00.00.H55"),
        "processing_days": _l("0 means the result is returned the same day"),
        "fee": _l("Fees and charges in VND"),
    }
    form_columns = (
        "code",
        "name",
        "field",
        "agency",
        "processing_days",
        "fee",
        "online_level",
        "postal_return",
        "active",
        "description",
        "documents",
        "extra_fields",
    )
    form_choices = {"online_level": ONLINE_LEVELS.choices()}
    form_args = {
        "agency": {"validators": [InputRequired()]},
        "processing_days": {"validators": [InputRequired(), NumberRange(min=0, max=365)]},
        "fee": {"validators": [InputRequired(), NumberRange(min=0, max=1_000_000_000)]},
    }
    inline_models = (
        (
            RequiredDocument,
            {
                "form_columns": ("id", "position", "name", "kind", "quantity", "validity_months"),
                "form_choices": {"kind": DOCUMENT_KINDS.choices()},
                "form_base_class": InlineRowForm,
                "form_label": _l("Required document"),
                "column_labels": {
                    "position": _l("Order"),
                    "name": _l("Document"),
                    "kind": _l("Original or copy"),
                    "quantity": _l("Quantity"),
                    "validity_months": _l("Validity of a digitized copy (months)"),
                },
                "form_args": {
                    "quantity": {"validators": [NumberRange(min=1)]},
                    "validity_months": {
                        "validators": [Optional(), NumberRange(min=1, max=VALIDITY_MAX_MONTHS)],
                        "description": _l(
                            "How long the applicant's digitized copy is offered for reuse: "
                            "1 to 120 months; empty means 6."
                        ),
                    },
                },
            },
        ),
        (
            ExtraFieldDefinition,
            {
                "form_columns": (
                    "id",
                    "position",
                    "key",
                    "label",
                    "field_type",
                    "required",
                    "choices",
                ),
                "form_choices": {"field_type": EXTRA_FIELD_TYPES.choices()},
                "form_base_class": InlineRowForm,
                "form_label": _l("Extra field"),
                "form_args": {
                    "key": {
                        "validators": [
                            InputRequired(),
                            Regexp(
                                r"^[a-z][a-z0-9_]{0,39}$",
                                message=_l(
                                    "Lower-case letters without accents, digits and _, "
                                    "starting with a letter (e.g. so_luong_ban_in)."
                                ),
                            ),
                        ]
                    },
                    "label": {"validators": [InputRequired()]},
                },
                "column_labels": {
                    "position": _l("Order"),
                    "key": _l("Key"),
                    "label": _l("Label"),
                    "field_type": _l("Type"),
                    "required": _l("Required"),
                    "choices": _l("Choices (one per line)"),
                },
            },
        ),
    )
