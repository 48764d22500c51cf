"""Streaming a dossier's file to a signed-in user, shared by the panel and the API."""

from flask import Flask, Response, current_app, request

from services.digitization import files as file_service
from services.transactions import transaction


def stream_file(user, file_id) -> Response:
    """Shared by the API and the panel: scope check, audit, then the PDF as an attachment."""
    with transaction(expire=False):
        row = file_service.visible_file(user, file_id)
        chunks = file_service.open_file(user, row, ip_address=request.remote_addr)
        name, size = file_service.download_name(row), row.size
    disposition = "inline" if request.args.get("inline") == "1" else "attachment"
    return Response(
        chunks,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'{disposition}; filename="{name}"',
            "Content-Length": str(size),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


#: Routes that take uploads → how many full-size files one request may carry.
UPLOAD_ROUTES = {"api.upload_file": 1, "dossier.upload_file_view": 1, "dossier.create_view": 10}
FORM_SLACK = 64 * 1024  # the multipart envelope and the form's other fields


def raise_upload_limit() -> None:
    """Before anything reads the body: an upload route may take UPLOAD_MAX_MB per file
    (every other request keeps MAX_CONTENT_LENGTH)."""
    files = UPLOAD_ROUTES.get(request.endpoint or "")
    if files and request.method == "POST":
        per_file = current_app.config["UPLOAD_MAX_MB"] * 1024 * 1024
        request.max_content_length = files * per_file + FORM_SLACK


def init_upload_limits(app: Flask) -> None:
    """Run first of all before-request hooks (the gate reads the form)."""
    app.before_request_funcs.setdefault(None, []).insert(0, raise_upload_limit)
