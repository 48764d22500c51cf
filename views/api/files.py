"""Files of dossiers: upload one per document, list them, stream one (same scope as its dossier).

Thin over services.digitization.files; the upload is kept raw in one transaction and the
conversion and signing run after the commit (services.digitization.runner).
"""

from flask import current_app, jsonify, request

from models.digitization import DossierFile
from services.digitization import files as file_service
from services.errors import ValidationFailed
from services.transactions import transaction
from views.api.auth import current_api_user, token_required
from views.api.blueprint import bp
from views.api.dossiers import visible_dossier
from views.api.serializers import iso
from views.files import FORM_SLACK, stream_file


def file_dict(row: DossierFile) -> dict:
    return {
        "id": row.id,
        "document": row.document,
        "kind": row.kind,
        "state": row.state,
        "pages": row.pages,
        "sha256": row.sha256,
        "size": row.size,
        "signed": row.signed,
        "reused": row.reused,
        "created_at": iso(row.created_at),
    }


def read_upload(field: str = "file") -> tuple[bytes, str | None]:
    """The uploaded file's bytes and name; over the limit is refused before it is read."""
    limit = current_app.config["UPLOAD_MAX_MB"] * 1024 * 1024
    too_big = f"Tệp vượt quá giới hạn {current_app.config['UPLOAD_MAX_MB']} MB."
    if (request.content_length or 0) > limit + FORM_SLACK:
        raise ValidationFailed(too_big, {field: too_big})
    upload = request.files.get(field)
    if upload is None:
        raise ValidationFailed("Chưa chọn tệp.", {field: "Bắt buộc."})
    return upload.read(limit + 1), upload.filename


@bp.post("/dossiers/<code>/files")
@token_required
def upload_file(code: str):
    """Attach one document's file (or the result, ``kind`` result) to a dossier: 201."""
    user = current_api_user()
    file_service.require_attaching(user)
    dossier = visible_dossier(user, code)
    data, filename = read_upload()
    form = request.form
    with transaction(expire=False):
        row = file_service.upload(
            dossier,
            user,
            document=form.get("document"),
            data=data,
            filename=filename,
            kind=(form.get("kind") or "document").strip(),
            originality=(form.get("originality") or "copy").strip(),
            ip_address=request.remote_addr,
        )
    response = jsonify(file_dict(row))
    response.status_code = 201
    return response


@bp.get("/dossiers/<code>/files")
@token_required
def list_files(code: str):
    """The dossier's files."""
    dossier = visible_dossier(current_api_user(), code)
    return jsonify(items=[file_dict(f) for f in file_service.files_of(dossier)])


@bp.get("/files/<file_id>")
@token_required
def get_file(file_id: str):
    """The PDF, streamed after the dossier's scope check (404 otherwise); audited."""
    return stream_file(current_api_user(), file_id)
