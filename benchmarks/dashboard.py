"""Time the home page (dashboard and work queues) per role, with its SQL statements.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python benchmarks/dashboard.py [--runs 15] [--slow 1]

For each demo role: the median and the fastest time of the whole page rendered
for a signed-in user (in this process, the test client), the statements of one
request and the time spent in them; ``--slow MS`` lists the statements of one
request that took at least MS milliseconds.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select

from app import create_app
from demo.seed import DEMO_PASSWORD_DEFAULT
from extensions import db
from models import Dossier

ROLES = ("it_admin", "dept_admin", "po_supervisor", "po_clerk")
TARGET_MS = 60


class Statements:
    """The statements sent while recording, with their time in milliseconds."""

    def __init__(self, engine):
        self.recording, self.seen, self._started = False, [], 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_args):
        self._started = time.perf_counter()

    def _after(self, _conn, _cursor, statement, *_args):
        if self.recording:
            self.seen.append(((time.perf_counter() - self._started) * 1000, statement))

    def of(self, action) -> list[tuple[float, str]]:
        self.recording, self.seen = True, []
        try:
            action()
        finally:
            self.recording = False
        return self.seen


def home(client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 200, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--slow", type=float, default=None, help="list statements ≥ MS")
    args = parser.parse_args()
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        total = db.session.scalar(select(func.count(Dossier.id)))
        print(f"{db.engine.url.render_as_string(hide_password=True)}: {total:,} dossiers")
        statements = Statements(db.engine)
    print(f"\n{'user':<14} {'median ms':>9} {'best ms':>8} {'statements':>10} {'in SQL ms':>9}")
    for username in ROLES:
        client = app.test_client()
        client.post("/login", data={"username": username, "password": DEMO_PASSWORD_DEFAULT})
        home(client)  # warm the caches once, as a running server has them
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            home(client)
            times.append((time.perf_counter() - started) * 1000)
        seen = statements.of(lambda c=client: home(c))
        in_sql = sum(ms for ms, _ in seen)
        median = statistics.median(times)
        flag = "" if median <= TARGET_MS else f"  (target ≤ {TARGET_MS} ms)"
        print(f"{username:<14} {median:9.1f} {min(times):8.1f} {len(seen):10} {in_sql:9.1f}{flag}")
        for ms, sql in seen if args.slow is not None else ():
            if ms >= args.slow:
                print(f"    {ms:7.1f} ms  {' '.join(sql.split())[:150]}")


if __name__ == "__main__":
    main()
