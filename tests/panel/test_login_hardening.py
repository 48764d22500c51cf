"""Sign-in hardening: throttling and lock, password policy and changes, headers, cookies."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app import create_app
from config import ProductionConfig
from extensions import db
from models import User
from models.base import utcnow
from models.security import LoginThrottle
from services.accounts.auth import TOO_MANY_ATTEMPTS, WRONG_CREDENTIALS
from services.accounts.passwords import policy_problem
from tests.conftest import IsolatedClient, _empty_tables
from tests.factories import PASSWORD, make_world

NEW_PASSWORD = "Ngay-mai-troi-nang-17"
TOO_SHORT = "Mật khẩu phải có ít nhất 10 ký tự."
HAS_USERNAME = "Mật khẩu không được chứa tên đăng nhập."
TOO_COMMON = "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."
MUST_CHANGE = "Vui lòng đặt mật khẩu mới trước khi tiếp tục."


def _login(client, username, password=PASSWORD, data_token=None, **kwargs):
    data = {"username": username, "password": password}
    if data_token:
        data["csrf_token"] = data_token
    return client.post("/login", data=data, **kwargs)


def _user(username) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def _answer(response) -> tuple[int, bool, bool]:
    """What an attacker sees: status, wrong-credentials message, too-many message."""
    page = response.get_data(as_text=True)
    return response.status_code, WRONG_CREDENTIALS in page, TOO_MANY_ATTEMPTS in page


def _change(client, current, new, confirm=None):
    data = {"current_password": current, "new_password": new, "confirm_password": confirm or new}
    return client.post("/account/password", data=data)


# -- throttling and lock -------------------------------------------------------
def test_sixth_attempt_is_refused_even_with_the_right_password(app, world):
    client = app.test_client()
    for _ in range(5):
        assert _answer(_login(client, "po_clerk", "wrong-password-1")) == (401, True, False)
    assert _answer(_login(client, "po_clerk")) == (429, False, True)
    assert client.get("/admin/").status_code == 302  # not signed in
    locked_until = _user("po_clerk").locked_until
    assert locked_until is not None and locked_until > utcnow() + timedelta(minutes=10)


def test_unknown_username_gets_the_same_answers_at_the_same_counts(app, world):
    known, unknown = app.test_client(), app.test_client()
    for _ in range(6):
        seen_known = _answer(_login(known, "po_clerk", "wrong-password-1"))
        seen_unknown = _answer(_login(unknown, "no_such_user", "wrong-password-1"))
        assert seen_known == seen_unknown
    assert seen_unknown == (429, False, True)


def test_the_database_lock_expires(app, world):
    client = app.test_client()
    for _ in range(5):
        _login(client, "po_clerk", "wrong-password-1")
    assert _answer(_login(client, "po_clerk")) == (429, False, True)
    db.session.execute(  # 16 minutes later
        update(LoginThrottle).values(
            locked_until=utcnow() - timedelta(seconds=1),
            window_started_at=utcnow() - timedelta(minutes=16),
        )
    )
    db.session.commit()
    response = _login(client, "po_clerk")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "app_config",
    [{"LOGIN_FAILURES_PER_ADDRESS": "3 per minute"}],
)
def test_failures_over_many_usernames_from_one_address_are_throttled(app, world):
    client = app.test_client()
    for username in ("alice", "bob", "po_clerk"):
        assert _login(client, username, "wrong-password-1").status_code == 401
    assert _answer(_login(client, "carol", "wrong-password-1")) == (429, False, True)
    assert _answer(_login(client, "it_admin")) == (429, False, True)
    assert client.get("/admin/").status_code == 302
    other = app.test_client()
    response = _login(other, "it_admin", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 302  # another address is not held back


@pytest.mark.parametrize("app_config", [{"LOGIN_FAILURES_PER_ADDRESS": "3 per minute"}])
def test_successful_logins_do_not_count(app, world):
    client = app.test_client()
    for _ in range(10):
        assert _login(client, "viewer").status_code == 302
        assert client.get("/admin/").status_code == 200
        assert client.post("/logout").status_code == 302


# -- password policy -----------------------------------------------------------
@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ngan-qua", TOO_SHORT),
        ("Xin-chao-PO_Clerk-1", HAS_USERNAME),
        ("QwertyUIOP", TOO_COMMON),
        ("password123", TOO_COMMON),
        ("aaaaaaaaaaaa", TOO_COMMON),
        ("abababababab", TOO_COMMON),
        (NEW_PASSWORD, None),
    ],
    ids=["short", "username", "common", "common2", "repeated", "two-letters", "good"],
)
def test_password_policy(password, expected):
    assert policy_problem(password, "po_clerk") == expected


# -- changing one's own password ----------------------------------------------
@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong-password-1", NEW_PASSWORD, NEW_PASSWORD, "Mật khẩu hiện tại không đúng."),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "Hai lần nhập mật khẩu mới không khớp nhau."),
        (PASSWORD, "ngan", "ngan", TOO_SHORT),
        (PASSWORD, "po_clerk-moi-2026", "po_clerk-moi-2026", HAS_USERNAME),
        (PASSWORD, "qwertyuiop", "qwertyuiop", TOO_COMMON),
    ],
    ids=["wrong-current", "mismatch", "short", "username", "common"],
)
def test_refused_password_changes_change_nothing(client, login_as, current, new, confirm, message):
    login_as("po_clerk")
    before = _user("po_clerk").password_hash
    response = _change(client, current, new, confirm)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _user("po_clerk").password_hash == before


def test_password_change_ends_the_other_sessions_only(app, world):
    mine, other = app.test_client(), app.test_client()
    assert _login(other, "dept_admin").status_code == 302
    assert _login(mine, "dept_admin").status_code == 302
    response = _change(mine, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert mine.get("/admin/").status_code == 200  # the changing session stays
    response = other.get("/admin/")
    assert response.status_code == 302 and response.location.startswith("/login")
    fresh = app.test_client()
    assert _login(fresh, "dept_admin").status_code == 401
    assert _login(fresh, "dept_admin", NEW_PASSWORD).status_code == 302


# -- reset by IT staff ---------------------------------------------------------
ADMIN_PAGES = [
    "/admin/",
    "/admin/dossier/",
    "/admin/dossier/export/csv/",
    "/admin/handover/",
    "/admin/delivery_order/",
    "/admin/agency/",
    "/admin/holiday/",
]


def test_reset_by_it_forces_a_new_password(app, client, login_as, world):
    clerk = app.test_client()
    assert _login(clerk, "po_clerk").status_code == 302
    login_as("it_admin")
    temporary = "Tam-thoi-2026-xyz"
    user_id = world.users["po_clerk"].id
    response = client.post(
        f"/admin/user/reset-password/?id={user_id}",
        data={"password": temporary, "confirm": temporary},
    )
    assert response.status_code == 302
    assert clerk.get("/admin/").location.startswith("/login")  # the open session ended
    response = _login(clerk, "po_clerk", temporary)
    assert response.status_code == 302 and response.location == "/account/password"
    for page in ADMIN_PAGES:
        response = clerk.get(page)
        assert response.status_code == 302, page
        assert response.location == "/account/password", page
    assert MUST_CHANGE in clerk.get("/account/password").get_data(as_text=True)
    assert _change(clerk, temporary, NEW_PASSWORD).status_code == 302
    for page in ADMIN_PAGES:
        assert clerk.get(page).status_code == 200, page
    assert _user("po_clerk").must_change_password is False


def test_reset_refuses_a_weak_temporary_password(client, login_as, world):
    login_as("it_admin")
    before = _user("po_clerk").password_hash
    response = client.post(
        f"/admin/user/reset-password/?id={world.users['po_clerk'].id}",
        data={"password": "123456789a", "confirm": "123456789a"},
    )
    assert response.status_code == 200
    assert TOO_COMMON in response.get_data(as_text=True)
    assert _user("po_clerk").password_hash == before


# -- headers and cookies -------------------------------------------------------
def _csp(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


@pytest.mark.parametrize("path", ["/login", "/admin/agency/"])
def test_security_headers(client, login_as, path):
    if path.startswith("/admin/"):
        login_as("it_admin")
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")
    csp = _csp(response)
    assert csp["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "*" not in csp["script-src"]


def test_script_tags_carry_this_responses_nonce(client, login_as):
    login_as("it_admin")
    nonces = []
    for _ in range(2):
        response = client.get("/admin/user/")
        page = response.get_data(as_text=True)
        nonce = re.fullmatch(r"'self' 'nonce-([^']+)'", _csp(response)["script-src"]).group(1)
        on_page = set(re.findall(r'<script[^>]*\snonce="([^"]*)"', page))
        assert on_page == {nonce}  # Flask-Admin's script tags carry the header's nonce
        inline = re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page)
        assert all(f'nonce="{nonce}"' in tag for tag in inline)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]  # a fresh nonce per response


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1
    return cookies[0]


def test_session_cookie_is_httponly_and_lax(client, world):
    cookie = _session_cookie(_login(client, "po_clerk"))
    assert "; HttpOnly" in cookie
    assert "; SameSite=Lax" in cookie


def test_production_session_cookie_is_secure(database_url, schema, monkeypatch):
    """A real ProductionConfig app (built outside any other app's context) sets Secure."""
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")

    class Production(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        RATELIMIT_STORAGE_URI = "memory://"
        OUTBOX_IN_PROCESS = False  # no delivery thread left running after the test

    production = create_app(Production())
    production.test_client_class = IsolatedClient
    with production.app_context():
        try:
            make_world()
            client = production.test_client()
            form = client.get("/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            response = _login(client, "po_clerk", data_token=token)
            assert response.status_code == 302
            cookie = _session_cookie(response)
        finally:
            db.session.remove()
            db.engine.dispose()
            _empty_tables(schema)
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
