"""Real app servers for tests: gunicorn processes on free loopback ports, and a small
cookie-keeping HTTP client that does not follow redirects (so tests see the 302s)."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
START_SECONDS = 90  # two servers importing the app at once on a busy 2-core machine
REQUEST_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``gunicorn -c gunicorn.conf.py "app:create_app()"`` with ENV, as in production."""

    def __init__(self, env: dict, log_path: Path, workers: int = 2, app="app:create_app()"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        full_env = {
            **os.environ,
            **env,
            "BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
        }
        full_env.pop("TEST_DATABASE_URL", None)
        self.log = log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603  (our own gunicorn, fixed arguments)
            [str(GUNICORN), "-c", "gunicorn.conf.py", app],
            cwd=ROOT,
            env=full_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers go with it
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
            try:
                health = self.url + "/healthz"  # always http://127.0.0.1
                with urllib.request.urlopen(health, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready in {START_SECONDS}s: {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Client:
    """One user agent: its own cookies, any server (a session is valid on every one)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, method, url, *, form=None, json_body=None, headers=None) -> Response:
        data, headers = None, dict(headers or {})
        if form is not None:
            data = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with self.opener.open(req, timeout=REQUEST_SECONDS) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as exc:
            return Response(exc.code, exc.headers, exc.read())

    def get(self, url, **kwargs) -> Response:
        return self.request("GET", url, **kwargs)

    def post(self, url, **kwargs) -> Response:
        return self.request("POST", url, **kwargs)

    def csrf(self, url) -> str:
        """The CSRF token of the form at URL (bound to this client's session)."""
        page = self.get(url)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        assert match, (url, page.status, page.text[:500])
        return match.group(1)

    def sign_in(self, server_url, username, password) -> Response:
        token = self.csrf(server_url + "/login")
        form = {"csrf_token": token, "username": username, "password": password}
        return self.post(server_url + "/login", form=form)
