"""Time the dossier list as users hit it, on a database filled by ``generate-data``.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        .venv/bin/flask --app app generate-data --dossiers 1000000
    DATABASE_URL=... .venv/bin/python benchmarks/list_views.py

Prints the median time of each request (a signed-in test client, the whole
Flask-Admin page rendered) next to what a stock Flask-Admin list would spend on
the same table: a full COUNT(*) and ILIKE '%term%' over every text column.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, or_, select, text

from app import create_app
from demo.seed import DEMO_PASSWORD_DEFAULT
from extensions import db
from models import Dossier

RUNS = 7


def median_ms(action) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def page_timer(client, path):
    def hit():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    return hit


def main() -> None:
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        total = db.session.scalar(select(func.count(Dossier.id)))
        print(f"{db.engine.url.render_as_string(hide_password=True)}: {total:,} dossiers\n")
        sample = db.session.execute(
            select(Dossier.code, Dossier.applicant_phone).order_by(Dossier.id.desc()).limit(1)
        ).one()
    rows = []
    for username in ("it_admin", "po_clerk", "dept_admin"):
        client = app.test_client()
        client.post("/login", data={"username": username, "password": DEMO_PASSWORD_DEFAULT})
        for label, path in (
            ("first page", "/admin/dossier/"),
            ("page 40", "/admin/dossier/?page=39"),
            ("search name 'nguyen van thuan'", "/admin/dossier/?search=nguyen+van+thuan"),
            ("search phone", f"/admin/dossier/?search={sample.applicant_phone}"),
            ("search code", f"/admin/dossier/?search={sample.code}"),
            ("sort by appointment", "/admin/dossier/?sort=6&desc=1"),
        ):
            rows.append((username, label, median_ms(page_timer(client, path))))
    width = max(len(r[1]) for r in rows)
    print(f"{'user':<12} {'request':<{width}}  median ms (whole page, {RUNS} runs)")
    for username, label, ms in rows:
        print(f"{username:<12} {label:<{width}}  {ms:8.1f}")

    with app.app_context():
        like = "%nguyen van thuan%"
        stock_search = (
            select(func.count())
            .select_from(Dossier)
            .where(
                or_(
                    *(
                        getattr(Dossier, c).cast(db.String).ilike(like)
                        for c in (
                            "code",
                            "applicant_name",
                            "applicant_phone",
                            "applicant_id_number",
                            "applicant_address",
                            "notes",
                        )
                    )
                )
            )
        )
        count_ms = median_ms(lambda: db.session.scalar(select(func.count(Dossier.id))))
        ilike_ms = median_ms(lambda: db.session.scalar(stock_search))
        print("\nWhat a stock Flask-Admin list would add, per page:")
        print(f"  COUNT(*) over the table          {count_ms:8.1f} ms")
        print(f"  ILIKE search over 6 columns      {ilike_ms:8.1f} ms")
        if db.engine.dialect.name == "postgresql":
            explain = (
                "EXPLAIN SELECT id FROM dossier WHERE search_text LIKE '%nguyen van thuan%' "
                "ORDER BY received_at DESC LIMIT 26"
            )
            plan = db.session.execute(text(explain)).scalars().all()
            print("\nPlan of the folded search:\n  " + "\n  ".join(plan))


if __name__ == "__main__":
    main()
