"""The panel's dossier screens beside a stock Flask-Admin ModelView over the same table.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        .venv/bin/flask --app app generate-data --dossiers 1000000
    DATABASE_URL=... .venv/bin/python benchmarks/compare.py [--runs 9] [--stock-runs 1] \\
        [--users it_admin,po_clerk]

Both run in this process on one app, signed in as each of USERS in turn (it_admin by
default: every row in scope; the sample dossier is the newest in the user's scope), the
whole page rendered; the stock view is configured as Flask-Admin's documentation shows
(column_searchable_list, column_filters, can_view_details) at /stock/dossier/. Each case
prints the median time and the SQL statements of one request, for both, and the ratio.
A stock query cancelled by STATEMENT_TIMEOUT_MS (15 s by default) prints as ">15000".
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_admin.theme import Bootstrap4Theme
from sqlalchemy import event, func, select

import permissions
from app import create_app
from demo.seed import DEMO_PASSWORD_DEFAULT
from extensions import db
from models import Dossier, User


class StockDossierView(ModelView):
    """Flask-Admin out of the box, as its docs configure a list with search and filters."""

    can_view_details = True
    page_size = 25
    column_list = ("code", "procedure_type", "applicant_name", "applicant_phone", "status",
                   "received_at", "due_at", "timeliness", "post_office")  # fmt: skip
    column_searchable_list = ("code", "applicant_name", "applicant_phone", "applicant_id_number")
    column_filters = ("status", "timeliness")
    column_default_sort = ("received_at", True)
    # The details page with the relations ours shows (each loaded as the model declares it).
    column_details_list = (
        "code", "status", "procedure_type", "agency", "post_office", "channel", "return_method",
        "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email",
        "applicant_address", "organization_name", "organization_tax_code", "received_at",
        "received_by", "due_at", "fee_amount", "documents_checked", "extra_data",
        "result_number", "result_date", "result_outcome", "result_summary", "completed_at",
        "timeliness", "returned_at", "notes", "updated_at", "updated_by",
    )  # fmt: skip


class Statements:
    """Counts the SQL statements sent while active."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._hit)

    def _hit(self, *args):
        self.count += 1


def timed(client, path, runs, statements):
    """(median ms, statements of the first request) for GET PATH; the median is None
    when the database cancelled a query (statement_timeout: a 503)."""
    times, sql = [], None
    for _ in range(runs):
        before = statements.count
        started = time.perf_counter()
        response = client.get(path, follow_redirects=True)  # an exact code opens its page
        times.append((time.perf_counter() - started) * 1000)
        sql = statements.count - before if sql is None else sql
        if response.status_code == 503:
            return None, sql
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times), sql


def status_equals(view) -> str:
    """VIEW's "status equals" filter in a URL: its number, or its name (named filters)."""
    index, flt = next(
        (i, f)
        for i, f in enumerate(view._filters)
        if isinstance(f, FilterEqual) and getattr(f.column, "key", None) == "status"
    )
    return view.get_filter_arg(index, flt)


def cases(sample) -> list[tuple[str, str]]:
    """(case, path below the screen's URL) for a SAMPLE (code, id) of the table."""
    code, dossier_id = sample
    prefix = code[: code.rindex("-") - 2]  # agency and year-month: a month of receipts
    return [
        ("first page", ""),
        ("status = processing", "?flt1_{status_equals}=processing"),
        ("search 'Thuận'", "?search=Thu%E1%BA%ADn"),
        ("search 'thuan' (no accents)", "?search=thuan"),
        ("search 4 words, no match", "?search=hoang+duc+truong+son"),
        ("exact code", f"?search={code}"),
        ("code prefix (a month)", f"?search={prefix}"),
        ("page 1000", "?page=999"),
        ("details", f"details/?id={dossier_id}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--users", default="it_admin", help="comma-separated demo users, each signed in in turn"
    )
    parser.add_argument(
        "--stock-runs", type=int, default=None, help="runs of the stock view (default: --runs)"
    )
    args = parser.parse_args()
    runs = args.runs
    stock_runs = args.stock_runs or runs
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    stock = Admin(app, name="Stock", url="/stock", endpoint="stock", theme=Bootstrap4Theme())
    with app.app_context():
        stock_view = StockDossierView(Dossier, db, endpoint="stock_dossier", url="dossier")
        stock.add_view(stock_view)
        panel_view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == "dossier")
        total = db.session.scalar(select(func.count()).select_from(Dossier))
        statements = Statements(db.engine)
        where = db.engine.url.render_as_string(hide_password=True)
        samples = {}
        for username in args.users.split(","):
            user = db.session.scalar(select(User).where(User.username == username))
            in_scope = permissions.scope(user, "dossier", select(Dossier.code, Dossier.id))
            samples[username] = db.session.execute(
                in_scope.order_by(Dossier.id.desc()).limit(1)
            ).one()
        db.session.rollback()
    timeout_ms = app.config["STATEMENT_TIMEOUT_MS"]
    for username, sample in samples.items():
        print(f"{where}: {total:,} dossiers, median of {runs} runs ({stock_runs} for stock), "
              f"whole page, signed in as {username}\n")  # fmt: skip
        client = app.test_client()
        client.post("/login", data={"username": username, "password": DEMO_PASSWORD_DEFAULT})
        print(f"{'case':<30} {'panel ms':>9} {'SQL':>4} {'stock ms':>9} {'SQL':>4} "
              f"{'stock/panel':>12}")  # fmt: skip
        for label, below in cases(sample):
            row = []
            for view, times in ((panel_view, runs), (stock_view, stock_runs)):
                path = f"/{view.admin.url.strip('/')}/dossier/" + below.format(
                    status_equals=status_equals(view)
                )
                if times > 1:
                    client.get(path)  # warm: templates compiled, caches filled
                row.append(timed(client, path, times, statements))
            (ms, sql), (stock_ms, stock_sql) = row
            if stock_ms is None:  # cancelled after STATEMENT_TIMEOUT_MS
                stock, ratio = f">{timeout_ms}", f"> {timeout_ms / ms:.0f}×"
            else:
                stock, ratio = f"{stock_ms:.1f}", f"{stock_ms / ms:.1f}×"
            print(f"{label:<30} {ms:9.1f} {sql:4d} {stock:>9} {stock_sql:4d} {ratio:>12}")
        print()


if __name__ == "__main__":
    main()
