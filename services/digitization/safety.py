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
NOT_SCANNED = "Không kiểm tra được virus ({}); tệp chưa được lưu, hãy thử lại sau."
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


def limits(config) -> dict:
    """The door's settings from the app's CONFIG, as ``check_upload`` takes them."""
    return {
        "max_mb": config["UPLOAD_MAX_MB"],
        "max_pixels": config["UPLOAD_MAX_PIXELS"],
        "clamd_url": config.get("CLAMD_URL"),
        "clamd_timeout": config.get("CLAMD_TIMEOUT_S", 30),
    }


def check_upload(
    data: bytes,
    *,
    max_mb: int,
    max_pixels: int,
    clamd_url: str | None,
    clamd_timeout: float = 30,
) -> dict:
    """The upload's media type and page count, or ValidationFailed saying why not."""
    if not data:
        refuse("Tệp rỗng.")
    if len(data) > max_mb * 1024 * 1024:
        refuse(f"Tệp vượt quá giới hạn {max_mb} MB.")
    kind = media_type(data)
    pages = _pdf_pages(data) if kind == "application/pdf" else _image_frames(data, max_pixels)
    if clamd_url:
        _scan(data, clamd_url, clamd_timeout)
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


def _scan(data: bytes, clamd_url: str, timeout: float) -> None:
    """clamd's INSTREAM verdict: only ``OK`` lets the file in. A virus is refused by name;
    clamd down, slow past TIMEOUT, hanging up or answering an error refuses too (fail
    closed: a file is never kept unscanned when a scan was asked for)."""
    from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket

    parsed = urlparse(clamd_url)
    if parsed.scheme == "unix":
        scanner = ClamdUnixSocket(path=parsed.path, timeout=timeout)
    else:
        scanner = ClamdNetworkSocket(parsed.hostname or "127.0.0.1", parsed.port or 3310, timeout)
    try:
        answer = scanner.instream(io.BytesIO(data))
    except (ClamdError, OSError, ValueError) as exc:
        reason = _why(exc)
        raise ValidationFailed(
            NOT_SCANNED.format(reason), {"file": "Chưa quét được virus."}
        ) from exc
    verdicts = list(answer.values())
    if any(status == "FOUND" for status, _ in verdicts):
        names = ", ".join(str(reason) for status, reason in verdicts if status == "FOUND")
        refuse(f"Tệp nhiễm mã độc ({names}); không lưu.")
    if not verdicts or any(status != "OK" for status, _ in verdicts):
        raise ValidationFailed(
            NOT_SCANNED.format("máy quét không trả lời kết quả"), {"file": "Chưa quét được virus."}
        )


def _why(exc: BaseException | None) -> str:
    """Why the scan did not happen, in the clerk's words (EXC or its causes)."""
    while exc is not None:
        if isinstance(exc, TimeoutError):
            return "máy quét không trả lời kịp"
        if isinstance(exc, ConnectionError):
            return "không kết nối được máy quét"
        exc = exc.__cause__
    return "máy quét báo lỗi"
