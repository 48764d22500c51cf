"""The postal delivery orders screen: ship a result, follow the parcel, record its events."""

from functools import cache

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.form import rules
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

import permissions
from extensions import db
from models.delivery import DELIVERY_STATUSES, DeliveryEvent, DeliveryOrder
from models.dossier import Dossier
from models.user import named_only
from services.delivery import shipping
from services.dossiers import search
from services.errors import ValidationFailed
from vietnam.addresses import full_address
from views.admin.core import validators
from views.admin.core.base import SecuredModelView
from views.admin.core.filters import BoundedIntEqualFilter, QueryOptions
from views.admin.core.formatters import labelled, money_formatter
from views.admin.core.indexed_search import IndexedSearchMixin
from views.admin.core.params import parse_id
from views.admin.core.pickers import division_code
from views.admin.delivery.columns import (
    StuckFilter,
    dossier_link,
    failure_reason,
    office_options,
    status_formatter,
)
from views.admin.delivery.forms import (
    AddressPickers,
    DeliveryHelpers,
    EventFormMixin,
    ShippableDossierLoader,
)

SHIP_FIELDS = (
    "tracking_code",
    "recipient_name",
    "recipient_phone",
    "recipient_province_code",
    "recipient_ward_code",
    "recipient_street",
    "weight_grams",
    "postage",
    "cod_amount",
)


class DeliveryOrderView(AddressPickers, EventFormMixin, IndexedSearchMixin, SecuredModelView):
    resource = "delivery_order"
    audits_create_itself = True  # services.delivery.shipping.ship writes it
    details_template = "admin/delivery_order/details.html"  # "In nhãn", timeline, event form
    create_template = "admin/delivery_order/create.html"  # one dossier's form: no "add another"
    route_actions = {"wards_view": "view", "postage_view": "create", "record_event_view": "view"}
    simple_list_pager = True  # grows with the dossiers: no COUNT(*) per page
    column_select_related_list = (DeliveryOrder.dossier, DeliveryOrder.post_office)
    column_list = (
        "tracking_code",
        "dossier",
        "status",
        "status_at",
        "recipient_name",
        "recipient_address",
        "postage",
        "cod_amount",
        "post_office",
        "created_at",
    )
    column_details_list = (
        "tracking_code",
        "dossier",
        "status",
        "status_at",
        "post_office",
        "recipient_name",
        "recipient_phone",
        "recipient_address",
        "weight_grams",
        "postage",
        "cod_amount",
        "failure_reason",
        "delivered_at",
        "created_at",
        "created_by",
    )
    column_default_sort = ("created_at", True)
    column_sortable_list = ("tracking_code", "created_at", "status", "status_at")
    column_searchable_list = ("search_text",)  # answered by search_clauses
    search_clauses = staticmethod(search.delivery_order_clauses)
    column_filters = (
        "status",
        BoundedIntEqualFilter(
            DeliveryOrder.post_office_id, _l("Post office"), options=QueryOptions(office_options)
        ),
        "created_at",
        "status_at",
        StuckFilter(DeliveryOrder.id, _l("Stuck")),
    )
    column_labels = {
        "tracking_code": _l("Tracking code"),
        "dossier": _l("Dossier"),
        "status": _l("Status"),
        "status_at": _l("Status since"),
        "recipient_name": _l("Recipient"),
        "recipient_phone": _l("Recipient phone"),
        "recipient_address": _l("Delivery address"),
        "recipient_province_code": _l("Province"),
        "recipient_ward_code": _l("Ward"),
        "recipient_street": _l("House number, street"),
        "weight_grams": _l("Weight (g)"),
        "postage": _l("Postage"),
        "cod_amount": _l("Collect on delivery"),
        "created_at": _l("Created at"),
        "created_by": _l("Created by"),
        "post_office": _l("Post office"),
        "failure_reason": _l("Failure reason"),
        "delivered_at": _l("Delivered at"),
        "search_text": _l("tracking code, recipient's name or phone, dossier code"),
    }
    column_descriptions = {
        "weight_grams": _l("The postage is filled in from the price list; you may change it."),
        "cod_amount": _l("Fees not yet collected, paid by the recipient on delivery."),
    }
    column_choices = {"status": DELIVERY_STATUSES.choices()}
    column_formatters = {
        "postage": money_formatter,
        "cod_amount": money_formatter,
        "status": status_formatter,
        "dossier": dossier_link,
        "failure_reason": failure_reason,
    }
    column_formatters_export = {"status": labelled(DELIVERY_STATUSES)}

    form_columns = ("dossier", *SHIP_FIELDS)
    form_overrides = {"recipient_province_code": SelectField, "recipient_ward_code": SelectField}
    form_create_rules = (
        "dossier",
        "tracking_code",
        rules.Header(_l("Recipient")),
        *SHIP_FIELDS[1:6],
        rules.Header(_l("Parcel")),
        *SHIP_FIELDS[6:],
        DeliveryHelpers(),
    )
    form_edit_rules = (*SHIP_FIELDS[1:], "version_seen", DeliveryHelpers())
    form_ajax_refs = {"dossier": {"fields": ("code",), "page_size": 10}}
    form_args = {
        "dossier": {"validators": [InputRequired()]},
        "tracking_code": {"validators": [InputRequired(), validators.tracking_code]},
        "recipient_name": {"validators": [InputRequired()]},
        "recipient_phone": {
            "validators": [InputRequired(), validators.phone],
            "render_kw": validators.RELAXED_LENGTH,
        },
        "recipient_province_code": {"coerce": str, "validate_choice": True},
        "recipient_ward_code": {"coerce": str},
        "recipient_street": {"validators": [InputRequired()]},
        "weight_grams": {"validators": [Optional(), NumberRange(min=1, max=30_000)]},
        "postage": {"validators": [Optional(), NumberRange(min=0, max=100_000_000)]},
        "cod_amount": {"validators": [Optional(), NumberRange(min=0, max=1_000_000_000)]},
    }

    def create_form(self, obj=None):
        """The ship form; opened from a dossier's page it is filled in from the applicant."""
        form = super().create_form(obj)
        if request.method == "GET":
            form.postage.data = None  # empty: the price list fills it from the weight
        dossier = self._dossier_to_ship() if request.method == "GET" else None
        if dossier is not None:
            s = shipping.shipment_from(dossier)
            form.dossier.data = dossier
            form.recipient_name.data, form.recipient_phone.data = (
                s.recipient_name,
                s.recipient_phone,
            )
            form.recipient_province_code.data = str(s.province_code or "")
            form.recipient_ward_code.data = str(s.ward_code or "")
            form.recipient_street.data = s.street
            form.weight_grams.data, form.cod_amount.data = s.weight_grams, s.cod_amount
        self.address_choices(form, form.recipient_province_code.data)
        return form

    def _create_ajax_loader(self, name, options):
        if name == "dossier":  # the picker offers only dossiers that may be shipped now
            return ShippableDossierLoader(name, self.session, Dossier, **options)
        return super()._create_ajax_loader(name, options)

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        """A delivered parcel is history: its recipient and postage are no longer edited."""
        order = self.get_one(request.args.get("id"))
        if order.status == "delivered":
            flash(
                _("This parcel was delivered: its recipient and postage can no longer change."),
                "error",
            )
            return redirect(self.get_url(".details_view", id=order.id))
        return super().edit_view()

    def _dossier_to_ship(self):
        pk = parse_id(request.args.get("dossier"), big=True)
        if pk is None:
            return None
        query = permissions.scope(current_user, "dossier", select(Dossier).where(Dossier.id == pk))
        return db.session.scalar(query)

    def edit_form(self, obj=None):
        """The parcel stays with its dossier and its code; tracking events change its status."""
        form = super().edit_form(obj)
        del form.dossier, form.tracking_code
        if request.method == "GET" and obj is not None:
            form.recipient_province_code.data = str(obj.recipient_province_code or "")
            form.recipient_ward_code.data = str(obj.recipient_ward_code or "")
        self.address_choices(form, form.recipient_province_code.data)
        return form

    def prepare(self, form, model, is_created):
        province = division_code(form.recipient_province_code.data)
        ward = division_code(form.recipient_ward_code.data)
        if not is_created:
            model.recipient_province_code, model.recipient_ward_code = province, ward
            model.recipient_address = full_address(model.recipient_street, province, ward)
            return
        shipment = shipping.Shipment(
            tracking_code=form.tracking_code.data,
            recipient_name=form.recipient_name.data,
            recipient_phone=form.recipient_phone.data,
            province_code=province,
            ward_code=ward,
            street=form.recipient_street.data,
            weight_grams=form.weight_grams.data,
            postage=form.postage.data,
            cod_amount=form.cod_amount.data,
        )
        shipping.ship(
            model.dossier, current_user, shipment, order=model, ip_address=request.remote_addr
        )

    def handle_view_exception(self, exc):
        """A refused shipment names every field it refused."""
        if isinstance(exc, ValidationFailed) and exc.fields:
            names = {k: str(v) for k, v in self.column_labels.items()}
            details = "; ".join(f"{names.get(k, k)}: {v}" for k, v in exc.fields.items())
            flash(f"{exc.message} {details}", "error")
            return True
        return super().handle_view_exception(exc)

    def get_save_return_url(self, model, is_created=False):
        return self.get_url(".details_view", id=model.id)

    def one_options(self, pk):
        """The parcel's page in one statement: its dossier, office, people and events."""
        return order_options()

    @expose("/record-event/", methods=("POST",))
    def record_event_view(self):
        """Post staff record what happened to the parcel (the service checks the action)."""
        return self.record_event_from_form(self.get_one(request.args.get("id")))

    def after_record(self, order):
        return redirect(url_for(".details_view", id=order.id))


@cache
def order_options() -> tuple:
    """The parcel page's loader options (immutable: made once, reused by every request)."""
    return (
        joinedload(DeliveryOrder.dossier),
        joinedload(DeliveryOrder.post_office),
        named_only(DeliveryOrder.created_by),
        joinedload(DeliveryOrder.events).options(named_only(DeliveryEvent.actor)),
    )
