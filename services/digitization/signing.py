"""PAdES signatures: sign a digitized copy with the province's PKCS#12, verify a result PDF.

Pure functions of bytes and paths (no database): the job signs, the door verifies.
"""

import asyncio
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from services.errors import ValidationFailed


@dataclass(frozen=True)
class Signer:
    """Who signed: the certificate's subject, serial (hex) and issuing CA."""

    name: str
    serial: str
    ca: str


def _off_any_loop(work):
    """WORK's answer: pyHanko runs its own event loop, which cannot start inside a running one
    (an async server, a browser driver): then it runs on a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def load_signer(p12_path: str, password: str | None):
    """pyHanko's signer for the PKCS#12 at P12_PATH (its chain included)."""
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(
        p12_path, passphrase=password.encode() if password else None
    )
    if signer is None:
        raise RuntimeError(f"cannot read the signing certificate {p12_path}")
    return signer


def sign(pdf: bytes, signer) -> tuple[bytes, Signer]:
    """PDF signed PAdES (B-B) by SIGNER, and who signed."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name="SoHoa",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Bản số hóa từ bản giấy",
    )
    out = _off_any_loop(lambda: signers.sign_pdf(writer, meta, signer=signer))
    return out.getvalue(), _who(signer.signing_cert)


def _who(cert) -> Signer:
    return Signer(
        name=cert.subject.human_friendly[:300],
        serial=format(cert.serial_number, "x"),
        ca=cert.issuer.human_friendly[:300],
    )


def _refuse(reason: str) -> None:
    message = f"Tệp kết quả không được chấp nhận: {reason}"
    raise ValidationFailed(message, {"file": message})


def verify(pdf: bytes, trust_roots: str | None) -> Signer:
    """The signer of PDF if its last signature is valid, whole and trusted; else refused.

    TRUST_ROOTS is a PEM file of the CA certificates accepted (SIGNING_TRUST_ROOTS); without
    it the signature must still be intact, valid and cover the whole file.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:
        raise ValidationFailed("Tệp kết quả không đọc được.", {"file": "Tệp PDF bị hỏng."}) from exc
    if not signatures:
        _refuse("tệp chưa được ký số.")
    context = None
    if trust_roots:
        context = ValidationContext(trust_roots=_certificates(trust_roots), allow_fetching=False)
    try:
        status = _off_any_loop(lambda: validate_pdf_signature(signatures[-1], context))
    except Exception as exc:
        raise ValidationFailed(
            "Tệp kết quả không được chấp nhận: chữ ký số bị hỏng.", {"file": "Chữ ký hỏng."}
        ) from exc
    if not status.intact:
        _refuse("nội dung đã bị thay đổi sau khi ký.")
    if not status.valid:
        _refuse("chữ ký số không hợp lệ.")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        _refuse("tệp đã bị sửa thêm sau khi ký.")
    if trust_roots and not status.trusted:
        _refuse("chứng thư số của người ký không do tổ chức được tin cậy cấp.")
    return _who(status.signing_cert)


def _certificates(pem_path: str) -> list:
    from asn1crypto import pem, x509

    data = Path(pem_path).read_bytes()
    if not pem.detect(data):
        return [x509.Certificate.load(data)]
    return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
