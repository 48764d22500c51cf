"""In a real browser: signing out, and signing out with the API tokens ended too."""

import pytest

from tests.conftest import OUTPUT
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(page, live_server, username="po_clerk"):
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/")


def _token(page, live_server):
    answer = page.request.post(
        f"{live_server}/api/v1/auth/token", data={"username": "po_clerk", "password": PASSWORD}
    )
    assert answer.status == 200
    return answer.json()["token"]


def _api_status(page, live_server, token):
    answer = page.request.get(
        f"{live_server}/api/v1/dossiers", headers={"Authorization": f"Bearer {token}"}
    )
    return answer.status


def test_sign_out_buttons_end_the_session_and_on_request_the_tokens(
    app, world, live_server, page, database_url
):
    token = _token(page, live_server)
    _sign_in(page, live_server)
    cookies = page.context.cookies()
    page.click("#user-menu")
    OUTPUT.mkdir(exist_ok=True)
    engine = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    page.screenshot(path=str(OUTPUT / f"screenshot-signout-menu-{engine}.png"))
    page.click("#logout-button")
    page.wait_for_url(f"{live_server}/login")
    assert "Bạn đã đăng xuất" in page.content()
    assert _api_status(page, live_server, token) == 200  # plain sign-out keeps tokens

    # The cookie copied before sign-out opens nothing now.
    page.context.add_cookies(cookies)
    page.goto(f"{live_server}/admin/dossier/")
    assert "/login" in page.url

    _sign_in(page, live_server)
    page.click("#user-menu")
    page.click("#logout-tokens-button")
    page.wait_for_url(f"{live_server}/login")
    assert "mã truy cập API" in page.content()
    assert _api_status(page, live_server, token) == 401
