"""The national portal's HTTP client: session login, re-login on expiry, answers as outcomes.

Endpoints under ``PORTAL_URL``: ``POST /auth/login`` (``username``, ``password``,
``unit_code`` → ``session``), ``POST /dossiers/sync`` (the full state; "đã tồn tại"
→ ``POST /dossiers/update``) and ``POST /dossiers/steps`` (one processing step). Every
call carries the session in ``X-Session`` and the outbox row's key in
``Idempotency-Key``; an answer with ``error_code`` "0" is an acknowledgement.
"""

import json
import threading
import urllib.error
import urllib.request

from services.integration.outbox import Done, Outcome, Retry, Terminal

TIMEOUT_SECONDS = 15
EXISTS = ("đã tồn tại", "da ton tai", "already exists")
_sessions: dict[tuple[str, str], str] = {}  # (url, username) → session, per process
_lock = threading.Lock()


class _Answer:
    def __init__(self, status: int, body: dict):
        self.status, self.body = status, body

    @property
    def ok(self) -> bool:
        return self.status < 300 and str(self.body.get("error_code")) == "0"

    @property
    def message(self) -> str:
        return str(self.body.get("message") or self.body.get("error_code") or "")

    @property
    def expired(self) -> bool:
        return self.status == 401 or str(self.body.get("error_code")) == "session_expired"


class PortalClient:
    def __init__(self, config):
        self.url = config["PORTAL_URL"].rstrip("/")
        self.unit_code = config.get("PORTAL_UNIT_CODE") or ""
        self.username = config.get("PORTAL_USERNAME") or ""
        self.password = config.get("PORTAL_PASSWORD") or ""
        self.timeout = config.get("PORTAL_TIMEOUT_SECONDS", TIMEOUT_SECONDS)

    def _post(self, path: str, body: dict, headers: dict) -> _Answer:
        request = urllib.request.Request(  # noqa: S310 (the configured portal)
            self.url + path,
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json", **headers},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return _Answer(response.status, _json(response.read()))
        except urllib.error.HTTPError as exc:
            return _Answer(exc.code, _json(exc.read()))

    def _session(self, fresh: bool = False) -> str | Outcome:
        key = (self.url, self.username)
        with _lock:
            if not fresh and key in _sessions:
                return _sessions[key]
        body = {"username": self.username, "password": self.password, "unit_code": self.unit_code}
        answer = self._post("/auth/login", body, {})
        if not answer.ok:
            return _failure(answer, "đăng nhập")
        with _lock:
            _sessions[key] = str(answer.body.get("session"))
            return _sessions[key]

    def call(self, path: str, body: dict, key: str) -> tuple[Outcome, _Answer | None]:
        """POST BODY to PATH in the session (logging in again once when it expired)."""
        try:
            for fresh in (False, True):
                session = self._session(fresh)
                if not isinstance(session, str):
                    return session, None
                answer = self._post(path, body, {"X-Session": session, "Idempotency-Key": key})
                if not answer.expired:
                    break
            return (Done() if answer.ok else _failure(answer, path)), answer
        except TimeoutError as exc:
            return Retry(f"Cổng DVC không trả lời kịp ({path}): {exc}"), None
        except (urllib.error.URLError, ConnectionError, OSError) as exc:
            return Retry(f"Không kết nối được Cổng DVC ({path}): {exc}"), None

    def upsert(self, header: dict, key: str) -> Outcome:
        """The dossier's full state: created, or updated when the portal has it already."""
        outcome, answer = self.call("/dossiers/sync", header, key)
        if isinstance(outcome, Done) or answer is None:
            return outcome
        if any(word in answer.message.lower() for word in EXISTS):
            return self.call("/dossiers/update", header, key)[0]
        return outcome

    def step(self, step: dict, key: str) -> Outcome:
        return self.call("/dossiers/steps", step, key)[0]


def _json(raw: bytes) -> dict:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return {"message": raw[:200].decode("utf-8", "replace")}
    return body if isinstance(body, dict) else {"message": str(body)[:200]}


def _failure(answer: _Answer, what: str) -> Outcome:
    """A 5xx, 429 or 408 is worth retrying; any other refusal is not."""
    text = f"Cổng DVC từ chối {what}: HTTP {answer.status} {answer.message}"
    if answer.status >= 500 or answer.status in (408, 429):
        return Retry(text)
    return Terminal(text)  # a 4xx, or a 200 whose error code refuses the content
