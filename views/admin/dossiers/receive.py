"""Receiving a dossier at the counter: the procedure's documents and extra fields, the address."""

import json
from datetime import datetime

from flask import flash, jsonify, request, session, url_for
from flask_admin import expose
from flask_admin.babel import gettext as admin_gettext
from flask_admin.form import DateTimeField, rules
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms import SelectField, SelectMultipleField, TextAreaField, widgets
from wtforms.validators import Length, Optional

from extensions import db
from i18n import local_datetime, vnd
from models.catalog import DOCUMENT_KINDS, ProcedureType
from models.notification import NOTIFY_CHANNELS
from services.calendar import LOCAL_TZ
from services.dossiers import receipt, receiving
from services.dossiers.extra_fields import describe as describe_extra_fields
from services.dossiers.receipt import REASON_MAX
from services.errors import ValidationFailed
from views.admin.core.pickers import DEFAULT_PROVINCE, WardsMixin, division_code, fill_choices
from views.admin.dossiers.cccd import CccdScanField, CccdScanMixin

APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_province_code",
    "applicant_ward_code",
    "applicant_street",
    "organization_name",
    "organization_tax_code",
)
RECEIPT_FIELDS = ("channel", "return_method", "notes")
LATE_ENTRY_FIELDS = ("received_at", "received_at_reason")  # the create form's only
# The date picker's format first (it renders the value), then what a clerk may type.
RECEIVED_AT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"]


# The receipt rules' names for fields the form calls otherwise.
FORM_NAMES = {"procedure_code": "procedure_type"}


class ProcedureDetails(rules.BaseRule):
    """The place the procedure's checklist and extra fields appear (static/receive.js),
    with what was typed and the rules' messages for them (``documents``, ``extra.<key>``)."""

    def __call__(self, form, form_opts=None, field_args=None):
        submitted = {k: v for k, v in request.form.items() if k.startswith("extra_")}
        submitted["documents"] = request.form.getlist("documents")
        return Markup(
            '<div id="procedure-details" class="mb-3" data-info-url="{}" data-reuse-url="{}"'
            ' data-submitted="{}" data-errors="{}"></div>'
        ).format(
            url_for(".procedure_info_view"),
            url_for(".reuse_offers_view"),
            json.dumps(submitted, ensure_ascii=False),
            json.dumps(getattr(form, "procedure_errors", {}), ensure_ascii=False),
        )


def _local(value: datetime | None) -> datetime | None:
    """A date-time typed at the counter, in the local time zone."""
    return value.replace(tzinfo=LOCAL_TZ) if value is not None and value.tzinfo is None else value


class ReceiveFormMixin(CccdScanMixin, WardsMixin):
    """The create form of the dossier screen is the counter's receipt form."""

    route_actions = {"procedure_info_view": "view", "wards_view": "view", "cccd_view": "create"}

    @property
    def extra_js(self):
        return [
            url_for("static", filename="receive.js"),
            url_for("static", filename="reuse.js"),
            url_for("static", filename="notify.js"),
        ]

    form_ajax_refs = {
        "procedure_type": {
            "fields": ("code", "name"),
            "page_size": 10,
            "placeholder": _l("Type a procedure code or name"),
        }
    }
    form_overrides = {"applicant_province_code": SelectField, "applicant_ward_code": SelectField}
    form_create_rules = (
        rules.Header(_l("Procedure")),
        "procedure_type",
        ProcedureDetails(),
        rules.Header(_l("Applicant")),
        CccdScanField(),
        *APPLICANT_FIELDS,
        rules.Header(_l("Receipt")),
        *RECEIPT_FIELDS,
        "notify",
        *LATE_ENTRY_FIELDS,
    )
    form_extra_fields = {
        "notify": SelectMultipleField(
            _l("Messages to the applicant"),
            choices=NOTIFY_CHANNELS.choices(),
            widget=widgets.ListWidget(prefix_label=False),
            option_widget=widgets.CheckboxInput(),
            validate_choice=True,
            description=_l(
                "The channels the applicant agrees to be told on at each step (SMS and Zalo "
                "need a phone number, email an address)."
            ),
        ),
        "received_at": DateTimeField(
            _l("Received at"),
            validators=[Optional()],
            format=RECEIVED_AT_FORMATS,
            description=_l("Leave empty for now; for paper taken earlier, the time it was taken."),
        ),
        "received_at_reason": TextAreaField(
            _l("Reason for the late entry"),
            validators=[Optional(), Length(max=REASON_MAX)],
            description=_l(
                "Needed when the receipt is older than the allowed working days "
                "(post-office supervisors only)."
            ),
        ),
    }

    def _address_choices(self, form, province):
        fill_choices(form.applicant_province_code, form.applicant_ward_code, province)

    def create_form(self, obj=None):
        form = super().create_form(obj)
        province = division_code(request.form.get("applicant_province_code")) or DEFAULT_PROVINCE
        self._address_choices(form, province)
        if request.method == "GET":
            form.applicant_province_code.data = str(DEFAULT_PROVINCE)
        form.is_receipt = True
        return form

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        province = (
            division_code(request.form.get("applicant_province_code"))
            or getattr(obj, "applicant_province_code", None)
            or DEFAULT_PROVINCE
        )
        self._address_choices(form, province)
        if request.method == "GET" and obj is not None:
            form.applicant_province_code.data = str(obj.applicant_province_code or "")
            form.applicant_ward_code.data = str(obj.applicant_ward_code or "")
        return form

    def validate_form(self, form):
        """The form's own checks and the receipt rules, every message next to its field."""
        valid = super().validate_form(form)
        if not getattr(form, "is_receipt", False) or request.method != "POST":
            return valid
        try:
            self._decide(form)
        except ValidationFailed as exc:
            self._show_errors(form, exc.fields)
            return False
        if not valid:
            self._show_errors(form, {})
        return valid

    def _decide(self, form) -> receipt.Receipt:
        """What the receipt rules make of the form (ValidationFailed names every problem)."""
        values = {name: form[name].data for name in (*APPLICANT_FIELDS, *RECEIPT_FIELDS)}
        values["documents"] = request.form.getlist("documents")
        values["extra"] = {
            k[len("extra_") :]: v for k, v in request.form.items() if k.startswith("extra_")
        }
        values["notify"] = list(form.notify.data or [])
        values["received_at"] = _local(form.received_at.data)
        values["received_at_reason"] = form.received_at_reason.data
        with db.session.no_autoflush:
            return receipt.decide(form.procedure_type.data, values, current_user)

    def _show_errors(self, form, errors: dict) -> None:
        """Put each rule's message next to its field (unless the form's own is there)
        and flash one summary naming every invalid field."""
        form.procedure_errors = {}
        for key, message in errors.items():
            name = FORM_NAMES.get(key, key)
            if name in form:
                if not form[name].errors:
                    form[name].errors = [message]
            else:
                form.procedure_errors[key] = message
        procedure = form.procedure_type.data
        extra_labels = {
            f"extra.{f.key}": f.label for f in (procedure.extra_fields if procedure else ())
        }
        named = [f"{f.label.text}: {'; '.join(map(str, f.errors))}" for f in form if f.errors]
        named += [
            v if k == "documents" else f"{extra_labels.get(k, k)}: {v}"
            for k, v in form.procedure_errors.items()
        ]
        flash(
            _("The dossier cannot be received yet.") + " " + " ".join(f"• {n}" for n in named),
            "error",
        )

    def render(self, template, **kwargs):
        """A refused receipt shows its own summary, not also Flask-Admin's generic failure."""
        if getattr(kwargs.get("form"), "procedure_errors", None) is not None:
            generic = ("danger", admin_gettext("Failed to create record."))
            session["_flashes"] = [f for f in session.get("_flashes", []) if tuple(f) != generic]
        return super().render(template, **kwargs)

    def receive(self, form, model):
        """Receive MODEL as the receipt rules decide (Flask-Admin has added it to the session)."""
        decided = self._decide(form)
        with db.session.no_autoflush:
            model.applicant_province_code = division_code(form.applicant_province_code.data)
            model.applicant_ward_code = division_code(form.applicant_ward_code.data)
        receiving.record_receipt(model, decided, current_user, ip_address=request.remote_addr)

    def after_model_change(self, form, model, is_created):
        if is_created:
            flash(
                _(
                    "Received dossier %(code)s. Appointment: %(due)s.",
                    code=model.code,
                    due=local_datetime(model.due_at),
                ),
                "success",
            )

    def get_save_return_url(self, model, is_created=False):
        return self.get_url(".details_view", id=model.id)

    @expose("/procedure-info/")
    def procedure_info_view(self):
        """JSON for the receipt form: the procedure's documents, extra fields, time and fee."""
        procedure = db.session.get(ProcedureType, request.args.get("id", type=int) or 0)
        if procedure is None or not procedure.active:
            return jsonify(error=_("No such procedure in use.")), 404
        return jsonify(
            code=procedure.code,
            name=procedure.name,
            processing_days=procedure.processing_days,
            fee=vnd(procedure.fee),
            postal_return=procedure.postal_return,
            documents=[
                {
                    "name": d.name,
                    "kind": str(DOCUMENT_KINDS.label(d.kind)),
                    "quantity": d.quantity,
                }
                for d in procedure.documents
            ],
            extra_fields=describe_extra_fields(procedure),
            labels={
                "documents": _("Documents handed in"),
                "scan": _("Scan of the document"),
                "extra": _("Procedure details"),
                "time": _(
                    "Processing time: %(days)s working days; fee: %(fee)s",
                    days=procedure.processing_days,
                    fee=vnd(procedure.fee),
                ),
            },
        )
