"""Requests per second and p95 of the dossier list under gunicorn, and 32 receipts at once.

    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/load.py \\
        [--workers 2] [--clients 16] [--seconds 15] [--receipts 32] \\
        [--receipt-workers N] [--only list|receipts] [--python-client] \\
        [--gunicorn-args "--worker-class gthread --threads 4"] \\
        [--pgbouncer [--pool-size 8]] [--stock]

Starts ``gunicorn -c gunicorn.conf.py "app:create_app()"`` on a free loopback port
(the same helper as tests/scale/test_two_servers.py) with WORKERS workers, signs in as
it_admin (demo password), and fetches the first page of /admin/dossier/ with
CLIENTS connections for SECONDS seconds: with ``wrk`` when it is installed (it
costs little CPU, so the server gets the machine), else with a bounded Python
thread client. Then, on a server with RECEIPT_WORKERS workers (default: as
gunicorn.conf.py decides), RECEIPTS clerks send one receipt each through the
API at the same instant (they are added to the database): each one's time, the
wall time of all, the errors, and whether the codes are gap-free. Bounded:
every request times out after 30 s; the servers are stopped whatever happens.

--pgbouncer puts a PgBouncer (Debian's, transaction pooling, POOL_SIZE server connections;
tests/pg_servers.py) between the servers and DATABASE_URL, the app with
DATABASE_POOLER=pgbouncer, as README "Deploy" describes. --stock loads stock Flask-Admin's
first page of the same table (benchmarks/compare.py's view, served the same way) after the
panel's, and prints how many times more requests per second the panel answered.
"""

import argparse
import contextlib
import multiprocessing
import os
import re
import runpy
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo.seed import DEMO_PASSWORD_DEFAULT
from tests.pg_servers import PgBouncer
from tests.servers import ROOT, Client, Server

RECEIPT = {
    "applicant_name": "Người nộp thử tải",
    "applicant_id_number": "019201012345",
    "applicant_phone": "0912345678",
    "applicant_address": "Số 1 Hoàng Văn Thụ, Thái Nguyên",
    "return_method": "counter",
}
# wrk's own summary has no p95: this prints the figures on one line for us to read.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("LOAD %d %d %d %d %d %d %d %d %d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def signed_in_copy(base: Client) -> Client:
    client = Client()
    for cookie in base.jar:
        client.jar.set_cookie(cookie)
    return client


def hammer(base: Client, url: str, clients: int, seconds: float) -> dict:
    """GET URL by CLIENTS Python threads for SECONDS: requests, latencies (ms), errors."""
    latencies, failures, lock = [], [0], threading.Lock()
    stop_at = time.monotonic() + seconds

    def run():
        client = signed_in_copy(base)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status = client.get(url).status
            except OSError:
                status = None
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                failures[0] += status != 200

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": seconds,
        "p50": statistics.median(latencies) if latencies else 0,
        "p95": latencies[max(int(len(latencies) * 0.95) - 1, 0)] if latencies else 0,
        "errors": failures[0],
    }


def wrk(base: Client, url: str, clients: int, seconds: float) -> dict:
    """GET URL with wrk (CLIENTS connections, one thread per core) and the session cookie."""
    cookie = "; ".join(f"{c.name}={c.value}" for c in base.jar)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    threads = min(clients, multiprocessing.cpu_count())
    command = ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds:g}s"]
    command += ["--timeout", "30s", "-s", script.name, "-H", f"Cookie: {cookie}", url]
    try:
        output = subprocess.run(  # noqa: S603  (wrk, fixed arguments)
            command, capture_output=True, text=True, timeout=seconds + 60, check=True
        ).stdout
    finally:
        os.unlink(script.name)
    found = re.search(r"^LOAD ([\d ]+)$", output, re.MULTILINE)
    requests, duration_us, p50_us, p95_us, *errors = (int(n) for n in found.group(1).split())
    return {
        "requests": requests,
        "seconds": duration_us / 1e6,
        "p50": p50_us / 1000,
        "p95": p95_us / 1000,
        "errors": sum(errors),  # connect, read, write, non-2xx/3xx, timeout
    }


#: (label, gunicorn app, path) of the first pages loaded: the panel's, and stock's (--stock).
PANEL = ("panel", "app:create_app()", "/admin/dossier/")
STOCK = ("stock Flask-Admin", "benchmarks.stock_app:create_app()", "/stock/dossier/")


def first_page(env: dict, args, page=PANEL, via: str = "") -> dict:
    """Load PAGE's first page; print and return its figures."""
    label, app, path = page
    log = Path(tempfile.mkdtemp()) / "gunicorn.log"
    server = Server(env, log, workers=args.workers, app=app)
    try:
        server.wait_ready()
        base = Client()
        assert base.sign_in(server.url, "it_admin", DEMO_PASSWORD_DEFAULT).status == 302
        url = server.url + path
        use_wrk = shutil.which("wrk") and not args.python_client
        run = wrk if use_wrk else hammer
        hammer(base, url, 2, 2)  # warm every worker
        got = run(base, url, args.clients, args.seconds)
        got["rate"] = got["requests"] / got["seconds"]
        print(
            f"{label} first page{via}, {args.workers} workers, {args.clients} connections "
            f"({'wrk' if use_wrk else 'Python client'}), {got['seconds']:.0f} s: "
            f"{got['rate']:.1f} requests/s, p50 {got['p50']:.0f} ms, "
            f"p95 {got['p95']:.0f} ms (p95/p50 {got['p95'] / max(got['p50'], 0.001):.2f}), "
            f"errors {got['errors']}"
        )
        return got
    finally:
        server.stop()


def first_pages(env: dict, args, via: str) -> None:
    """The panel's first page, then (--stock) stock's, and the ratio of their rates."""
    panel = first_page(env, args, PANEL, via)
    if args.stock:
        stock = first_page(env, args, STOCK, via)
        ratio = panel["rate"] / stock["rate"] if stock["rate"] else float("inf")
        print(f"panel / stock Flask-Admin, requests/s: {ratio:.1f}×")


def receipt_body(server_url: str, headers: dict) -> dict:
    """A valid receipt of the first procedure: its documents, its extra fields filled."""
    procedure = Client().get(server_url + "/api/v1/procedure-types", headers=headers)
    procedure = procedure.json()["items"][0]
    samples = {"number": 1, "date": "2026-01-05", "boolean": True}
    extra = {
        f["key"]: (f["choices"] or [None])[0]
        if f["type"] == "choice"
        else samples.get(f["type"], "x")
        for f in procedure["extra_fields"]
    }
    documents = [d["name"] for d in procedure["documents"]]
    return {**RECEIPT, "procedure_code": procedure["code"], "documents": documents, "extra": extra}


def send_at_once(server_url: str, count: int, body: dict, headers: dict) -> tuple[list, list]:
    """COUNT receipts released together: (answers, each one's milliseconds)."""
    start, answers, times = threading.Barrier(count, timeout=60), [None] * count, [0.0] * count

    url = server_url + "/api/v1/dossiers"

    def receive(n):
        client = Client()
        start.wait()
        began = time.perf_counter()
        with contextlib.suppress(OSError):  # counted as an error below
            answers[n] = client.post(url, json_body=body, headers=headers)
        times[n] = (time.perf_counter() - began) * 1000

    threads = [threading.Thread(target=receive, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers, times


def receipts_at_once(env: dict, args) -> None:
    workers = args.receipt_workers
    server = Server(env, Path(tempfile.mkdtemp()) / "gunicorn.log", workers=workers)
    try:
        server.wait_ready()
        token = Client().post(
            server.url + "/api/v1/auth/token",
            json_body={"username": "po_clerk", "password": DEMO_PASSWORD_DEFAULT},
        )
        headers = {"Authorization": f"Bearer {token.json()['token']}"}
        body = receipt_body(server.url, headers)
        for _ in range(3):  # warm every worker (its first receipt compiles and caches)
            send_at_once(server.url, workers * 2, body, headers)
        began = time.perf_counter()
        answers, times = send_at_once(server.url, args.receipts, body, headers)
        wall = (time.perf_counter() - began) * 1000
    finally:
        server.stop()
    errors = [a.text[:300] if a else "no answer" for a in answers if a is None or a.status != 201]
    seqs = sorted(int(a.json()["code"].rsplit("-", 1)[1]) for a in answers if a and a.status == 201)
    gap_free = seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else False
    print(
        f"{args.receipts} receipts at once, {workers} workers: all done in {max(times):.0f} ms "
        f"(wall {wall:.0f} ms; each: median {statistics.median(times):.0f} ms, "
        f"fastest {min(times):.0f} ms), errors {len(errors)}, codes gap-free: {gap_free}"
    )
    print("  each (ms): " + " ".join(f"{t:.0f}" for t in sorted(times)))
    for error in errors[:3]:
        print("  error:", error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="for the first page")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--receipts", type=int, default=32)
    parser.add_argument(
        "--receipt-workers", type=int, default=None, help="default: gunicorn.conf.py's"
    )
    parser.add_argument("--only", choices=("list", "receipts"))
    parser.add_argument("--python-client", action="store_true", help="even if wrk is there")
    parser.add_argument(
        "--gunicorn-args", default="", help='to try settings, e.g. "--worker-class gthread"'
    )
    parser.add_argument("--pgbouncer", action="store_true", help="through a PgBouncer")
    parser.add_argument("--pool-size", type=int, default=8, help="PgBouncer's server connections")
    parser.add_argument("--stock", action="store_true", help="also stock Flask-Admin's page")
    args = parser.parse_args()
    if args.receipt_workers is None:
        args.receipt_workers = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]
    env = {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "APP_ENV": "development",
        "SECRET_KEY": secrets.token_hex(16),
        "ACCESS_LOG": os.devnull,
        "GUNICORN_CMD_ARGS": args.gunicorn_args,  # over gunicorn.conf.py
    }
    with contextlib.ExitStack() as stack:
        via = ""
        if args.pgbouncer:
            via = f" through PgBouncer ({args.pool_size} server connections)"
            env["DATABASE_URL"] = through_pgbouncer(stack, args)
            env["DATABASE_POOLER"] = "pgbouncer"
        if args.only != "receipts":
            first_pages(env, args, via)
        if args.only != "list":
            receipts_at_once(env, args)


def through_pgbouncer(stack: contextlib.ExitStack, args) -> str:
    """Start a PgBouncer in front of DATABASE_URL (stopped with STACK); its URL. It gives each
    server connection the settings the app sends as startup options when it connects directly."""
    settings = f"SET statement_timeout = {os.environ.get('STATEMENT_TIMEOUT_MS') or 15000}; "
    settings += "SET max_parallel_workers_per_gather = 0"
    bouncer = PgBouncer(os.environ["DATABASE_URL"], args.pool_size, connect_query=settings)
    stack.callback(bouncer.stop)
    return bouncer.url.render_as_string(hide_password=False)


if __name__ == "__main__":
    main()
