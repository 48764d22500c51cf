"""Stand-ins for the message providers, real servers on 127.0.0.1 scripted by the test.

``FakeGateway`` speaks both HTTP shapes of ``services.integration.notify.providers``
(the SMS brandname gateway and Zalo ZNS); it keeps every request it accepted, can
answer 5xx / 429 / a refusal, be slow, or hold its answer after recording (a worker
killed there has had its message sent). ``SmtpServer`` is aiosmtpd's real SMTP server,
with AUTH, keeping every message it received.
"""

import json
import shutil
import ssl
import subprocess
import threading
import time
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.servers import free_port

SMS_USER, SMS_PASSWORD, ZALO_TOKEN = "bdt-sms", "sms-secret-pw", "zalo-secret-token"
SMTP_USER, SMTP_PASSWORD = "mailer", "smtp-secret-pw"


class FakeGateway:
    def __init__(self, kind: str):
        self.kind = kind  # "sms" or "zalo"
        self.lock = threading.Lock()
        self.received: list[dict] = []  # the bodies accepted (a repeat included)
        self.headers: list[dict] = []
        self.failures: list[int | str] = []  # HTTP statuses (or a gateway code), one per call
        self.delay = 0.0  # seconds before answering
        self.hold = 0.0  # seconds to wait AFTER recording a message, before answering
        self.calls = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def fail(self, status: int | str, times: int = 1) -> None:
        with self.lock:
            self.failures.extend([status] * times)

    def keys(self) -> list[str]:
        field = "request_id" if self.kind == "sms" else "tracking_id"
        with self.lock:
            return [body.get(field) for body in self.received]

    def texts(self) -> list[str]:
        with self.lock:
            return [json.dumps(body, ensure_ascii=False) for body in self.received]

    def answer(self, headers, body: dict) -> tuple[int, dict]:
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.calls += 1
            failure = self.failures.pop(0) if self.failures else None
        if isinstance(failure, int):
            return failure, {"code": str(failure), "error": failure, "message": "Lỗi"}
        if self.kind == "sms":
            if headers.get("Authorization", "") != _basic(SMS_USER, SMS_PASSWORD):
                return 401, {"code": "401", "message": "Sai tài khoản"}
            if failure == "refused":
                return 200, {"code": "12", "message": "Số thuê bao không hợp lệ"}
        elif headers.get("access_token") != ZALO_TOKEN:
            return 200, {"error": -124, "message": "Access token invalid"}
        elif failure == "refused":
            return 200, {"error": -108, "message": "Phone number invalid"}
        with self.lock:
            self.received.append(body)
            self.headers.append({k.lower(): v for k, v in headers.items()})
            n = len(self.received)
        if self.hold:
            time.sleep(self.hold)
        if self.kind == "sms":
            return 200, {"code": "0", "message_id": f"sms-{n}"}
        return 200, {"error": 0, "message": "Success", "data": {"msg_id": f"zns-{n}"}}

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = {}
                status, answer = gateway.answer(self.headers, body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (a timeout, a killed worker)
                    pass

            def log_message(self, *args):
                pass

        return Handler


def _basic(user: str, password: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class _Keeper:
    """aiosmtpd's handler: keeps every message it was given."""

    def __init__(self, server):
        self.server = server

    async def handle_DATA(self, _server, _session, envelope):
        with self.server.lock:
            if self.server.refuse:
                return self.server.refuse
            self.server.messages.append(
                (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
            )
            self.server.raw.append(envelope.content)
        return "250 OK"


def self_signed(directory) -> tuple[str, str]:
    """(certificate, key) PEM files for 127.0.0.1, made now in DIRECTORY."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = f"{directory}/smtp-cert.pem", f"{directory}/smtp-key.pem"
    with open(cert_path, "wb") as out:
        out.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return cert_path, key_path


class SmtpServer:
    """With TLS (certificate, key), STARTTLS is offered and required before AUTH and mail."""

    def __init__(self, tls: tuple[str, str] | None = None):
        self.lock = threading.Lock()
        self.messages: list = []
        self.raw: list[bytes] = []
        self.refuse: str | None = None  # e.g. "451 try later" or "550 no such user"
        self.port = free_port()
        extra = {"auth_require_tls": False}
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*tls)
            extra = {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
        self.controller = Controller(
            _Keeper(self),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self._authenticate,
            **extra,
        )
        self.url = f"smtp://{SMTP_USER}:{SMTP_PASSWORD}@127.0.0.1:{self.port}"

    @staticmethod
    def _authenticate(_server, _session, _envelope, _mechanism, data):
        ok = data.login == SMTP_USER.encode() and data.password == SMTP_PASSWORD.encode()
        return AuthResult(success=ok)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def texts(self) -> list[str]:
        with self.lock:
            return [raw.decode("utf-8", "replace") for raw in self.raw]

    def bodies(self) -> list[str]:
        """Every message's decoded text parts and attachments, as text."""
        out = []
        with self.lock:
            for _to, message in self.messages:
                parts = [str(message["Subject"])]
                for part in message.walk():
                    if part.get_content_maintype() in ("text",):
                        parts.append(part.get_content())
                    elif part.get_content_type() == "application/pdf":
                        parts.append(pdf_text(part.get_payload(decode=True)))
                out.append("\n".join(parts))
        return out


def pdf_text(data: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it (what a reader of the file sees)."""
    path = shutil.which("pdftotext")
    assert path, "pdftotext is missing: apt-get install poppler-utils (as .ci/run does)"
    run = subprocess.run([path, "-layout", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S603
    return run.stdout.decode()
