"""Digitization speed: a 10-page 300-dpi scan from upload to signed stored PDF, files
streamed per second, and the applicant's store looked up by ID number among 1,000,000.

    .venv/bin/python benchmarks/digitization.py \\
        --admin-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres [--documents 1000000]

Creates a database of its own on that server (dropped at the end), a throwaway CA for
signing and a temporary file:// store. Goals: the request ≤ 300 ms, the job ≤ 5 s, the
look-up ≤ 10 ms.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, make_url, text
from werkzeug.serving import make_server

from app import create_app
from config import TestingConfig
from extensions import db
from models import ProcedureType
from services.digitization import files, jobs, store
from services.transactions import transaction
from tests import digitization as samples
from tests import factories


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def make_database(admin_url: str) -> tuple[str, str]:
    name = f"bench_digit_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        db.metadata.create_all(conn)
    engine.dispose()
    return name, url


def drop_database(admin_url: str, name: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def multipart(fields: dict, name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = b"".join(parts) + head + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def scan_to_signed_pdf(port: int, token: str, code: str, runs: int) -> int:
    """Upload a 10-page 300-dpi colour TIFF over HTTP, then run the job; print both times."""
    scan = samples.tiff_pages(10, dpi=300)
    print(f"scan: 10 pages A4 300 dpi colour TIFF, {len(scan) / 2**20:.1f} MB")
    body, content_type = multipart({"document": "Đơn đề nghị"}, "scan.tif", scan)
    requests, job_times, file_id = [], [], None
    for _ in range(runs):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start = time.perf_counter()
        connection.request(
            "POST",
            f"/api/v1/dossiers/{code}/files",
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        )
        answer = connection.getresponse()
        payload = json.loads(answer.read())
        requests.append(time.perf_counter() - start)
        connection.close()
        assert answer.status == 201, payload
        file_id = payload["id"]
        start = time.perf_counter()
        assert jobs.process(file_id) == "ready"
        job_times.append(time.perf_counter() - start)
        db.session.remove()
    print(f"  upload request over HTTP: median {ms(statistics.median(requests))} (goal ≤ 300 ms)")
    job = statistics.median(job_times)
    print(f"  job (convert + sign + store): median {job:.2f} s (goal ≤ 5 s)")
    return file_id


def streaming(client, headers, file_id: int, seconds: float = 5.0) -> None:
    count, size, start = 0, 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        answer = client.get(f"/api/v1/files/{file_id}", headers=headers)
        assert answer.status_code == 200
        count, size = count + 1, size + len(answer.data)
    spent = time.perf_counter() - start
    print(
        f"streamed: {count / spent:.1f} files/s of {size / count / 2**20:.1f} MB "
        f"({size / spent / 2**20:.0f} MB/s, one client, audited each)"
    )


def one_stored_file(dossier) -> int:
    """A digitized file for the store's rows to point at (a one-page PDF, through the job)."""
    with transaction(expire=False):
        row = files.upload(
            dossier, dossier.received_by, document="Đơn đề nghị", data=samples.pdf(pages=1)
        )
    assert jobs.process(row.id) == "ready"
    return row.id


def fill_store(file_id: int, documents: int) -> list[str]:
    """DOCUMENTS rows in the applicant's store (COPY), for as many holders / 3; some holders."""
    holders = [f"0{random.randrange(10**10, 10**11)}" for _ in range(documents // 3)]
    today = date.today()
    raw = db.session.connection().connection.dbapi_connection
    start = time.perf_counter()
    with raw.cursor() as cursor:
        copy_sql = (
            "COPY applicant_document (holder_id_number, document_type, valid_until, file_id, "
            "created_at) FROM STDIN"
        )
        with cursor.copy(copy_sql) as copy:
            for n in range(documents):
                valid = today + timedelta(days=random.randrange(-400, 200))
                copy.write_row(
                    (holders[n % len(holders)], "Đơn đề nghị", valid, file_id, "2026-01-01")
                )
    raw.commit()
    # As a table long in use stands: statistics, hint bits and the visibility map set.
    raw.autocommit = True
    raw.execute("VACUUM (ANALYZE) applicant_document")
    raw.execute("CHECKPOINT")  # no dirty pages of the COPY left for the look-ups to write out
    raw.autocommit = False
    print(f"store: {documents:,} documents of {len(holders):,} holders written in "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    return holders


def explain(holder: str, procedure) -> None:
    """PostgreSQL's plan of the counter's look-up, as it runs (EXPLAIN ANALYZE)."""
    query = store.offers_query(holder, procedure, date.today())
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    plan = db.session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}")).scalars()
    print("plan of the look-up:")
    for line in plan:
        print(f"  {line}")


def lookups(holders, procedure, runs: int = 1000) -> None:
    explain(holders[0], procedure)
    times, floor = [], []
    for holder in random.sample(holders, runs):
        start = time.perf_counter()
        store.offers(holder, procedure)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        db.session.execute(text("SELECT 1"))
        floor.append(time.perf_counter() - start)
    times.sort()
    floor.sort()
    print(
        f"store look-up by ID number: median {ms(statistics.median(times))}, "
        f"p95 {ms(times[int(len(times) * 0.95)])} (goal ≤ 10 ms); "
        f"a bare SELECT 1 beside it: median {ms(statistics.median(floor))}, "
        f"p95 {ms(floor[int(len(floor) * 0.95)])}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--admin-url", required=True, help="a PostgreSQL server's URL")
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--store-only", action="store_true", help="only the look-up (no scan, no streaming)"
    )
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    name, url = make_database(args.admin_url)
    folder = Path(tempfile.mkdtemp(prefix="bench-digit-"))
    certs = samples.make_ca(folder)

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        FILE_STORAGE_URL = f"file://{folder / 'files'}"
        SIGNING_P12_PATH = certs["p12"]
        SIGNING_P12_PASSWORD = samples.P12_PASSWORD
        UPLOAD_MAX_MB = 100
        OUTBOX_IN_PROCESS = False  # the job is timed here, not in the background
        STATEMENT_TIMEOUT_MS = 0  # the COPY of a million rows

    app = create_app(Config)
    try:
        with app.app_context():
            world = factories.make_world()
            procedure_id = world.procedures["publish"].id
            dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
            client = app.test_client()
            token = client.post(
                "/api/v1/auth/token",
                json={"username": "po_clerk", "password": factories.PASSWORD},
            ).get_json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            if args.store_only:
                file_id = one_stored_file(dossier)
            else:
                server = make_server("127.0.0.1", 0, app, threaded=True)
                threading.Thread(target=server.serve_forever, daemon=True).start()
                file_id = scan_to_signed_pdf(server.server_port, token, dossier.code, args.runs)
                server.shutdown()
                streaming(client, headers, file_id)
            holders = fill_store(file_id, args.documents)
            lookups(holders, db.session.get(ProcedureType, procedure_id))
            db.session.remove()
            db.engine.dispose()
    finally:
        drop_database(args.admin_url, name)
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
