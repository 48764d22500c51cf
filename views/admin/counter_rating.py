"""«Đánh giá tại quầy» (/admin/counter-rating/): the counter tablet's screen.

Open to a counter tablet's account only (``User.kiosk_clerk_id``), which opens nothing
else: its roles grant nothing (permissions.granted). The page shows the bound clerk's
latest dossier (code, procedure, stage) with the three faces; static/counter-rating.js
asks ``current.json`` every few seconds and reloads when another dossier is waiting.
"""

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user

from models.rating import FACES, STAGES
from services.dossiers.ratings import counter, recording
from services.errors import Conflict, NotFound, ValidationFailed
from services.transactions import transaction
from views.access import deny, password_change_due
from views.rating import aspect_names


def kiosk_signed_in() -> bool:
    return current_user.is_authenticated and current_user.is_kiosk


class CounterRatingView(BaseView):
    """The three faces after each receipt or return by the tablet's clerk."""

    def is_accessible(self) -> bool:
        return kiosk_signed_in()

    def is_visible(self) -> bool:
        return kiosk_signed_in()

    def _handle_view(self, name, **kwargs):
        if not kiosk_signed_in():
            return deny()
        return password_change_due()

    def _page(self, shown, status=200, errors=None, answers=None):
        page = self.render(
            "admin/counter_rating/index.html",
            current=shown,
            faces=FACES,
            stages=STAGES,
            aspects=aspect_names(),
            errors=errors or {},
            answers=answers,
        )
        return page, status

    @expose("/")
    def index(self):
        return self._page(counter.current(current_user))

    @expose("/current.json")
    def current(self):
        """The dossier waiting for a rating now (null when none): the tablet's poll."""
        shown = counter.current(current_user)
        waiting = shown is not None and not shown.rated
        return jsonify({"current": shown.as_json() if waiting else None})

    @expose("/rate", methods=("POST",))
    def rate(self):
        form = request.form
        answers = recording.Answers.from_form(form)
        try:
            with transaction():
                counter.rate(
                    current_user,
                    form.get("code", ""),
                    form.get("stage", ""),
                    answers,
                    ip_address=request.remote_addr,
                )
        except NotFound as exc:
            flash(exc.message, "warning")
        except Conflict as exc:
            flash(exc.message, "info")
        except ValidationFailed as exc:
            shown = counter.current(current_user)
            if shown is None or shown.code != form.get("code"):
                abort(404)
            return self._page(shown, 422, exc.fields, form)
        else:
            flash(_("Thank you for your rating."), "success")
        return redirect(url_for(".index"))
