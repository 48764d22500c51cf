"""Shared pieces of the digitization tests: a real S3 server (SeaweedFS), a throwaway CA
with a signing certificate, and sample uploads (scans, PDFs, an EXE, a pixel bomb).

Fixtures here are imported by the test modules that use them.
"""

import io
import signal
import struct
import subprocess
import time
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import img2pdf
import pytest
from PIL import Image, ImageDraw

from tests.servers import ROOT, free_port

WEED = ROOT / ".venv" / "bin" / "weed"
P12_PASSWORD = "mat-khau-ky-so"


class SeaweedS3:
    """``weed server -s3`` on free loopback ports in a temporary folder."""

    def __init__(self, folder: Path):
        ports = [free_port() for _ in range(8)]
        self.url = f"http://127.0.0.1:{ports[6]}"
        (folder / "data").mkdir()
        self.log = open(folder / "weed.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(  # noqa: S603  (the packaged weed, fixed arguments)
            [
                str(WEED), "server", f"-dir={folder / 'data'}", "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1", f"-master.port={ports[0]}",
                f"-master.port.grpc={ports[1]}", f"-volume.port={ports[2]}",
                f"-volume.port.grpc={ports[3]}", "-filer", f"-filer.port={ports[4]}",
                f"-filer.port.grpc={ports[5]}", "-s3", f"-s3.port={ports[6]}",
                f"-s3.port.grpc={ports[7]}", "-s3.port.iceberg=0", "-s3.port.lance=0",
                "-iam=false", "-metricsPort=0", "-master.volumeSizeLimitMB=64",
                "-volume.max=0",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.client = self._client()
        self._wait()

    def _client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}),
        )

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                self.client.create_bucket(Bucket="shared")
                self.client.put_object(Bucket="shared", Key="probe", Body=b"ok")
                return
            except Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("SeaweedFS did not start; see weed.log") from None
                time.sleep(0.3)

    def new_place(self) -> str:
        """``bucket/prefix`` of a fresh, empty place in the shared test bucket (each bucket is
        a collection of volumes of its own in SeaweedFS: one per test would exhaust them)."""
        return f"shared/{uuid.uuid4().hex[:12]}"

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.log.close()


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    # A free port may be taken again before weed binds it (another process's outgoing
    # connection gets it): weed then exits at once, and a fresh set of ports is tried.
    for attempt in range(3):
        try:
            server = SeaweedS3(tmp_path_factory.mktemp("seaweed"))
            break
        except RuntimeError:
            if attempt == 2:
                raise
    yield server
    server.stop()


def make_ca(folder: Path) -> dict:
    """A throwaway CA and a signing certificate it issued, as PEM and PKCS#12 files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.now(UTC) - timedelta(days=1)

    def name(common: str):
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Thử nghiệm"),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("CA Thử nghiệm"))
        .issuer_name(name("CA Thử nghiệm"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Trung tâm Phục vụ hành chính công"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), True
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .sign(ca_key, hashes.SHA256())
    )
    p12 = folder / "signer.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer",
            key,
            cert,
            [ca],
            serialization.BestAvailableEncryption(P12_PASSWORD.encode()),
        )
    )
    roots = folder / "roots.pem"
    roots.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return {"p12": str(p12), "roots": str(roots), "serial": format(cert.serial_number, "x")}


@pytest.fixture(scope="session")
def certificates(tmp_path_factory):
    return make_ca(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="session")
def other_certificates(tmp_path_factory):
    """A second CA the app does not trust."""
    return make_ca(tmp_path_factory.mktemp("ca-other"))


def scan(width=1240, height=1754, label="Trang 1", fmt="JPEG", dpi=150) -> bytes:
    """A page as a scanner gives it: text and lines on white."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for y in range(100, height - 100, 60):
        draw.line((100, y, width - 100, y), fill=(40, 40, 40), width=2)
    draw.text((120, 40), label, fill="black")
    out = io.BytesIO()
    image.save(out, fmt, dpi=(dpi, dpi), quality=85)
    return out.getvalue()


def pdf(pages: int = 2) -> bytes:
    return img2pdf.convert([scan(620, 877, f"Trang {i + 1}", dpi=75) for i in range(pages)])


def tiff_pages(pages: int, dpi: int = 300) -> bytes:
    """A multi-page TIFF scan (A4 at DPI), as a document feeder gives it."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    frames = [Image.open(io.BytesIO(scan(width, height, f"Trang {i + 1}"))) for i in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, "TIFF", save_all=True, append_images=frames[1:], compression="jpeg")
    return out.getvalue()


def exe() -> bytes:
    """A Windows program (MZ/PE header), the kind renamed to «scan.pdf»."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00" * 64


def pixel_bomb(width=30_000, height=30_000) -> bytes:
    """A PNG whose header says WIDTH × HEIGHT pixels, in a few hundred bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 65536, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def signed_pdf(certs: dict, pages: int = 1) -> bytes:
    """A result PDF signed with CERTS' certificate (as the department's system signs it)."""
    from services.digitization import signing

    signer = signing.load_signer(certs["p12"], P12_PASSWORD)
    return signing.sign(pdf(pages), signer)[0]


def tampered(signed: bytes) -> bytes:
    """SIGNED with one byte of its first page's content changed after signing."""
    at = signed.index(b"stream") + 40
    return signed[:at] + bytes([signed[at] ^ 0xFF]) + signed[at + 1 :]


def signed_file_store(app_config: dict, certificates: dict, tmp_path) -> dict:
    """APP_CONFIG with a fresh folder store and the test signing certificate (and its CA)."""
    app_config.update(
        FILE_STORAGE_URL=f"file://{tmp_path / 'files'}",
        SIGNING_P12_PATH=certificates["p12"],
        SIGNING_P12_PASSWORD=P12_PASSWORD,
        SIGNING_TRUST_ROOTS=certificates["roots"],
    )
    return app_config
