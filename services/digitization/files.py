"""Files of a dossier: take an upload at the door, list them, open one for a user in scope.

The request only checks and keeps the raw upload (the job converts and signs it later,
services.digitization.jobs); every view or download is audited with the dossier.
"""

import hashlib
import uuid
from collections.abc import Iterator

from flask import current_app
from sqlalchemy import select

import permissions
from extensions import db
from models.base import utcnow
from models.digitization import FILE_KINDS, ORIGINALITY, DossierFile
from models.dossier import Dossier
from services import audit
from services.digitization import safety, signing
from services.digitization.storage import store
from services.digitization.store import record_for_reuse
from services.errors import Forbidden, NotFound, ValidationFailed

#: Who may attach each kind of file (any one of the dossier actions named).
ATTACH_ACTIONS = {
    "document": ("receive", "edit", "supplement_received"),
    "result": ("complete",),
    "result_scan": ("return_at_counter", "complete"),
}


#: Every action that lets a role attach some file (the routes' first check).
ATTACHING = tuple(dict.fromkeys(a for actions in ATTACH_ACTIONS.values() for a in actions))


def require_attaching(user) -> None:
    """Forbidden unless USER's roles may attach some kind of file to some dossier."""
    if not any(permissions.can(user, "dossier", a) for a in ATTACHING):
        raise Forbidden("Vai trò của bạn không được đính kèm tệp cho hồ sơ.")


def may_attach(user, dossier: Dossier, kind: str = "document") -> bool:
    """May USER attach a file of KIND to DOSSIER (role and row scope)?"""
    return permissions.in_scope(user, "dossier", dossier) and any(
        permissions.can(user, "dossier", a) for a in ATTACH_ACTIONS[kind]
    )


def upload(
    dossier: Dossier,
    user,
    *,
    document: str | None,
    data: bytes,
    filename: str | None = None,
    kind: str = "document",
    originality: str = "copy",
    details: dict | None = None,
    ip_address: str | None = None,
) -> DossierFile:
    """Check an upload and keep it raw (a result PDF is verified and kept as it is).

    Raises ValidationFailed (nothing stored) for a document not on the checklist, a wrong
    type, an over-size file, a bomb, a virus or a result whose signature does not hold.
    """
    if kind not in FILE_KINDS:
        raise ValidationFailed("Loại tệp không hợp lệ.", {"kind": "Không hợp lệ."})
    if not may_attach(user, dossier, kind):
        raise Forbidden("Vai trò của bạn không được đính kèm tệp cho hồ sơ này.")
    document = _document_name(dossier, document, kind)
    if originality not in ORIGINALITY:
        raise ValidationFailed("Hình thức giấy tờ không hợp lệ.", {"originality": "Không hợp lệ."})
    seen = safety.check_upload(data, **safety.limits(current_app.config))
    row = DossierFile(
        dossier=dossier,
        kind=kind,
        document=document,
        originality=originality,
        raw_type=seen["media_type"],
        original_name=_safe_name(filename),
        created_by_id=user.id,
    )
    if kind == "result":
        _take_signed_result(row, data, seen)
    else:
        row.raw_key = f"raw/{uuid.uuid4().hex}"
        store().put(row.raw_key, data)
    db.session.add(row)
    db.session.flush()
    if kind == "document":
        record_for_reuse(row, dossier, details or {})
    audit.record(
        "file_upload",
        "dossier",
        dossier.id,
        actor=user,
        ip_address=ip_address,
        summary=f"Đính kèm tệp «{document}» ({FILE_KINDS.vi(kind)}) vào hồ sơ {dossier.code}",
    )
    return row


def _take_signed_result(row: DossierFile, data: bytes, seen: dict) -> None:
    """The department's result PDF: verified on arrival, kept as signed."""
    if seen["media_type"] != "application/pdf":
        raise ValidationFailed(
            "Kết quả điện tử phải là tệp PDF đã ký số.", {"file": "Phải là PDF đã ký số."}
        )
    who = signing.verify(data, current_app.config.get("SIGNING_TRUST_ROOTS"))
    digest = hashlib.sha256(data).hexdigest()
    row.storage_key = f"files/{row.dossier.id}/result-{digest}.pdf"
    store().put(row.storage_key, data, retain=True)
    row.state, row.pages, row.sha256, row.size = "ready", seen["pages"], digest, len(data)
    row.signed, row.signer_name, row.signer_serial, row.signer_ca = (
        True,
        who.name,
        who.serial,
        who.ca,
    )
    row.replaces_document = True
    row.processed_at = utcnow()


def _document_name(dossier: Dossier, document: str | None, kind: str) -> str:
    name = (document or "").strip()
    if kind != "document":
        return FILE_KINDS.vi(kind)
    names = [d.name for d in dossier.procedure_type.documents]
    if name not in names:
        message = "Giấy tờ không có trong thành phần hồ sơ của thủ tục."
        raise ValidationFailed(message, {"document": message})
    return name


def _safe_name(filename: str | None) -> str | None:
    if not filename:
        return None
    cleaned = "".join(ch for ch in filename if ch.isprintable() and ch not in '\\/"')
    return cleaned.encode("utf-8", "ignore").decode("utf-8")[:255] or None


def files_of(dossier: Dossier) -> list[DossierFile]:
    """The dossier's files, documents first in the checklist's order, then results."""
    if "files" in dossier.__dict__:  # read with the dossier (its page's one statement)
        rows = dossier.files
    else:
        rows = db.session.scalars(
            select(DossierFile).where(DossierFile.dossier_id == dossier.id).order_by(DossierFile.id)
        ).all()
    # The checklist's order as the receipt recorded it (no second read of the procedure's).
    order = {name: i for i, name in enumerate(dossier.documents_checked or [])}
    kinds = {k: i for i, k in enumerate(FILE_KINDS)}
    return sorted(rows, key=lambda f: (kinds[f.kind], order.get(f.document, 99), f.id))


def visible_file(user, file_id) -> DossierFile:
    """File FILE_ID if USER may see its dossier; 404 alike for missing and out of scope."""
    try:
        file_id = int(file_id)
    except (TypeError, ValueError) as exc:
        raise NotFound("Không tìm thấy tệp.") from exc
    if not permissions.can(user, "dossier", "view"):
        raise Forbidden("Vai trò của bạn không được xem hồ sơ.")
    if not 0 < file_id < 2**31:
        raise NotFound("Không tìm thấy tệp.")
    query = select(DossierFile).join(Dossier).where(DossierFile.id == file_id)
    row = db.session.scalar(permissions.scope(user, "dossier", query))
    if row is None:
        raise NotFound("Không tìm thấy tệp.")
    return row


def open_file(user, row: DossierFile, *, ip_address: str | None = None) -> Iterator[bytes]:
    """The stored PDF's bytes for USER, audited; NotFound while it is still being made."""
    if row.state != "ready" or not row.storage_key:
        raise NotFound("Tệp đang được xử lý; hãy thử lại sau ít phút.")
    audit.record(
        "file_download",
        "dossier",
        row.dossier_id,
        actor=user,
        ip_address=ip_address,
        summary=f"Xem/tải tệp #{row.id} «{row.document}»",
    )
    return store().stream(row.storage_key)


def download_name(row: DossierFile) -> str:
    return f"{row.dossier.code}-{row.id}.pdf"
