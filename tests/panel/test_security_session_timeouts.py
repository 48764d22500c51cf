"""Panel sessions end on the server: after SESSION_IDLE_MINUTES without a request and after
SESSION_MAX_HOURS in all. Time is moved by ageing the signed session's own clock."""

import time

import pytest

from tests.factories import PASSWORD

MINUTE, HOUR = 60, 3600


def _sign_in(client, username="po_clerk"):
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302


def _age(client, *, idle: float = 0, since_sign_in: float = 0):
    """Move time on: the last request IDLE seconds ago, the sign-in SINCE_SIGN_IN ago."""
    with client.session_transaction() as session:
        now = time.time()
        session["seen_at"] = now - idle
        session["signed_in_at"] = now - max(idle, since_sign_in)


def test_a_session_idle_for_an_hour_is_sent_to_sign_in(client, world):
    _sign_in(client)
    _age(client, idle=59 * MINUTE)
    assert client.get("/admin/dossier/").status_code == 200
    _age(client, idle=61 * MINUTE)
    response = client.get("/admin/dossier/")
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    page = client.get(response.location).get_data(as_text=True)
    assert "Phiên làm việc đã hết hạn" in page
    # Signed out for good: the next request is not let back in.
    assert client.get("/admin/dossier/").status_code == 302


def test_a_busy_session_still_ends_after_twelve_hours(client, world):
    _sign_in(client)
    _age(client, idle=MINUTE, since_sign_in=11 * HOUR)
    assert client.get("/admin/").status_code == 200
    _age(client, idle=MINUTE, since_sign_in=12 * HOUR + MINUTE)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_each_request_keeps_the_session_alive(client, world):
    _sign_in(client)
    _age(client, idle=50 * MINUTE)
    assert client.get("/admin/dossier/").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["seen_at"] < MINUTE


@pytest.mark.parametrize("app_config", [{"SESSION_IDLE_MINUTES": 5}])
def test_the_idle_limit_is_a_setting(client, world, app_config):
    _sign_in(client)
    _age(client, idle=6 * MINUTE)
    assert client.get("/admin/dossier/").status_code == 302
