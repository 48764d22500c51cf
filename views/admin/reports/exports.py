"""/admin/report/exports/: the user's heavy downloads, made by the workers and offered here.

A tracking book or report longer than EXPORT_INLINE_MAX_DAYS is not streamed by the request
(it would hold an app server for minutes): the page asks for it here, the workers make it,
this page shows its progress and then its download. Each user sees and takes only their own.
"""

from flask import Response, abort, current_app, flash, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from i18n import local_datetime
from models.export import EXPORT_KINDS, EXPORT_STATUSES
from services.errors import Conflict, NotFound, ValidationFailed
from services.reporting import exports
from services.reporting.periods import make_period
from services.transactions import transaction
from views.admin.reports.choice import read_choice

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def status_of(export) -> dict:
    """What the page's progress line shows of EXPORT (also its JSON)."""
    return {
        "id": export.id,
        "status": export.status,
        "status_label": str(EXPORT_STATUSES.label(export.status)),
        "rows_done": export.rows_done,
        "rows_total": export.rows_total,
        "finished": not export.unfinished,
        "download": url_for(".export_download", export_id=export.id)
        if export.status == "done"
        else None,
    }


class ExportsMixin:
    """The exports routes of the reports screen (it maps them in ``route_actions``)."""

    def ask_in_background(self, kind: str, period, filters):
        """The page that offers to make a long download in the background (GET), so that a
        link or a typed address never starts work by itself."""
        return self.render(
            "admin/report/export_ask.html",
            kind=kind,
            kind_label=EXPORT_KINDS.label(kind),
            period=period,
            filters=filters,
            limit=current_app.config["EXPORT_INLINE_MAX_DAYS"],
        )

    @expose("/exports/", methods=("GET", "POST"))
    def exports_view(self):
        if request.method == "POST":
            return self._ask()
        return self.render(
            "admin/report/exports.html",
            rows=exports.mine(current_user),
            status_of=status_of,
            kinds=EXPORT_KINDS,
            statuses=EXPORT_STATUSES,
            when=local_datetime,
        )

    def _ask(self):
        kind = request.form.get("kind", "")
        if kind not in EXPORT_KINDS:
            flash(_("This kind of file is not known."), "error")
            return redirect(url_for(".exports_view"))
        try:
            period = make_period(request.form.get("from"), request.form.get("to"))
        except ValidationFailed as exc:
            flash(_("The period is not valid: %(fields)s", fields=exc.fields), "error")
            return redirect(url_for(".exports_view"))
        filters = read_choice(request.form).filters
        try:
            with transaction():
                export = exports.ask(current_user, kind, period, filters)
        except Conflict as exc:
            flash(exc.message, "error")
            return redirect(url_for(".exports_view"))
        flash(
            _("«%(label)s» is being made; it will be offered here when ready.", label=export.label),
            "success",
        )
        return redirect(url_for(".exports_view"))

    @expose("/exports/<export_id>/again", methods=("POST",))
    def export_again(self, export_id):
        """Ask once more for a file that failed (its row keeps the reason)."""
        try:
            with transaction():
                export = exports.ask_again(current_user, export_id)
        except NotFound:
            abort(404)
        except Conflict as exc:
            flash(exc.message, "error")
            return redirect(url_for(".exports_view"))
        flash(
            _("«%(label)s» is being made; it will be offered here when ready.", label=export.label),
            "success",
        )
        return redirect(url_for(".exports_view"))

    @expose("/exports/<export_id>.json")
    def export_status(self, export_id):
        try:
            export = exports.get_own(current_user, export_id)
        except NotFound as exc:
            return jsonify({"error": {"code": "not_found", "message": exc.message}}), 404
        return jsonify(status_of(export))

    @expose("/exports/<export_id>/download")
    def export_download(self, export_id):
        try:
            export = exports.get_own(current_user, export_id)
            data = exports.content(export)
        except NotFound:
            abort(404)
        response = Response(data, mimetype=XLSX)
        response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
