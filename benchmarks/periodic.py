"""Time the periodic report, the 766 scorecard and its losing dossiers (issue #23).

    createdb bench_periodic   # a separate PostgreSQL database, dropped after
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_periodic \\
        flask --app app db upgrade
    DATABASE_URL=... flask --app app generate-data --dossiers 1000000
    DATABASE_URL=... .venv/bin/python benchmarks/periodic.py

Prints, as medians of the whole HTTP answer (server side, through the test client)
for it_admin (the province) and dept_admin (one department): the periodic report of
the last 12 months (page and API), the scorecard page of the last quarter, and the
first page of the dossiers losing points alone (the service call); then, as service calls, the
summary of the 12 closed months up to last month (in progress and overdue at their end), the
same read as a running period, and the corrections notice of those months.
"""

import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from app import create_app
from benchmarks.reports import get_ok, median_ms
from demo.seed import DEMO_PASSWORD_DEFAULT
from extensions import db
from models import Dossier, ReportDaily, User
from services.reporting import figures, losing_points, periodic
from services.reporting.periods import Period, last_months

TARGETS = {"periodic": 300, "scorecard": 300, "losing": 50}


def main() -> None:
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        total = db.session.scalar(select(func.count(Dossier.id)))
        daily = db.session.scalar(select(func.count()).select_from(ReportDaily))
        print(
            f"{db.engine.url.render_as_string(hide_password=True)}: {total:,} dossiers, "
            f"{daily:,} daily rows\n"
        )
    year, quarter = last_months(12), last_months(3)
    span = f"from={year.first}&to={year.last}"
    print(f"{'user':<12} {'what':<52} {'ms':>8}  target")
    for username in ("it_admin", "dept_admin"):
        client = app.test_client()
        client.post("/login", data={"username": username, "password": DEMO_PASSWORD_DEFAULT})
        token = client.post(
            "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD_DEFAULT}
        ).get_json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        page = f"/admin/report/periodic?{span}"
        api = f"/api/v1/reports/periodic?{span}&by=procedure"
        card = f"/admin/report/scorecard?from={quarter.first}&to={quarter.last}"
        rows = [
            (
                "periodic report, 12 months, page",
                median_ms(lambda c=client, p=page: get_ok(c, p)),
                "periodic",
            ),
            (
                "periodic report, 12 months, API by procedure",
                median_ms(lambda c=client, p=api, h=auth: get_ok(c, p, headers=h)),
                "periodic",
            ),
            (
                "scorecard page of a quarter (with its first page)",
                median_ms(lambda c=client, p=card: get_ok(c, p)),
                "scorecard",
            ),
        ]
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == username))
            items = []

            def first_page(u=user, found=items):
                found[:] = losing_points.page(u, quarter)[0]

            rows.append(
                ("dossiers losing points of a quarter, first page", median_ms(first_page), "losing")
            )
            rows.append((f"  ({len(items)} shown on it)", 0.0, None))
            rows += closed_period_rows(u=user)
        for what, ms, target in rows:
            goal = f"≤ {TARGETS[target]} ms" if target else ""
            print(f"{username:<12} {what:<52} {ms:8.1f}  {goal}")


def closed_twelve_months() -> Period:
    """The 12 whole months up to the end of last month (a closed period)."""
    last = date.today().replace(day=1) - timedelta(days=1)
    first = date(last.year, 1, 1) if last.month == 12 else date(last.year - 1, last.month + 1, 1)
    return Period(first, last)


def closed_period_rows(u) -> list[tuple]:
    """A closed period's summary (in progress and overdue at its end, from the periodic sums),
    the same as if it still ran (today's statuses), and its corrections notice alone."""
    closed = closed_twelve_months()
    return [
        (
            "summary of 12 closed months (at their end)",
            median_ms(lambda: figures.summary(u, closed, delays=False)),
            None,
        ),
        (
            "  the same, read as a running period (now)",
            median_ms(
                lambda: figures.summary(
                    u, closed, now=closed.end - timedelta(seconds=1), delays=False
                )
            ),
            None,
        ),
        (
            "corrections after the end, 12 closed months",
            median_ms(lambda: periodic.corrections(u, closed, periodic.Filters())),
            None,
        ),
    ]


if __name__ == "__main__":
    main()
