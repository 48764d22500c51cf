"""The dossier page's digitized files: upload a document's scan (or the result), open one,
and the receipt form's offer of the applicant's still-valid documents for reuse.

Thin over services.digitization; the conversion and signing run after the commit
(services.digitization.runner).
"""

from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from extensions import db
from i18n import local_date
from models.catalog import ProcedureType
from models.digitization import FILE_KINDS, FILE_STATES, ORIGINALITY
from services.digitization import files as file_service
from services.digitization import safety
from services.digitization import store as applicant_store
from services.errors import Forbidden, NotFound, ServiceError
from services.transactions import transaction
from vietnam.dates import parse_day
from views.files import FORM_SLACK, stream_file


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
        flash(_("File attached: %(document)s.", document=row.document), "success")
        return back

    def _upload_limit(self) -> int:
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

    def _scans(self) -> list[tuple[str, object]]:
        """(document name, uploaded file) of each scan the receipt form carries."""
        procedure = db.session.get(ProcedureType, request.form.get("procedure_type", type=int) or 0)
        names = [d.name for d in procedure.documents] if procedure else []
        found = []
        for index, name in enumerate(names):
            upload = request.files.get(f"scan_{index}")
            if upload is not None and upload.filename:
                found.append((name, upload))
        return found

    def validate_form(self, form):
        """The receipt's scans pass the door's checks before anything is received."""
        valid = super().validate_form(form)
        if not getattr(form, "is_receipt", False) or request.method != "POST":
            return valid
        limits = safety.limits(current_app.config)
        for name, upload in self._scans():
            try:
                safety.check_upload(upload.read(self._upload_limit() + 1), **limits)
            except ServiceError as exc:
                flash(f"{name}: {exc.message}", "error")
                valid = False
            finally:
                upload.stream.seek(0)
        return valid

    def scans_on_receipt(self, dossier) -> None:
        """Keep the receipt's scans raw in its transaction; the workers digitize them after
        it (their outbox rows are written with them)."""
        for name, upload in self._scans():
            file_service.upload(
                dossier,
                current_user,
                document=name,
                data=upload.read(self._upload_limit() + 1),
                filename=upload.filename,
                ip_address=request.remote_addr,
            )

    def reuse_on_receipt(self, dossier) -> None:
        """Attach the offers the clerk clicked (``reuse_file_ids``) in the receipt's transaction."""
        ids = [int(v) for v in request.form.getlist("reuse_file_ids") if v.isdigit()]
        if ids:
            db.session.flush()
            applicant_store.reuse(dossier, ids, current_user)
