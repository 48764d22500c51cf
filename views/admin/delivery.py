"""The postal delivery orders screen."""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import InputRequired, NumberRange

from models.delivery import DeliveryOrder
from services import workflow
from views import labels
from views.admin import validators
from views.admin.base import SecuredModelView
from views.admin.formatters import delivery_events, money_formatter


class DeliveryOrderView(SecuredModelView):
    resource = "delivery_order"
    details_template = "admin/delivery_order/details.html"  # adds "In nhãn"
    simple_list_pager = True  # grows with the dossiers: no COUNT(*) per page
    column_select_related_list = (DeliveryOrder.dossier, DeliveryOrder.post_office)
    column_list = (
        "tracking_code",
        "dossier",
        "status",
        "recipient_name",
        "recipient_phone",
        "recipient_address",
        "postage",
        "cod_amount",
        "created_at",
    )
    column_details_list = (*column_list, "post_office", "failure_reason", "delivered_at", "events")
    column_default_sort = ("created_at", True)
    column_sortable_list = ("tracking_code", "created_at", "status")
    column_searchable_list = ("tracking_code",)
    column_filters = ("status", "created_at")
    column_labels = {
        "tracking_code": _l("Tracking code"),
        "dossier": _l("Dossier"),
        "status": _l("Status"),
        "recipient_name": _l("Recipient"),
        "recipient_phone": _l("Recipient phone"),
        "recipient_address": _l("Delivery address"),
        "postage": _l("Postage"),
        "cod_amount": _l("Collect on delivery"),
        "created_at": _l("Created at"),
        "post_office": _l("Post office"),
        "failure_reason": _l("Failure reason"),
        "delivered_at": _l("Delivered at"),
        "events": _l("Tracking events"),
    }
    column_choices = {"status": labels.choices(labels.DELIVERY_STATUS)}
    column_formatters = {
        "postage": money_formatter,
        "cod_amount": money_formatter,
        "events": delivery_events,
    }
    form_columns = (
        "dossier",
        "post_office",
        "tracking_code",
        "recipient_name",
        "recipient_phone",
        "recipient_address",
        "postage",
        "cod_amount",
    )
    form_ajax_refs = {"dossier": {"fields": ("code",), "page_size": 10}}
    form_args = {
        "dossier": {"validators": [InputRequired()]},
        "post_office": {"validators": [InputRequired()]},
        "tracking_code": {"validators": [InputRequired(), validators.tracking_code]},
        "recipient_name": {"validators": [InputRequired()]},
        "recipient_phone": {"validators": [InputRequired(), validators.phone]},
        "recipient_address": {"validators": [InputRequired()]},
        "postage": {"validators": [NumberRange(min=0, max=100_000_000)]},
        "cod_amount": {"validators": [NumberRange(min=0, max=1_000_000_000)]},
    }

    def edit_form(self, obj=None):
        """The parcel stays with its dossier; tracking events change its status."""
        form = super().edit_form(obj)
        del form.dossier
        return form

    def prepare(self, form, model, is_created):
        if is_created:
            model.created_by_id = current_user.id
            model.status = "created"
            if current_user.agency.kind == "post_office":
                model.post_office = current_user.agency  # the clerk's own office ships
            # Creating the order is the "ship" move of DOMAIN.md: the result leaves the counter.
            workflow.ship(
                model.dossier,
                current_user,
                tracking_code=model.tracking_code,
                ip_address=request.remote_addr,
            )
