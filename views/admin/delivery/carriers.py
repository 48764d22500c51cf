"""The carriers' screens: the status mapping IT staff keep, and the webhook inbox.

The inbox is read-only; its one action, «Áp dụng lại», applies unapplied calls again
through services.delivery.webhooks (each audited) once the mapping has been fixed.
"""

from flask import flash, request
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms.validators import InputRequired, Length, Regexp

from models.carrier import CARRIERS, INBOX_OUTCOMES, INBOX_STATES
from models.delivery import DELIVERY_STATUSES
from services.delivery import webhooks
from services.errors import ServiceError
from views.admin.core.base import SecuredModelView
from views.admin.core.formatters import labelled
from views.admin.core.params import parse_id


class CarrierStatusView(SecuredModelView):
    """Each carrier's status codes and the delivery status each means."""

    resource = "carrier_status"
    allow_delete = True  # a mapping line is configuration, not a record of public service
    column_list = ("carrier", "code", "status", "note")
    column_default_sort = [("carrier", False), ("code", False)]
    column_sortable_list = ("carrier", "code", "status")
    column_filters = ("carrier", "status")
    column_searchable_list = ("code", "note")
    column_labels = {
        "carrier": _l("Carrier"),
        "code": _l("Carrier's status code"),
        "status": _l("Delivery status"),
        "note": _l("Carrier's words"),
    }
    column_choices = {"carrier": CARRIERS.choices(), "status": DELIVERY_STATUSES.choices()}
    column_formatters = {
        "carrier": labelled(CARRIERS),
        "status": labelled(DELIVERY_STATUSES, badges=True),
    }
    form_columns = ("carrier", "code", "status", "note")
    form_choices = {"carrier": CARRIERS.choices(), "status": DELIVERY_STATUSES.choices()}
    form_args = {
        "carrier": {"validators": [InputRequired()]},
        "code": {
            "validators": [
                InputRequired(),
                Length(max=40),
                Regexp(r"^[\x21-\x7e]+$", message=_l("Printable characters, no spaces.")),
            ]
        },
        "status": {"validators": [InputRequired()]},
        "note": {"validators": [Length(max=255)]},
    }

    def record_name(self, model) -> str:
        return f"{CARRIERS.label(model.carrier)} {model.code}"


def body_formatter(view, context, model, name):
    """The raw body as received, shown as text (bytes that are not UTF-8 replaced)."""
    text = (model.body or b"").decode("utf-8", "replace")
    return Markup("<pre class='mb-0 text-wrap'>{}</pre>").format(escape(text[:4000]))


class CarrierWebhookView(SecuredModelView):
    """Every call a carrier made, newest first; unapplied ones with their reason."""

    resource = "carrier_webhook"
    allow_create = False
    allow_edit = False
    simple_list_pager = True
    column_list = (
        "received_at",
        "carrier",
        "transaction_id",
        "tracking_code",
        "status_code",
        "status_name",
        "event_at",
        "state",
        "reason",
    )
    column_details_list = (
        *column_list,
        "mapped_status",
        "outcome",
        "attempts",
        "applied_at",
        "note",
        "body",
    )
    column_default_sort = ("received_at", True)
    column_sortable_list = ("received_at", "event_at")
    column_filters = ("carrier", "state", "tracking_code", "received_at")
    column_labels = {
        "received_at": _l("Received at"),
        "carrier": _l("Carrier"),
        "transaction_id": _l("Carrier transaction"),
        "tracking_code": _l("Tracking code"),
        "status_code": _l("Carrier's status code"),
        "status_name": _l("Carrier's words"),
        "event_at": _l("Event time"),
        "state": _l("State"),
        "reason": _l("Reason"),
        "mapped_status": _l("Delivery status"),
        "outcome": _l("What applying did"),
        "attempts": _l("Attempts"),
        "applied_at": _l("Applied at"),
        "note": _l("Notes"),
        "body": _l("Body as received"),
    }
    column_choices = {
        "carrier": CARRIERS.choices(),
        "state": INBOX_STATES.choices(),
        "outcome": INBOX_OUTCOMES.choices(),
        "mapped_status": DELIVERY_STATUSES.choices(),
    }
    column_formatters = {
        "carrier": labelled(CARRIERS),
        "state": labelled(INBOX_STATES, badges=True),
        "outcome": labelled(INBOX_OUTCOMES),
        "mapped_status": labelled(DELIVERY_STATUSES),
        "body": body_formatter,
    }
    column_formatters_export = {
        "body": lambda v, c, m, n: (m.body or b"").decode("utf-8", "replace")
    }
    action_permissions = {"reapply": "reapply"}

    @action(
        "reapply",
        _l("Apply again"),
        _l("Apply the selected carrier calls again with the current mapping?"),
    )
    def action_reapply(self, ids):
        """Unapplied calls, applied again (each in its own transaction, audited)."""
        wanted = [i for i in map(parse_id, ids) if i is not None]
        visible = [row.id for row in self.get_query().filter(self.model.id.in_(wanted))]
        try:
            counts = webhooks.reapply(visible, current_user, ip_address=request.remote_addr)
        except ServiceError as exc:
            flash(exc.message, "error")
            return
        applied, left = counts.get("applied", 0), counts.get("unapplied", 0)
        flash(
            _(
                "%(applied)s call(s) applied; %(left)s still not applied.",
                applied=applied,
                left=left,
            ),
            "success" if not left else "warning",
        )
