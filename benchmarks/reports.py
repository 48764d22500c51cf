"""Time the figures on a database filled by ``generate-data`` (targets from issue #11).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench flask --app app db upgrade
    DATABASE_URL=... flask --app app generate-data --dossiers 1000000
    DATABASE_URL=... .venv/bin/python benchmarks/reports.py

Prints, for it_admin (every row) and a department: the dashboard's server time
(the whole home page, a year of figures), the reports page of a year, the summary API over a year
(median), and the time to the first bytes of a month's tracking book.
"""

import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from app import create_app
from demo.seed import DEMO_PASSWORD_DEFAULT
from extensions import db
from models import Dossier
from services.reporting.periods import last_months, today

RUNS = 9
TARGETS = {"dashboard": 150, "summary": 100, "page": 300, "book": 1000}


def median_ms(action, runs: int = RUNS) -> float:
    action()  # warm the caches once, as a running server has them
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def get_ok(client, path, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return response


def first_bytes_ms(client, path) -> tuple[float, float, int]:
    """Time to the first chunk of a streamed download, to its end, and its size."""
    started = time.perf_counter()
    response = client.get(path, buffered=False)
    assert response.status_code == 200, (path, response.status_code)
    chunks = iter(response.response)
    size = len(next(chunks))
    first = (time.perf_counter() - started) * 1000
    for chunk in chunks:
        size += len(chunk)
    response.close()
    return first, (time.perf_counter() - started) * 1000, size


def main() -> None:
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        total = db.session.scalar(select(func.count(Dossier.id)))
        print(f"{db.engine.url.render_as_string(hide_password=True)}: {total:,} dossiers\n")
    year = last_months(12)
    month_end = today().replace(day=1) - timedelta(days=1)
    month = (month_end.replace(day=1), month_end)
    summary = f"/api/v1/reports/summary?from={year.first}&to={year.last}"
    page = f"/admin/report/?preset=custom&from={year.first:%d/%m/%Y}&to={year.last:%d/%m/%Y}"
    book = f"/admin/report/tracking-book.xlsx?from={month[0]}&to={month[1]}"
    print(f"{'user':<12} {'what':<44} {'ms':>8}  target")
    for username in ("it_admin", "dept_admin", "po_supervisor"):
        client = app.test_client()
        client.post("/login", data={"username": username, "password": DEMO_PASSWORD_DEFAULT})
        token = client.post(
            "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD_DEFAULT}
        ).get_json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        rows = [
            (
                "dashboard (home page, 12 months), median",
                median_ms(lambda c=client: get_ok(c, "/admin/")),
                "dashboard",
            ),
            (
                "reports page of a year, median",
                median_ms(lambda c=client: get_ok(c, page)),
                "page",
            ),
            (
                "summary API of a year, median",
                median_ms(lambda c=client, h=auth: get_ok(c, summary, headers=h)),
                "summary",
            ),
        ]
        first, whole, size = first_bytes_ms(client, book)
        rows.append((f"tracking book {month[0]:%m/%Y}: first bytes", first, "book"))
        rows.append((f"  … whole file ({size / 1e6:.1f} MB)", whole, None))
        for what, ms, target in rows:
            goal = f"≤ {TARGETS[target]} ms" if target else ""
            print(f"{username:<12} {what:<44} {ms:8.1f}  {goal}")


if __name__ == "__main__":
    main()
