"""Parts of the delivery screen: address pickers, the postage helper, the event form."""

from datetime import datetime

from flask import flash, g, jsonify, request, url_for
from flask_admin import expose
from flask_admin.form import rules
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

import permissions
from models.base import utcnow
from models.delivery import DELIVERY_STATUSES, EVENT_SOURCES
from services.calendar import LOCAL_TZ
from services.delivery import events as delivery_events
from services.delivery.postage import postage_for, zone_of
from services.delivery.shipping import shippable
from services.errors import ServiceError, ValidationFailed
from services.transactions import transaction
from vietnam.dates import format_instant, parse_instant
from views.admin.core.ajax import ScopedAjaxLoader
from views.admin.core.pickers import DEFAULT_PROVINCE, WardsMixin, division_code, fill_choices


class DeliveryHelpers(rules.BaseRule):
    """Where static/delivery.js finds the URLs of the ward list and the price list."""

    def __call__(self, form, form_opts=None, field_args=None):
        return Markup(
            '<div id="delivery-helpers" data-wards-url="{}" data-postage-url="{}"></div>'
        ).format(url_for(".wards_view"), url_for(".postage_view"))


class AddressPickers(WardsMixin):
    """Province and ward selects, their JSON, and the price-list postage."""

    @property
    def extra_js(self):
        return [url_for("static", filename="delivery.js")]

    def address_choices(self, form, province):
        province = division_code(province) or DEFAULT_PROVINCE
        fill_choices(form.recipient_province_code, form.recipient_ward_code, province)
        if not form.recipient_province_code.data:
            form.recipient_province_code.data = str(province)

    @expose("/postage/")
    def postage_view(self):
        """JSON: the price-list postage for a weight and a province."""
        weight = request.args.get("weight", type=int)
        zone = zone_of(request.args.get("province", type=int))
        try:
            price = postage_for(weight if weight is not None else 0, zone)
        except ValidationFailed as exc:
            return jsonify(error=exc.message), 422
        return jsonify(postage=price, zone=zone)


class ShippableDossierLoader(ScopedAjaxLoader):
    """The ship form's dossier picker lists only dossiers the user may ship now; an id
    posted by hand is read in scope, so shipping refuses it saying why (its status, its
    return method), not with a bare "not a valid choice"."""

    def get_query(self):
        return shippable(super().get_query(), current_user)

    def one_query(self):
        return super().get_query()


DRAFT_FIELDS = ("status", "at", "note")


def _local_instant(value: str | None) -> datetime | None:
    """The time typed dd/mm/yyyy HH:MM[:SS] (or ISO), read as Vietnam time."""
    if not value or not value.strip():
        return None
    try:
        return parse_instant(value).replace(tzinfo=LOCAL_TZ)
    except ValueError as exc:
        raise ValidationFailed(_("The time is not valid.")) from exc


class EventFormMixin:
    """The order's page: its events as a timeline and the form to record the next one."""

    def next_statuses(self, order) -> list[tuple[str, str]]:
        """(status, label) post staff may record on ORDER now; empty when not allowed."""
        if not (
            permissions.can(current_user, "delivery_order", "record_event")
            and permissions.in_scope(current_user, "delivery_order", order)
        ):
            return []
        return [(s, str(DELIVERY_STATUSES.label(s))) for s in delivery_events.next_statuses(order)]

    def delivery_status_label(self, status: str) -> str:
        return str(DELIVERY_STATUSES.label(status))

    def source_label(self, source: str) -> str:
        return str(EVENT_SOURCES.label(source))

    def now_local(self) -> str:
        return format_instant(utcnow().astimezone(LOCAL_TZ))

    def event_draft(self) -> dict:
        """The event form's values: what was typed, when the page answers a refusal."""
        return g.get("event_draft") or {"status": "", "at": self.now_local(), "note": ""}

    def record_event_from_form(self, order):
        form = request.form
        typed = {name: form.get(name, "")[:1000] for name in DRAFT_FIELDS}
        try:
            _check_form(typed["status"], form.get("confirm_delivered"))
            with transaction():
                event = delivery_events.Event(
                    status=typed["status"], at=_local_instant(typed["at"]), note=typed["note"]
                )
                result = delivery_events.record_event(
                    order, event, current_user, source="manual", ip_address=request.remote_addr
                )
        except ServiceError as exc:
            flash(exc.message, "error")
            return self.after_refusal(typed)
        except (IntegrityError, StaleDataError):  # the feed wrote the same parcel meanwhile
            flash(_("The parcel changed meanwhile; nothing was recorded. Look again."), "error")
            return self.after_refusal(typed)
        else:
            messages = {
                "applied": _(
                    "Recorded: %(status)s.", status=self.delivery_status_label(event.status)
                ),
                "kept": _("Recorded in the timeline; the parcel's status stays as it was."),
                "duplicate": _("This event was already recorded."),
            }
            flash(messages[result], "success" if result == "applied" else "info")
        return self.after_record(order)

    def after_refusal(self, typed: dict):
        """The parcel's page again, its event form holding what was typed (nothing lost)."""
        g.event_draft = typed
        return self.details_view()


def _check_form(status: str, confirmed: str | None) -> None:
    """A status must be chosen; a delivery, final, must be confirmed in so many words."""
    if not status:
        raise ValidationFailed(_("Choose the parcel's new status."))
    if status == "delivered" and confirmed != "yes":
        raise ValidationFailed(
            _(
                "Delivered is final: it returns the result and closes the dossier. "
                "Confirm the delivery before it is recorded."
            )
        )
