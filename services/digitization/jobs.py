"""The heavy work on a file, run off the request: convert to one PDF, sign, store, record.

``process(file_id)`` is idempotent and safe to kill at any point: the PDF is written whole
under its key (a temporary name renamed into place, or one S3 PUT) before the row records
it in one transaction; a killed run leaves the row pending and the next run redoes it.
The raw upload is deleted only after the row is committed.
"""

import hashlib

from flask import current_app

from extensions import db
from models.base import utcnow
from models.digitization import DossierFile
from services.digitization import convert, signing
from services.digitization.storage import store
from services.transactions import transaction


def final_key(row: DossierFile) -> str:
    return f"files/{row.dossier_id}/{row.id}.pdf"


def _signer():
    """The configured PKCS#12 signer (loaded once per app), or None when none is set."""
    config, ext = current_app.config, current_app.extensions
    path = config.get("SIGNING_P12_PATH")
    if not path:
        return None
    cached = ext.get("digitization_signer")
    if cached is None or cached[0] != path:
        cached = (path, signing.load_signer(path, config.get("SIGNING_P12_PASSWORD")))
        ext["digitization_signer"] = cached
    return cached[1]


def _signed(pdf: bytes, signer):
    """PDF signed; a loosely written PDF is rewritten once first if the signer cannot read it."""
    try:
        return signing.sign(pdf, signer)
    except Exception:
        return signing.sign(convert.rewritten(pdf), signer)


def process(file_id: int) -> str:
    """Make file FILE_ID's signed PDF and record it; answers the row's state."""
    row = db.session.get(DossierFile, file_id)
    if row is None:
        return "missing"
    if row.state == "ready":
        return "ready"
    files = store()
    try:
        pdf = convert.to_pdf(files.get(row.raw_key), row.raw_type)
        pages = convert.page_count(pdf)
        signer = _signer()
        who = None
        if signer is not None:
            pdf, who = _signed(pdf, signer)
    except Exception as exc:
        db.session.rollback()
        with transaction():
            row = db.session.get(DossierFile, file_id)
            row.state, row.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
        raise
    key = final_key(row)
    files.put(key, pdf, retain=True)
    raw_key = row.raw_key
    with transaction():
        row.storage_key, row.pages, row.size = key, pages, len(pdf)
        row.sha256 = hashlib.sha256(pdf).hexdigest()
        row.signed = who is not None
        if who is not None:
            row.signer_name, row.signer_serial, row.signer_ca = who.name, who.serial, who.ca
        row.state, row.error, row.processed_at, row.raw_key = "ready", None, utcnow(), None
    if raw_key:
        files.delete(raw_key)
    return "ready"


def pending_ids() -> list[int]:
    """The files whose job has not finished (oldest first)."""
    from sqlalchemy import select

    query = select(DossierFile.id).where(DossierFile.state == "pending").order_by(DossierFile.id)
    return list(db.session.scalars(query))
