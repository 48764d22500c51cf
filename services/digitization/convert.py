"""One PDF per document: scans (JPEG, PNG, TIFF, many pages or one) become one PDF with
img2pdf, which embeds JPEGs as they are; a PDF is kept as it came."""

import io

import img2pdf
from PIL import Image
from pypdf import PdfReader


def to_pdf(data: bytes, media_type: str) -> bytes:
    """DATA as one PDF."""
    if media_type == "application/pdf":
        return data
    try:
        return img2pdf.convert(data, rotation=img2pdf.Rotation.ifvalid)
    except img2pdf.AlphaChannelError:
        return img2pdf.convert(_without_alpha(data))


def _without_alpha(data: bytes) -> bytes:
    """A PNG or TIFF with transparency, flattened on white (a scan has none to keep)."""
    frames = []
    with Image.open(io.BytesIO(data)) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            flat = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            frames.append(flat)
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf), strict=False).pages)
