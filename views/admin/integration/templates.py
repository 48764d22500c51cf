"""«Mẫu tin nhắn» (/admin/notification_template/): IT staff edit the text of each event ×
channel, with the placeholders listed, the SMS length counted and a preview."""

import textwrap

from flask import jsonify, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import Length

from models.notification import NOTIFY_CHANNELS, NOTIFY_EVENTS
from models.notification_texts import PLACEHOLDERS
from services.integration.notify import templates
from vietnam.sms import SEGMENT
from views.admin.core.base import SecuredModelView
from views.admin.core.formatters import labelled


def body_formatter(_view, _context, model, _name):
    """The list shows the text's first line (a whole SMS), cut at a word with "…"."""
    first = (model.body or "").splitlines()[0] if model.body else ""
    return textwrap.shorten(first, width=200, placeholder=" …")


class NotificationTemplateView(SecuredModelView):
    resource = "notification_template"
    allow_create = False  # one row per event × channel, seeded; edited, never added
    allow_delete = False
    edit_template = "admin/notify/template_edit.html"
    route_actions = {"preview_view": "edit"}
    placeholders = PLACEHOLDERS
    sms_limit = SEGMENT
    column_list = ("event", "channel", "active", "subject", "body", "provider_template")
    column_default_sort = [("event", False), ("channel", False)]
    column_sortable_list = ("event", "channel")
    column_filters = ("event", "channel", "active")
    column_labels = {
        "event": _l("Event"),
        "channel": _l("Message channel"),
        "active": _l("In use"),
        "subject": _l("Email subject"),
        "body": _l("Message text"),
        "provider_template": _l("Provider's template id"),
        "updated_at": _l("Last changed"),
    }
    column_descriptions = {
        "provider_template": _l(
            "The template registered with the SMS gateway or Zalo ZNS for this event."
        ),
    }
    column_choices = {"event": NOTIFY_EVENTS.choices(), "channel": NOTIFY_CHANNELS.choices()}
    column_formatters = {
        "event": labelled(NOTIFY_EVENTS),
        "channel": labelled(NOTIFY_CHANNELS),
        "body": body_formatter,
    }
    form_columns = ("active", "subject", "body", "provider_template")
    form_args = {
        "subject": {"validators": [Length(max=templates.SUBJECT_MAX)]},
        "body": {"validators": [Length(max=templates.BODY_MAX)], "render_kw": {"rows": 8}},
        "provider_template": {"validators": [Length(max=60)]},
    }

    @property
    def extra_js(self):
        return [url_for("static", filename="notify.js")]

    def sms_widths(self) -> dict:
        return dict(templates.SMS_WIDTH)

    def heading(self, model) -> str:
        return _(
            "%(event)s — %(channel)s",
            event=NOTIFY_EVENTS.label(model.event),
            channel=NOTIFY_CHANNELS.label(model.channel),
        )

    def prepare(self, form, model, is_created):
        """The server's own check: an SMS too long or not GSM-7 is refused."""
        templates.check(model.channel, model.body, model.subject)
        model.updated_by_id = current_user.id

    @expose("/preview/", methods=("POST",))
    def preview_view(self):
        channel = request.form.get("channel") or "sms"
        if channel not in NOTIFY_CHANNELS:
            return jsonify(error=_("No such channel.")), 400
        return jsonify(
            templates.preview(channel, request.form.get("body"), request.form.get("subject"))
        )
