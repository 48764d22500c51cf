"""The dossier screens (hồ sơ)."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import DataRequired, Email, InputRequired, Optional

from models.dossier import CHANNELS, OUTCOMES, RETURN_METHODS, STATUSES, TIMELINESS, Dossier
from services.dossiers import receipt
from services.dossiers import transfers as dossier_transfers
from services.dossiers.timeliness import RUNNING_STATUSES
from services.errors import ValidationFailed
from services.integration import portal
from views.admin.core import validators
from views.admin.core.base import SecuredModelView
from views.admin.core.filters import (
    BoundedIntEqualFilter,
    NamedFilterUrls,
    OverdueFilter,
    QueryOptions,
)
from views.admin.core.formatters import labelled, money_formatter
from views.admin.core.messages import MessagesMixin
from views.admin.core.pickers import division_code
from views.admin.dossiers.actions import DossierActionsMixin
from views.admin.dossiers.columns import (
    code_link,
    department_options,
    documents_formatter,
    due_formatter,
    extra_data_formatter,
    procedure_formatter,
    procedure_options,
)
from views.admin.dossiers.deliveries import dossier_deliveries
from views.admin.dossiers.files import DossierFilesMixin
from views.admin.dossiers.handover import DossierHandoverMixin
from views.admin.dossiers.messages import DossierMessagesMixin
from views.admin.dossiers.query import FastListMixin
from views.admin.dossiers.receive import (
    APPLICANT_FIELDS,
    LATE_ENTRY_FIELDS,
    RECEIPT_FIELDS,
    ReceiveFormMixin,
)


class DossierView(
    NamedFilterUrls,
    FastListMixin,
    ReceiveFormMixin,
    DossierActionsMixin,
    DossierHandoverMixin,
    DossierFilesMixin,
    DossierMessagesMixin,
    SecuredModelView,
):
    resource = "dossier"
    audits_create_itself = True  # services.dossiers.receiving.prepare_received writes it
    route_actions = (
        ReceiveFormMixin.route_actions
        | DossierActionsMixin.route_actions
        | DossierFilesMixin.route_actions
        | DossierMessagesMixin.route_actions
    )
    # Millions of rows: no COUNT(*) per page, eager relations, indexed sort keys.
    simple_list_pager = True
    column_select_related_list = (Dossier.procedure_type, Dossier.post_office)
    column_default_sort = ("received_at", True)
    column_sortable_list = ("code", "received_at", "due_at", "status")
    column_list = (
        "code",
        "procedure_type",
        "applicant_name",
        "applicant_phone",
        "status",
        "received_at",
        "due_at",
        "timeliness",
        "post_office",
    )
    column_details_list = (
        "code",
        "status",
        "procedure_type",
        "agency",
        "post_office",
        "channel",
        "return_method",
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "organization_name",
        "organization_tax_code",
        "received_at",
        "received_by",
        "due_at",
        "fee_amount",
        "documents_checked",
        "extra_data",
        "result_number",
        "result_date",
        "result_outcome",
        "result_summary",
        "completed_at",
        "timeliness",
        "returned_at",
        "notes",
        "updated_at",
        "updated_by",
    )
    column_export_list = (
        "code",
        "procedure_type.code",
        "procedure_type.name",
        "applicant_name",
        "applicant_phone",
        "applicant_address",
        "status",
        "channel",
        "return_method",
        "received_at",
        "due_at",
        "timeliness",
    )
    column_labels = {
        "code": _l("Dossier code"),
        "status": _l("Status"),
        "procedure_type": _l("Procedure"),
        "procedure_type.code": _l("Procedure code"),
        "procedure_type.name": _l("Procedure"),
        "agency": _l("Resolving agency"),
        "post_office": _l("Post office"),
        "channel": _l("Channel"),
        "return_method": _l("Result return"),
        "applicant_name": _l("Applicant"),
        "applicant_id_number": _l("Citizen ID"),
        "applicant_phone": _l("Phone"),
        "applicant_email": _l("Email"),
        "applicant_address": _l("Address"),
        "applicant_province_code": _l("Province"),
        "documents_checked": _l("Documents handed in"),
        "extra_data": _l("Procedure details"),
        "applicant_ward_code": _l("Ward"),
        "applicant_street": _l("House number, street"),
        "organization_name": _l("Organisation"),
        "organization_tax_code": _l("Tax code"),
        "received_at": _l("Received at"),
        "received_by": _l("Received by"),
        "due_at": _l("Appointment"),
        "fee_amount": _l("Fee collected"),
        "result_number": _l("Result number"),
        "result_date": _l("Result date"),
        "result_outcome": _l("Outcome"),
        "result_summary": _l("Result summary"),
        "completed_at": _l("Completed at"),
        "timeliness": _l("Timeliness"),
        "returned_at": _l("Returned at"),
        "notes": _l("Notes"),
        "updated_at": _l("Last changed"),
        "updated_by": _l("Changed by"),
        "version": _l("Version"),
        "search_text": _l("code, name, phone or citizen ID"),
    }
    column_choices = {
        "status": STATUSES.choices(),
        "channel": CHANNELS.choices(),
        "return_method": RETURN_METHODS.choices(),
        "timeliness": TIMELINESS.choices(),
        "result_outcome": OUTCOMES.choices(),
    }
    column_formatters = {
        "code": code_link,
        "fee_amount": money_formatter,
        "status": labelled(STATUSES, badges=True),
        "timeliness": labelled(TIMELINESS, badges=True),
        "result_outcome": labelled(OUTCOMES),
        "procedure_type": procedure_formatter,
        "due_at": due_formatter,
        "extra_data": extra_data_formatter,
        "documents_checked": documents_formatter,
    }
    # The details page names its own dossier: its code is no link there.
    column_formatters_detail = {k: f for k, f in column_formatters.items() if k != "code"}
    column_formatters_export = {
        "timeliness": labelled(TIMELINESS),
        "status": labelled(STATUSES),
    }
    column_filters = (
        "status",
        BoundedIntEqualFilter(
            Dossier.procedure_type_id, _l("Procedure"), options=QueryOptions(procedure_options)
        ),
        BoundedIntEqualFilter(
            Dossier.agency_id, _l("Resolving agency"), options=QueryOptions(department_options)
        ),
        "received_at",
        "timeliness",
        OverdueFilter(Dossier.due_at, _l("Appointment"), RUNNING_STATUSES),
        "due_at",
        "channel",
        "return_method",
    )
    column_searchable_list = ("search_text",)
    column_descriptions = {
        "code": _l("Resolving agency code, receipt date and sequence number"),
    }

    form_columns = (
        "procedure_type",
        *APPLICANT_FIELDS,
        *RECEIPT_FIELDS,
        "notify",
        *LATE_ENTRY_FIELDS,
    )
    form_choices = {
        "channel": CHANNELS.choices(),
        "return_method": RETURN_METHODS.choices(),
    }
    form_args = {
        "procedure_type": {"validators": [InputRequired()]},
        "applicant_name": {"validators": [DataRequired()]},
        "applicant_id_number": {
            "validators": [Optional(), validators.citizen_id],
            "render_kw": validators.RELAXED_LENGTH,
        },
        "applicant_phone": {
            "validators": [Optional(), validators.phone],
            "render_kw": validators.RELAXED_LENGTH,
        },
        "applicant_email": {"validators": [Optional(), Email()]},
        "organization_tax_code": {
            "validators": [Optional(), validators.tax_code],
            "render_kw": validators.RELAXED_LENGTH,
        },
        "applicant_province_code": {"coerce": str, "validate_choice": True},
        "applicant_ward_code": {"coerce": str},
    }

    def transfers_of(self, dossier):
        """The batches and parcels of DOSSIER, read once for the page's three partials."""
        return dossier_transfers.transfers_of(dossier)

    def portal_sync_of(self, dossier):
        """The dossier's national-portal sync state (one query), or None when the sink is off."""
        if not portal.enabled(current_app.config):
            return None
        return portal.sync_state(dossier.id)

    def deliveries_of(self, dossier, transfers):
        """The dossier's parcels and the ship link (the _deliveries partial)."""
        return dossier_deliveries(dossier, transfers)

    def after_model_change(self, form, model, is_created):
        """The receipt says what was received; an edit names the dossier it saved."""
        if is_created:
            super().after_model_change(form, model, is_created)
        else:
            MessagesMixin.after_model_change(self, form, model, is_created)

    def edit_form(self, obj=None):
        """What receipt fixed (procedure, channel) cannot be changed by editing."""
        form = super().edit_form(obj)
        del form.procedure_type
        del form.channel
        del form.received_at
        del form.received_at_reason
        del form.notify  # changed from the dossier's messages page, with a reason
        return form

    def prepare(self, form, model, is_created):
        if is_created:
            self.receive(form, model)
            self.reuse_on_receipt(model)
            self.scans_on_receipt(model)
        else:
            refusal = receipt.return_method_error(model.procedure_type, model.return_method)
            if refusal:
                form.return_method.errors = [refusal]
                raise ValidationFailed(refusal, {"return_method": refusal})
            model.applicant_province_code = division_code(form.applicant_province_code.data)
            model.applicant_ward_code = division_code(form.applicant_ward_code.data)
            model.updated_by_id = current_user.id
