"""Helpers for the printed-forms tests: dossiers driven through the real workflow,
handovers and parcels written through the models (their services live elsewhere),
and readers that turn the barcodes' SVG back into pixels for a real decoder."""

import re
from datetime import date, datetime

import zxingcpp
from PIL import Image, ImageDraw

from extensions import db
from models import RequiredDocument
from services.calendar import LOCAL_TZ
from services.dossiers import workflow
from tests import factories

RESULT = workflow.Result(number="15/GP-STTTT", date=date(2026, 3, 20), outcome="granted")


def at(day, hour=9, minute=0, month=3):
    return datetime(2026, month, day, hour, minute, tzinfo=LOCAL_TZ)


def with_documents(procedure, count):
    """Give PROCEDURE COUNT required documents (the first one original, then copies)."""
    procedure.documents = [
        RequiredDocument(
            name=f"Giấy tờ số {n}: bản kê khai chi tiết" if n > 1 else "Đơn đề nghị",
            kind="original" if n == 1 else "copy",
            quantity=1 if n == 1 else 2,
        )
        for n in range(1, count + 1)
    ]
    db.session.commit()
    return [d.name for d in procedure.documents]


def received(world, procedure="publish", applicant="Nguyễn Văn Thuận", when=None, **fields):
    """A dossier received at the counter by po_clerk, every listed document handed in."""
    proc = world.procedures[procedure]
    return factories.make_dossier(
        proc,
        world.users["po_clerk"],
        applicant=applicant,
        received_at=when or at(10, 9, 30),
        documents_checked=[d.name for d in proc.documents],
        applicant_street="Số 5 đường Phan Đình Phùng",
        **fields,
    )


def hand_over(world, dossiers, sent, confirmed=None, direction="to_department", missing=()):
    """A batch sent at SENT and, when CONFIRMED is given, confirmed then, through the
    handover service (the dossiers not MISSING move with their history)."""
    to_dept = direction == "to_department"
    creator, confirmer = ("po_clerk", "dept_admin") if to_dept else ("dept_admin", "po_clerk")
    handover = factories.make_handover(dossiers, world.users[creator], direction, now=sent)
    if confirmed is not None:
        factories.confirm_handover(handover, world.users[confirmer], missing, now=confirmed)
    return handover


def take(dossier, action, user, when, **kwargs):
    """ACTION on DOSSIER by USER at WHEN, through services.dossiers.workflow, committed."""
    if action == "complete":
        kwargs.setdefault("result", RESULT)
    if action == "return_at_counter":
        kwargs.setdefault("collector", workflow.Collector(kind="applicant"))
    workflow.transition(dossier, action, user, now=when, **kwargs)
    db.session.commit()
    return dossier


# -- reading barcodes back -------------------------------------------------------------
_RECT = re.compile(r'<rect x="([\d.]+)mm" y="[\d.]+mm" width="([\d.]+)mm"')


def code128_image(svg: str, module_mm: float = 0.33, px: int = 3) -> Image.Image:
    """Draw the bars of python-barcode's SVG (mm rectangles) as a bitmap."""
    width_mm = float(re.search(r'width="([\d.]+)mm"', svg).group(1))
    image = Image.new("L", (round(width_mm / module_mm * px) + 40, 120), 255)
    draw = ImageDraw.Draw(image)
    for x, width in _RECT.findall(svg):
        left = round(float(x) / module_mm * px) + 20
        draw.rectangle([left, 10, left + round(float(width) / module_mm * px) - 1, 110], fill=0)
    return image


def qr_image(svg: str, px: int = 8) -> Image.Image:
    """Draw the modules of segno's SVG path (``M``/``m`` moves, ``h`` runs) as a bitmap."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    scale = int(re.search(r"scale\((\d+)\)", svg).group(1))
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1)) // scale
    image = Image.new("L", (size * px, size * px), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y)
            draw.rectangle([x * px, row * px, (x + float(a)) * px - 1, (row + 1) * px - 1], fill=0)
            x += float(a)
    return image


def decode(image) -> list[tuple[str, str]]:
    """(format, text) of every barcode a maintained decoder (zxing-cpp) finds in IMAGE."""
    return [(r.format.name, r.text) for r in zxingcpp.read_barcodes(image)]
