"""Requests per second and p95 of the dossier list under gunicorn, and 32 receipts at once.

    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/load.py \\
        [--workers 2] [--clients 16] [--seconds 15] [--receipts 32]

Starts ``gunicorn -c gunicorn.conf.py "app:create_app()"`` on a free loopback port
(the same helper as tests/test_two_servers.py), signs in as it_admin (demo password),
then CLIENTS threads fetch the first page of /admin/dossier/ for SECONDS seconds; then
RECEIPTS clerks send one receipt each through the API at the same instant (they are
added to the database). Bounded: every request times out after 30 s; the server is
stopped at the end whatever happens.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo.seed import DEMO_PASSWORD_DEFAULT
from tests.servers import Client, Server

RECEIPT = {
    "applicant_name": "Người nộp thử tải",
    "applicant_id_number": "019201012345",
    "applicant_phone": "0912345678",
    "applicant_address": "Số 1 Hoàng Văn Thụ, Thái Nguyên",
    "return_method": "counter",
}


def signed_in_copy(base: Client) -> Client:
    client = Client()
    for cookie in base.jar:
        client.jar.set_cookie(cookie)
    return client


def hammer(base: Client, url: str, clients: int, seconds: float) -> tuple[list[float], int]:
    """Latencies (ms) of GET URL by CLIENTS threads for SECONDS, and the failures."""
    latencies, failures, lock = [], [0], threading.Lock()
    stop_at = time.monotonic() + seconds

    def run():
        client = signed_in_copy(base)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            status = client.get(url).status
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                failures[0] += status != 200

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return latencies, failures[0]


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


def receipts_at_once(server_url: str, count: int) -> None:
    token = Client().post(
        server_url + "/api/v1/auth/token",
        json_body={"username": "po_clerk", "password": DEMO_PASSWORD_DEFAULT},
    )
    headers = {"Authorization": f"Bearer {token.json()['token']}"}
    body = receipt_body(server_url, headers)
    start, answers, times = threading.Barrier(count, timeout=60), [None] * count, [0.0] * count

    def receive(n):
        start.wait()
        began = time.perf_counter()
        answers[n] = Client().post(server_url + "/api/v1/dossiers", json_body=body, headers=headers)
        times[n] = (time.perf_counter() - began) * 1000

    threads = [threading.Thread(target=receive, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    errors = [a.text[:300] if a else "no answer" for a in answers if a is None or a.status != 201]
    seqs = sorted(int(a.json()["code"].rsplit("-", 1)[1]) for a in answers if a and a.status == 201)
    gap_free = seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else False
    print(
        f"{count} receipts at once: all done in {max(times):.0f} ms "
        f"(median {statistics.median(times):.0f} ms), errors {len(errors)}, "
        f"codes gap-free: {gap_free}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--receipts", type=int, default=32)
    args = parser.parse_args()
    env = {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "APP_ENV": "development",
        "SECRET_KEY": secrets.token_hex(16),
        "ACCESS_LOG": os.devnull,
    }
    server = Server(env, Path(tempfile.mkdtemp()) / "gunicorn.log", workers=args.workers)
    try:
        server.wait_ready()
        base = Client()
        assert base.sign_in(server.url, "it_admin", DEMO_PASSWORD_DEFAULT).status == 302
        url = server.url + "/admin/dossier/"
        hammer(base, url, 2, 2)  # warm every worker
        latencies, failures = hammer(base, url, args.clients, args.seconds)
        latencies.sort()
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(
            f"first page, {args.workers} workers, {args.clients} clients, {args.seconds:.0f} s: "
            f"{len(latencies) / args.seconds:.0f} requests/s, median "
            f"{statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms, failures {failures}"
        )
        receipts_at_once(server.url, args.receipts)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
