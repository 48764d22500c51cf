"""The dossier page's digitized files: upload a document's scan (or the result), open one,
and the receipt form's offer of the applicant's still-valid documents for reuse.

Thin over services.digitization; the conversion and signing run after the commit
(services.digitization.runner).
"""

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from extensions import db
from i18n import local_date
from models.catalog import ProcedureType
from models.digitization import FILE_KINDS, FILE_STATES, ORIGINALITY
from services.digitization import files as file_service
from services.digitization import runner
from services.digitization import store as applicant_store
from services.errors import Forbidden, NotFound, ServiceError
from services.transactions import transaction
from vietnam.dates import parse_day
from views.files import stream_file

FORM_SLACK = 64 * 1024


def _day(text: str | None):
    """The issue date typed (dd/mm/yyyy), or None when empty or not a day."""
    try:
        return parse_day(text) if (text or "").strip() else None
    except ValueError:
        return None


class DossierFilesMixin:
    """Routes and helpers of the «Tệp số hóa» card on the dossier page."""

    route_actions = {
        "upload_file_view": "view",  # then the service checks who may attach what
        "file_view": "view",  # then the file's dossier must be in scope (404 otherwise)
        "reuse_offers_view": "create",
    }
    file_kinds, file_states, originality = FILE_KINDS, FILE_STATES, ORIGINALITY

    def files_of(self, dossier) -> list:
        return file_service.files_of(dossier)

    def attachable_kinds(self, dossier) -> list[str]:
        """The kinds of file the user may attach to DOSSIER now."""
        return [k for k in FILE_KINDS if file_service.may_attach(current_user, dossier, k)]

    @expose("/files/upload/", methods=("POST",))
    def upload_file_view(self):
        try:
            file_service.require_attaching(current_user)
        except Forbidden:
            abort(403)
        dossier = self.get_one(request.args.get("id"))
        back = redirect(url_for(".details_view", id=dossier.id) + "#dossier-files")
        limit = self._upload_limit()
        if (request.content_length or 0) > limit + FORM_SLACK:
            flash(_("The file is over the %(mb)s MB limit.", mb=limit // 2**20), "error")
            return back
        request.max_content_length = limit + FORM_SLACK
        upload, form = request.files.get("file"), request.form
        if upload is None or not upload.filename:
            flash(_("Choose a file to upload."), "error")
            return back
        try:
            with transaction(expire=False):
                row = file_service.upload(
                    dossier,
                    current_user,
                    document=form.get("document"),
                    data=upload.read(limit + 1),
                    filename=upload.filename,
                    kind=form.get("kind") or "document",
                    originality=form.get("originality") or "copy",
                    details={
                        "number": (form.get("number") or "").strip()[:60],
                        "issuer": (form.get("issuer") or "").strip()[:255],
                        "issued_on": _day(form.get("issued_on")),
                    },
                    ip_address=request.remote_addr,
                )
        except ServiceError as exc:
            flash(exc.message, "error")
            return back
        runner.run_later([row.id] if row.state == "pending" else [])
        flash(_("File attached: %(document)s.", document=row.document), "success")
        return back

    def _upload_limit(self) -> int:
        from flask import current_app

        return current_app.config["UPLOAD_MAX_MB"] * 1024 * 1024

    @expose("/files/<int:file_id>")
    def file_view(self, file_id: int):
        try:
            return stream_file(current_user, file_id)
        except NotFound:
            abort(404)

    @expose("/reuse-offers/")
    def reuse_offers_view(self):
        """JSON for the receipt form: the applicant's still-valid documents of the checklist."""
        procedure = db.session.get(ProcedureType, request.args.get("procedure", type=int) or 0)
        id_number = (request.args.get("id_number") or "").strip()
        if procedure is None or not id_number:
            return jsonify(items=[])
        return jsonify(
            items=[
                {
                    "file_id": entry.file_id,
                    "document": entry.document_type,
                    "pages": entry.file.pages,
                    "valid_until": local_date(entry.valid_until),
                    "number": entry.number,
                }
                for entry in applicant_store.offers(id_number, procedure)
            ],
            labels={
                "title": _("Digitized documents of this applicant that are still valid"),
                "reuse": _("Reuse"),
                "reused": _("Will be reused"),
                "valid_until": _("valid until"),
                "pages": _("pages"),
            },
        )

    def reuse_on_receipt(self, dossier) -> None:
        """Attach the offers the clerk clicked (``reuse_file_ids``) in the receipt's transaction."""
        ids = [int(v) for v in request.form.getlist("reuse_file_ids") if v.isdigit()]
        if ids:
            db.session.flush()
            applicant_store.reuse(dossier, ids, current_user)
