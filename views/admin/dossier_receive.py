"""Receiving a dossier at the counter: the procedure's documents and extra fields, the address."""

import json

from flask import flash, jsonify, request, url_for
from flask_admin import expose
from flask_admin.form import rules
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms import SelectField

from extensions import db
from i18n import local_datetime, vnd
from models.catalog import ProcedureType
from services import dossiers
from services.addresses import provinces, wards
from services.errors import ValidationFailed
from services.extra_fields import clean_extra
from services.extra_fields import describe as describe_extra_fields
from views import labels

DEFAULT_PROVINCE = 19  # Thái Nguyên


def _int_or_none(value):
    """A division code from the form, or None when absent or not a number."""
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 9 else None


def _wards_of(province):
    try:
        return wards(province)
    except (ValueError, KeyError):
        return wards(DEFAULT_PROVINCE)


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


class ProcedureDetails(rules.BaseRule):
    """The place the procedure's checklist and extra fields appear (static/receive.js)."""

    def __call__(self, form, form_opts=None, field_args=None):
        submitted = {k: v for k, v in request.form.items() if k.startswith("extra_")}
        submitted["documents"] = request.form.getlist("documents")
        return Markup(
            '<div id="procedure-details" class="mb-3" data-info-url="{}" data-submitted="{}"></div>'
        ).format(url_for(".procedure_info_view"), json.dumps(submitted, ensure_ascii=False))


class ReceiveFormMixin:
    """The create form of the dossier screen is the counter's receipt form."""

    route_actions = {"procedure_info_view": "view", "wards_view": "view"}

    @property
    def extra_js(self):
        return [url_for("static", filename="receive.js")]

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
        *APPLICANT_FIELDS,
        rules.Header(_l("Receipt")),
        *RECEIPT_FIELDS,
    )

    def _address_choices(self, form, province):
        form.applicant_province_code.choices = [("", "—")] + [
            (str(code), name) for code, name in provinces()
        ]
        form.applicant_ward_code.choices = [("", "—")] + [
            (str(code), name) for code, name in _wards_of(province)
        ]

    def create_form(self, obj=None):
        form = super().create_form(obj)
        province = _int_or_none(request.form.get("applicant_province_code")) or DEFAULT_PROVINCE
        self._address_choices(form, province)
        if request.method == "GET":
            form.applicant_province_code.data = str(DEFAULT_PROVINCE)
        return form

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        province = (
            _int_or_none(request.form.get("applicant_province_code"))
            or getattr(obj, "applicant_province_code", None)
            or DEFAULT_PROVINCE
        )
        self._address_choices(form, province)
        if request.method == "GET" and obj is not None:
            form.applicant_province_code.data = str(obj.applicant_province_code or "")
            form.applicant_ward_code.data = str(obj.applicant_ward_code or "")
        return form

    def receive(self, form, model):
        """Check what the counter captured against the procedure, then receive."""
        # Flask-Admin has added MODEL to the session already; it has no code yet.
        with db.session.no_autoflush:
            self._check_receipt(form, model)
        dossiers.prepare_received(model, received_by=current_user)

    def _check_receipt(self, form, model):
        model.applicant_province_code = _int_or_none(form.applicant_province_code.data)
        model.applicant_ward_code = _int_or_none(form.applicant_ward_code.data)
        procedure = model.procedure_type
        submitted = {
            k[len("extra_") :]: v for k, v in request.form.items() if k.startswith("extra_")
        }
        extra, errors = clean_extra(procedure, submitted)
        problems = [
            f"{d.label}: {errors[d.key]}" for d in procedure.extra_fields if d.key in errors
        ]
        names = [d.name for d in procedure.documents]
        checked = [n for n in request.form.getlist("documents") if n in names]
        missing = [n for n in names if n not in checked]
        if missing:
            problems.append(_("Documents not handed in: %(names)s", names="; ".join(missing)))
        if model.return_method == "post" and not procedure.postal_return:
            problems.append(_("This procedure's result cannot be returned by post."))
        if problems:
            raise ValidationFailed(
                _("The dossier cannot be received yet.")
                + " "
                + " ".join(f"• {p}" for p in problems)
            )
        model.extra_data = extra or None
        model.documents_checked = checked
        model.fee_amount = procedure.fee

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
                    "kind": str(labels.DOCUMENT_KIND.get(d.kind, d.kind)),
                    "quantity": d.quantity,
                }
                for d in procedure.documents
            ],
            extra_fields=describe_extra_fields(procedure),
            labels={
                "documents": _("Documents handed in"),
                "extra": _("Procedure details"),
                "time": _(
                    "Processing time: %(days)s working days; fee: %(fee)s",
                    days=procedure.processing_days,
                    fee=vnd(procedure.fee),
                ),
            },
        )

    @expose("/wards/")
    def wards_view(self):
        """JSON: the wards of one province, for the address select."""
        try:
            found = wards(request.args.get("province", type=int) or 0)
        except (ValueError, KeyError):
            return jsonify([]), 404
        return jsonify([{"code": code, "name": name} for code, name in found])
