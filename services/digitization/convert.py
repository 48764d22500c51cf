"""One PDF per document: scans become one PDF/A-2b with img2pdf, a PDF is kept as it came.

An RGB or grey JPEG is embedded as it is (no re-encoding); each page of a TIFF or PNG is
encoded once as a JPEG (quality 85, its dpi kept) before img2pdf embeds it: a colour scan
stored losslessly would be tens of MB per page and take seconds to deflate. Transparency is
flattened on white, CMYK becomes RGB (the archive's output intent is sRGB).

PDF/A-2b (ISO 19005-2, the archive format Circular 01/2023 asks of digitized copies): img2pdf
writes the sRGB output intent (the ICC profile shipped with pikepdf) and the XMP metadata of
PDF/A-1b; pikepdf then declares part 2, which an image-only file of this kind meets as well.
The signature is added after, as an incremental update that keeps both.
"""

import io
from importlib import resources

import img2pdf
import pikepdf
from PIL import Image, ImageOps
from pypdf import PdfReader

JPEG_QUALITY = 85


def srgb_profile() -> str:
    """The sRGB ICC profile's path (the one pikepdf ships for PDF/A output intents)."""
    return str(resources.files("pikepdf").joinpath("pdfa", "data", "sRGB.icc"))


def to_pdf(data: bytes, media_type: str) -> bytes:
    """DATA as one PDF: a PDF as it came, images as one PDF/A-2b."""
    if media_type == "application/pdf":
        return data
    whole = media_type == "image/jpeg" and _embeddable(data)
    pages = [data] if whole else list(_jpeg_pages(data))
    pdf = img2pdf.convert(pages, rotation=img2pdf.Rotation.ifvalid, pdfa=srgb_profile())
    return as_pdfa_2b(pdf)


def as_pdfa_2b(pdf: bytes) -> bytes:
    """PDF (img2pdf's PDF/A-1b) declaring PDF/A-2b in its XMP metadata."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
        document.save(out, min_version="1.7")  # PDF/A-2 is built on PDF 1.7
    return out.getvalue()


def _embeddable(jpeg: bytes) -> bool:
    """May the JPEG go in as it is (RGB or grey, not CMYK)?"""
    with Image.open(io.BytesIO(jpeg)) as image:
        return image.mode in ("RGB", "L")


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
