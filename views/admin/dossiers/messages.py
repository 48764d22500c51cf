"""The dossier's messages page: what the applicant was sent, and their choice of channels
(changed here with a reason). A page of its own, linked from the dossier page, so the
dossier page keeps its three statements."""

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from models.notification import NOTIFY_CHANNELS, NOTIFY_EVENTS, NOTIFY_RESULTS
from services.dossiers import consent
from services.errors import ServiceError
from services.integration.notify import log as message_log
from services.transactions import transaction


class DossierMessagesMixin:
    """Routes of «Tin nhắn gửi người nộp» (/admin/dossier/messages/?id=)."""

    route_actions = {
        "messages_view": "view",
        "consent_view": "view",  # then the service asks for receive or edit, and the scope
    }

    @expose("/messages/")
    def messages_view(self):
        dossier = self.get_one(request.args.get("id"))
        return self.render(
            "admin/dossier/messages.html",
            dossier=dossier,
            messages=message_log.of_dossier(dossier.id),
            channels=NOTIFY_CHANNELS,
            events=NOTIFY_EVENTS,
            results=NOTIFY_RESULTS,
            chosen=set(dossier.notify_channels or ()),
            may_change=consent.may_change(current_user),
            reason_max=consent.REASON_MAX,
        )

    @expose("/messages/consent/", methods=("POST",))
    def consent_view(self):
        dossier = self.get_one(request.args.get("id"))
        back = redirect(url_for(".messages_view", id=dossier.id))
        try:
            with transaction():
                chosen = consent.change(
                    dossier,
                    request.form.getlist("notify"),
                    request.form.get("reason"),
                    current_user,
                    ip_address=request.remote_addr,
                )
        except ServiceError as exc:
            flash(exc.message, "error")
            return back
        if chosen:
            names = ", ".join(str(NOTIFY_CHANNELS.label(c)) for c in chosen)
            flash(_("The applicant is now told on: %(channels)s.", channels=names), "success")
        else:
            flash(_("The applicant gets no more messages."), "success")
        return back
