"""The three providers: an SMTP server, an SMS brandname gateway and Zalo ZNS, over the wire.

Each ``send`` answers a ``Reply``: the outbox outcome, the provider's message id, and
whether the provider answered at all (a timeout after the request left may have sent
it: the next attempt counts as unsure). Errors are classified like the portal's: a
5xx, 429, 408, a refused or dropped connection, a 4xx SMTP reply are worth retrying;
any other refusal is terminal. Nothing here logs a credential or a request body.

The SMS gateway: ``POST SMS_GATEWAY_URL`` with HTTP basic auth (``SMS_USERNAME``,
``SMS_PASSWORD``) and JSON ``brandname``, ``phone``, ``template_id``, ``params``,
``message``, ``request_id`` (the outbox key, for the carrier's dedupe); an answer
``{"code": "0", "message_id": ...}`` is an acceptance. Zalo ZNS: ``POST ZALO_ZNS_URL``
with header ``access_token`` and JSON ``phone`` (84…), ``template_id``,
``template_data``, ``tracking_id`` (the outbox key); ``{"error": 0, "data":
{"msg_id": ...}}`` is an acceptance.
"""

import base64
import json
import smtplib
import socket
import ssl
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

from services.integration.outbox import Done, Outcome, Retry, Terminal

TIMEOUT_SECONDS = 10
#: Zalo error codes worth retrying: rate limited, token expired (IT renews it), busy.
ZALO_RETRY = {-32, -124, -1}
SENDER_NAME = "Trung tâm Phục vụ hành chính công"


@dataclass(frozen=True)
class Reply:
    outcome: Outcome
    message_id: str | None = None
    answered: bool = True


# -- email ------------------------------------------------------------------------------------
def email_message(config, to: str, subject: str, text: str, key: str, attachment=None):
    """The mail: UTF-8 text (quoted-printable), the attachment if any, a Message-ID from KEY.

    Built with the ``compat32`` MIME classes: the default policy's header refolding costs
    tens of milliseconds per Vietnamese subject, a worker's whole budget.
    """
    body = MIMEText(text, "plain", "utf-8")
    if attachment is None:
        message = body
    else:
        name, mime, data = attachment
        message = MIMEMultipart("mixed")
        message.attach(body)
        maintype, subtype = mime.split("/", 1)
        if maintype == "text":
            part = MIMEText(data.decode(), subtype, "utf-8")
        else:
            part = MIMEApplication(data, subtype)
        part.add_header("Content-Disposition", "attachment", filename=name)
        message.attach(part)
    sender = config.get("MAIL_FROM") or "no-reply@localhost"
    message["From"] = formataddr((str(Header(SENDER_NAME, "utf-8")), sender))
    message["To"] = to
    message["Subject"] = Header(subject, "utf-8")
    domain = sender.rsplit("@", 1)[-1] or "localhost"
    message["Message-ID"] = make_msgid(idstring=key.replace(":", "."), domain=domain)
    return message


_held = threading.local()  # one open SMTP connection per worker thread, reused


def _connect(url, timeout: float) -> smtplib.SMTP:
    secure = url.scheme == "smtps"
    port = url.port or (465 if secure else 587)
    context = ssl.create_default_context()
    if secure:
        server = smtplib.SMTP_SSL(url.hostname, port, timeout=timeout, context=context)
    else:
        server = smtplib.SMTP(url.hostname, port, timeout=timeout)
    try:
        server.ehlo()
        if not secure and server.has_extn("starttls"):
            server.starttls(context=context)
            server.ehlo()
        if url.username:
            server.login(unquote(url.username), unquote(url.password or ""))
    except BaseException:
        server.close()
        raise
    return server


def _drop() -> None:
    server, _held.server, _held.url = getattr(_held, "server", None), None, None
    if server is not None:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()


def _send_held(config, message) -> None:
    """Send on this thread's open connection to SMTP_URL, (re)connecting when needed."""
    timeout = float(config.get("NOTIFY_TIMEOUT_SECONDS") or TIMEOUT_SECONDS)
    if getattr(_held, "url", None) != config["SMTP_URL"]:
        _drop()
    for fresh in (False, True):
        if fresh or getattr(_held, "server", None) is None:
            _drop()
            _held.server = _connect(urlsplit(config["SMTP_URL"]), timeout)
            _held.url = config["SMTP_URL"]
        try:
            _held.server.send_message(message)
            return
        except (smtplib.SMTPServerDisconnected, ConnectionError):
            if fresh:  # a new connection dropped too: a real failure
                raise
            # the server closed the idle connection before our message: try once anew


def send_email(config, message) -> Reply:
    """Hand MESSAGE to SMTP_URL's server (STARTTLS when offered; smtps:// for TLS)."""
    try:
        _send_held(config, message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(400 <= c < 500 for c in codes):
            return Reply(Retry(f"Máy chủ thư tạm từ chối người nhận ({codes})."))
        return Reply(Terminal(f"Máy chủ thư từ chối người nhận ({codes})."))
    except smtplib.SMTPAuthenticationError as exc:
        _drop()
        return Reply(Retry(f"Máy chủ thư từ chối đăng nhập (SMTP {exc.smtp_code})."))
    except smtplib.SMTPResponseException as exc:
        _drop()
        text = f"Máy chủ thư trả lời SMTP {exc.smtp_code}."
        return Reply(Retry(text) if 400 <= exc.smtp_code < 500 else Terminal(text))
    except TimeoutError as exc:
        _drop()
        return Reply(Retry(f"Máy chủ thư không trả lời kịp: {exc}"), answered=False)
    except (smtplib.SMTPException, OSError) as exc:
        _drop()
        return Reply(Retry(f"Không kết nối được máy chủ thư: {type(exc).__name__}"))
    return Reply(Done(), message["Message-ID"])


# -- HTTP gateways ----------------------------------------------------------------------------
def _post(url: str, body: dict, headers: dict, timeout: float) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 (the configured gateway)
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, _json(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, _json(exc.read())


def _json(raw: bytes) -> dict:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _http(what: str, call) -> Reply | tuple[int, dict]:
    try:
        return call()
    except TimeoutError:
        return Reply(Retry(f"{what} không trả lời kịp."), answered=False)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            return Reply(Retry(f"{what} không trả lời kịp."), answered=False)
        return Reply(Retry(f"Không kết nối được {what}: {type(exc.reason).__name__}"))
    except (ConnectionError, OSError) as exc:
        return Reply(Retry(f"Không kết nối được {what}: {type(exc).__name__}"), answered=False)


def _classify(what: str, status: int, detail: str) -> Outcome:
    text = f"{what} từ chối: HTTP {status} {detail}"[:300]
    if status >= 500 or status in (408, 429):
        return Retry(text)
    return Terminal(text)


def send_sms(config, phone: str, text: str, template_id: str | None, params: dict, key: str):
    """One SMS through the brandname gateway."""
    credentials = f"{config.get('SMS_USERNAME') or ''}:{config.get('SMS_PASSWORD') or ''}"
    headers = {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}
    body = {
        "brandname": config.get("SMS_BRANDNAME") or "",
        "phone": phone,
        "template_id": template_id or "",
        "params": params,
        "message": text,
        "request_id": key,
    }
    timeout = float(config.get("NOTIFY_TIMEOUT_SECONDS") or TIMEOUT_SECONDS)
    answer = _http("Cổng SMS", lambda: _post(config["SMS_GATEWAY_URL"], body, headers, timeout))
    if isinstance(answer, Reply):
        return answer
    status, reply = answer
    code = str(reply.get("code", ""))
    if status < 300 and code == "0":
        return Reply(Done(), str(reply.get("message_id") or "") or None)
    if status < 300:  # the gateway's own refusal (a bad number, an unregistered template)
        busy = code in ("429", "503", "throttled")
        outcome = Retry if busy else Terminal
        return Reply(outcome(f"Cổng SMS từ chối: mã {code} {reply.get('message', '')}"[:300]))
    return Reply(_classify("Cổng SMS", status, str(reply.get("message", ""))))


def send_zalo(config, phone: str, template_id: str | None, params: dict, key: str) -> Reply:
    """One ZNS message; ``tracking_id`` is the outbox key (Zalo drops a repeat)."""
    if not template_id:
        return Reply(Terminal("Chưa khai báo mã mẫu ZNS của sự kiện này."))
    body = {
        "phone": "84" + phone[1:] if phone.startswith("0") else phone,
        "template_id": template_id,
        "template_data": params,
        "tracking_id": key,
    }
    headers = {"access_token": config.get("ZALO_ACCESS_TOKEN") or ""}
    timeout = float(config.get("NOTIFY_TIMEOUT_SECONDS") or TIMEOUT_SECONDS)
    answer = _http("Zalo ZNS", lambda: _post(config["ZALO_ZNS_URL"], body, headers, timeout))
    if isinstance(answer, Reply):
        return answer
    status, reply = answer
    error = reply.get("error")
    if status < 300 and error == 0:
        return Reply(Done(), str((reply.get("data") or {}).get("msg_id") or "") or None)
    if status < 300 and isinstance(error, int):
        text = f"Zalo ZNS từ chối: mã {error} {reply.get('message', '')}"[:300]
        return Reply(Retry(text) if error in ZALO_RETRY else Terminal(text))
    return Reply(_classify("Zalo ZNS", status, str(reply.get("message", ""))))
