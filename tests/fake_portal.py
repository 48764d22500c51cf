"""A stand-in for the national portal: a real HTTP server on 127.0.0.1, scripted by the test.

It speaks what ``services.integration.portal_client`` sends (login, sync — answering
"đã tồn tại" for a code it has —, update, steps), keeps what it acknowledged, and
can be told to answer 5xx, be slow, expire every session or refuse a dossier (400).
"""

import json
import secrets
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USERNAME, PASSWORD, UNIT = "donvi-h55", "mat-khau-cong", "000.00.00.H55"


class FakePortal:
    def __init__(self):
        self.lock = threading.Lock()
        self.sessions: set[str] = set()
        self.dossiers: dict[str, dict] = {}
        self.steps: dict[str, list[dict]] = defaultdict(list)
        self.step_keys: set[str] = set()
        self.duplicates = 0
        self.logins = 0
        self.calls: list[str] = []
        self.failures: list[tuple[str, int]] = []  # (path, status), consumed one per call
        self.delay = 0.0
        self.refused: set[str] = set()  # dossier codes (or holders' names) answered 400
        self.acked_at: dict[str, float] = {}  # code → time of the latest acknowledgement
        self.step_arrivals: dict[str, list[float]] = defaultdict(list)  # code → monotonic times
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # -- scripting --------------------------------------------------------------------------
    def fail(self, path: str, status: int, times: int = 1) -> None:
        with self.lock:
            self.failures.extend([(path, status)] * times)

    def expire_sessions(self) -> None:
        with self.lock:
            self.sessions.clear()

    def snapshot(self):
        with self.lock:
            return (
                json.dumps(self.dossiers, sort_keys=True),
                json.dumps(self.steps, sort_keys=True),
            )

    # -- serving ----------------------------------------------------------------------------
    def answer(self, path: str, headers, body: dict) -> tuple[int, dict]:
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.calls.append(path)
            for i, (failing, status) in enumerate(self.failures):
                if failing == path:
                    del self.failures[i]
                    return status, {"error_code": str(status), "message": "Lỗi máy chủ"}
            if path == "/auth/login":
                if (body.get("username"), body.get("password")) != (USERNAME, PASSWORD):
                    return 403, {"error_code": "403", "message": "Sai tài khoản"}
                self.logins += 1
                session = secrets.token_hex(8)
                self.sessions.add(session)
                return 200, {"error_code": "0", "session": session}
            if headers.get("X-Session") not in self.sessions:
                return 401, {"error_code": "session_expired", "message": "Phiên đã hết hạn"}
            code = body.get("MaHoSo")
            if not code:
                return 400, {"error_code": "400", "message": "Thiếu MaHoSo"}
            if code in self.refused or body.get("ChuHoSo") in self.refused:
                return 400, {"error_code": "400", "message": f"Hồ sơ {code} không hợp lệ"}
            if path == "/dossiers/sync":
                if code in self.dossiers:
                    return 200, {"error_code": "1", "message": "Hồ sơ đã tồn tại"}
                self.dossiers[code] = body
            elif path == "/dossiers/update":
                self.dossiers[code] = body
            elif path == "/dossiers/steps":
                if code not in self.dossiers:
                    return 400, {"error_code": "404", "message": "Chưa có hồ sơ"}
                key = headers.get("Idempotency-Key")
                if key in self.step_keys:
                    self.duplicates += 1
                else:
                    self.step_keys.add(key)
                    self.steps[code].append(body)
                    self.step_arrivals[code].append(time.monotonic())
            else:
                return 404, {"error_code": "404", "message": "Không có"}
            self.acked_at[code] = time.monotonic()
            return 200, {"error_code": "0", "message": "Thành công"}

    def _handler(self):
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    body = {}
                status, answer = portal.answer(self.path, self.headers, body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler
