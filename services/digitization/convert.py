"""One PDF per document: scans become one PDF with img2pdf, a PDF is kept as it came.

A JPEG is embedded as it is (no re-encoding); each page of a TIFF or PNG is encoded once as
a JPEG (quality 85, its dpi kept) before img2pdf embeds it: a colour scan stored losslessly
would be tens of MB per page and take seconds to deflate. Transparency is flattened on white.
"""

import io

import img2pdf
from PIL import Image, ImageOps
from pypdf import PdfReader

JPEG_QUALITY = 85


def to_pdf(data: bytes, media_type: str) -> bytes:
    """DATA as one PDF."""
    if media_type == "application/pdf":
        return data
    if media_type == "image/jpeg":
        return img2pdf.convert(data, rotation=img2pdf.Rotation.ifvalid)
    return img2pdf.convert(list(_jpeg_pages(data)))


def _jpeg_pages(data: bytes):
    """Each frame of the image as JPEG bytes, one at a time (one page in memory)."""
    with Image.open(io.BytesIO(data)) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            dpi = image.info.get("dpi") or (200, 200)
            frame = ImageOps.exif_transpose(image)
            if frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info:
                rgba = frame.convert("RGBA")
                frame = Image.new("RGB", rgba.size, "white")
                frame.paste(rgba, mask=rgba.getchannel("A"))
            elif frame.mode not in ("RGB", "L"):
                frame = frame.convert("L" if frame.mode in ("1", "I", "I;16", "F") else "RGB")
            out = io.BytesIO()
            frame.save(out, "JPEG", quality=JPEG_QUALITY, dpi=tuple(round(d) for d in dpi))
            yield out.getvalue()


def rewritten(pdf: bytes) -> bytes:
    """PDF written anew by pypdf: a file some writer left loose (junk after %%EOF, a broken
    cross-reference table) becomes one a signer can append to."""
    from pypdf import PdfWriter

    out = io.BytesIO()
    PdfWriter(clone_from=PdfReader(io.BytesIO(pdf), strict=False)).write(out)
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf), strict=False).pages)
