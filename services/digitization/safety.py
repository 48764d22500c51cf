"""The door: an upload is kept only if its content is a PDF, JPEG, PNG or TIFF of sane size.

The type is read from the bytes, never from the name or the browser's word; images are
opened (headers only) under a pixel limit so that a decompression bomb is refused before
anything decodes it; a PDF must parse and have pages; clamd scans it when CLAMD_URL is set.
"""

import io
import warnings
from urllib.parse import urlparse

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from services.errors import ValidationFailed

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
TOO_BIG = "Ảnh quá lớn (quá nhiều điểm ảnh); hãy quét ở 200–300 dpi."
WRONG_TYPE = "Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF (nội dung tệp không phải loại này)."


def refuse(message: str) -> None:
    raise ValidationFailed(message, {"file": message})


def media_type(data: bytes) -> str:
    """The media type the content shows (a PDF may start after a little junk, as readers allow)."""
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            return kind
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    refuse(WRONG_TYPE)


def check_upload(data: bytes, *, max_mb: int, max_pixels: int, clamd_url: str | None) -> dict:
    """The upload's media type and page count, or ValidationFailed saying why not."""
    if not data:
        refuse("Tệp rỗng.")
    if len(data) > max_mb * 1024 * 1024:
        refuse(f"Tệp vượt quá giới hạn {max_mb} MB.")
    kind = media_type(data)
    pages = _pdf_pages(data) if kind == "application/pdf" else _image_frames(data, max_pixels)
    if clamd_url:
        _scan(data, clamd_url)
    return {"media_type": kind, "pages": pages}


def _pdf_pages(data: bytes) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                refuse("Tệp PDF có mật khẩu; hãy gửi bản không khóa.")
            pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ValidationFailed(
            "Tệp PDF bị hỏng, không đọc được.", {"file": "Tệp PDF bị hỏng."}
        ) from exc
    if pages < 1:
        refuse("Tệp PDF không có trang nào.")
    return pages


def _image_frames(data: bytes, max_pixels: int) -> int:
    """Frames of the image, after checking every frame's size from its header alone."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        with image:
            frames = getattr(image, "n_frames", 1)
            for index in range(frames):
                image.seek(index)
                width, height = image.size
                if width * height > max_pixels:
                    refuse(f"Ảnh quá lớn ({width} × {height} điểm ảnh); hãy quét ở 200–300 dpi.")
    except Image.DecompressionBombError as exc:
        raise ValidationFailed(TOO_BIG, {"file": TOO_BIG}) from exc
    except ValidationFailed:
        raise
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ValidationFailed(
            "Tệp ảnh bị hỏng, không đọc được.", {"file": "Tệp ảnh bị hỏng."}
        ) from exc
    return frames


def _scan(data: bytes, clamd_url: str) -> None:
    from clamav_client.clamd import ClamdNetworkSocket, ClamdUnixSocket

    parsed = urlparse(clamd_url)
    if parsed.scheme == "unix":
        scanner = ClamdUnixSocket(path=parsed.path, timeout=30)
    else:
        scanner = ClamdNetworkSocket(parsed.hostname or "127.0.0.1", parsed.port or 3310, 30)
    try:
        answer = scanner.instream(io.BytesIO(data))
    except Exception as exc:
        raise ValidationFailed(
            "Không quét được virus lúc này; hãy thử lại sau.", {"file": "Chưa quét được."}
        ) from exc
    for status, reason in answer.values():
        if status == "FOUND":
            refuse(f"Tệp nhiễm mã độc ({reason}); không lưu.")
