"""Under gunicorn, on a generated database: two people's year-long tracking books are made
by the workers while the server keeps answering (#19: each once held a web worker for
minutes and two stalled the installation)."""

import secrets
import statistics
import time
import urllib.request

import pytest

from demo.loadgen import generate_dossiers
from tests import factories
from tests.servers import Client, Server

pytestmark = pytest.mark.postgresql_only
YEAR = {"kind": "tracking_book", "from": "01/01/2026", "to": "31/12/2026"}


@pytest.fixture
def server(world, database_url, tmp_path):
    generate_dossiers(50_000, seed=19, days=330)
    env = {
        "DATABASE_URL": database_url,
        "APP_ENV": "development",
        "SECRET_KEY": "exports-" + secrets.token_hex(8),
        "ACCESS_LOG": "-",
        # no RQ_REDIS_URL: the app processes make the files themselves (make run's way)
    }
    app_server = Server(env, tmp_path / "gunicorn.log", workers=2)
    try:
        app_server.wait_ready()
        yield app_server.url
    finally:
        app_server.stop()


def health_ms(url) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url + "/healthz", timeout=10) as answer:  # noqa: S310
        assert answer.status == 200
    return (time.perf_counter() - started) * 1000


def test_two_year_long_books_leave_the_server_answering(server):
    people = {}
    for username in ("it_admin", "po_supervisor"):
        client = Client()
        assert client.sign_in(server, username, factories.PASSWORD).status == 302
        form = {**YEAR, "csrf_token": client.csrf(server + "/admin/report/exports/")}
        asked = client.post(server + "/admin/report/exports/", form=form)
        assert asked.status == 302, asked.text[:300]
        people[username] = client
    second = people["it_admin"].post(
        server + "/admin/report/exports/",
        form={**YEAR, "csrf_token": people["it_admin"].csrf(server + "/admin/report/exports/")},
    )
    assert second.status == 302  # refused with a message: one file per person at a time
    assert (
        "Mỗi người chỉ tạo một tệp lớn một lúc"
        in people["it_admin"].get(server + "/admin/report/exports/").text
    )
    timings, finished, deadline = [], {}, time.monotonic() + 240
    while len(finished) < len(people) and time.monotonic() < deadline:
        timings.append(health_ms(server))
        for username, client in people.items():
            page = client.get(server + "/admin/report/exports/").text
            if "/download" in page:
                finished[username] = page
        time.sleep(0.2)
    assert len(finished) == 2, "the workers did not make both files in 4 minutes"
    assert max(timings) < 1000, sorted(timings)[-5:]
    print(
        f"/healthz while two books were made: median {statistics.median(timings):.0f} ms, "
        f"max {max(timings):.0f} ms over {len(timings)} requests"
    )
    for username, client in people.items():
        own = [
            i
            for i in (1, 2, 3)
            if client.get(f"{server}/admin/report/exports/{i}.json").status == 200
        ]
        assert len(own) == 1, (username, own)  # the second ask was refused, not recorded
        state = client.get(f"{server}/admin/report/exports/{own[0]}.json").json()
        assert state["status"] == "done" and state["rows_done"] > 1000, (username, state)
        book = client.get(server + state["download"])
        assert book.status == 200 and book.body[:2] == b"PK"  # an XLSX (a zip)
