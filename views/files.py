"""Streaming a dossier's file to a signed-in user, shared by the panel and the API."""

from flask import Response, request

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
