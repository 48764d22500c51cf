"""Digitized documents for a few demo dossiers, so that the files card and the applicant's
store are not empty in ``make run``: one small generated scan per checklist document, taken
through the same door and job as the counter's (converted to PDF/A, signed when
SIGNING_P12_PATH names a certificate)."""

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select

from extensions import db
from models import Dossier, DossierFile
from services.digitization import files, jobs
from services.transactions import transaction

#: The statuses whose dossiers get files (received lately: their documents are still valid).
STATUSES = ("received", "processing")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def seed_files(count: int = 4) -> int:
    """Digitize the checklist of COUNT recent demo dossiers, once; returns the files made."""
    if db.session.scalar(select(func.count(DossierFile.id))):
        return 0
    query = (
        select(Dossier)
        .where(
            Dossier.status.in_(STATUSES),
            Dossier.applicant_id_number.is_not(None),
            Dossier.received_by_id.is_not(None),
        )
        .order_by(Dossier.received_at.desc(), Dossier.id.desc())
        .limit(count)
    )
    made = []
    for dossier in db.session.scalars(query).all():
        names = dossier.documents_checked or [d.name for d in dossier.procedure_type.documents]
        for name in names:
            with transaction(expire=False):
                row = files.upload(
                    dossier,
                    dossier.received_by,
                    document=name,
                    data=scan(name, dossier.code),
                    filename="ban-quet-mau.jpg",
                    originality="copy",
                )
            made.append(row.id)
    for file_id in made:
        jobs.process(file_id)
    return len(made)


def scan(document: str, code: str) -> bytes:
    """A small A4 page at 72 dpi, as a demo scan of DOCUMENT (a JPEG of a few kB)."""
    image = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 18) if FONT.exists() else ImageFont.load_default()
    draw.text((60, 60), "BẢN QUÉT MẪU (dữ liệu thử)", fill=(160, 0, 0), font=font)
    draw.text((60, 100), document[:60], fill="black", font=font)
    draw.text((60, 130), f"Hồ sơ {code}", fill="black", font=font)
    for y in range(190, 780, 28):
        draw.line((60, y, 535, y), fill=(200, 200, 200), width=1)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70, dpi=(72, 72))
    return out.getvalue()
