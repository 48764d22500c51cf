"""Signing in and out: right, wrong, inactive, unsafe next, session handling, audit."""

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, User
from tests.factories import PASSWORD

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def _login(client, username, password=PASSWORD, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


def test_login_with_right_password_opens_the_panel(client, world):
    response = _login(client, "po_clerk")
    assert response.status_code == 302
    assert response.location == "/admin/"
    home = client.get("/admin/")
    assert home.status_code == 200
    page = home.get_data(as_text=True)
    assert "Xin chào, Người dùng po_clerk" in page
    assert "Nhân viên bưu điện" in page  # the role, by its Vietnamese name


@pytest.mark.parametrize(
    ("username", "password"),
    [("po_clerk", "wrong-password-1"), ("nobody", PASSWORD), ("", "")],
)
def test_wrong_credentials_get_one_message(client, world, username, password):
    response = _login(client, username, password)
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302  # still signed out


def test_inactive_user_is_refused_with_the_same_message(client, world):
    world.users["viewer"].active = False
    db.session.commit()
    response = _login(client, "viewer")
    assert response.status_code == 401
    assert WRONG in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_deactivation_ends_an_open_session(client, world):
    _login(client, "viewer")
    assert client.get("/admin/").status_code == 200
    world.users["viewer"].active = False
    db.session.commit()
    assert client.get("/admin/").status_code == 302


def test_password_change_ends_other_sessions(app, world):
    first, second = app.test_client(), app.test_client()
    _login(first, "dept_admin")
    _login(second, "dept_admin")
    user = world.users["dept_admin"]
    user.session_epoch += 1  # what a password change does
    db.session.commit()
    assert first.get("/admin/").status_code == 302
    assert second.get("/admin/").status_code == 302


@pytest.mark.parametrize("target", ["/admin/dossier/", "/admin/agency/?sort=1"])
def test_local_next_is_followed(client, world, target):
    response = _login(client, "it_admin", next=target)
    assert response.location == target


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "admin"],
)
def test_unsafe_next_is_ignored(client, world, target):
    response = _login(client, "it_admin", next=target)
    assert response.location == "/admin/"


def test_login_starts_a_fresh_session(client, world):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    _login(client, "po_clerk")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_anonymous_user_is_sent_to_login_with_next(client, world):
    response = client.get("/admin/dossier/?page=2")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert "%2Fadmin%2Fdossier%2F" in response.location or "/admin/dossier/" in response.location


def test_logout_needs_post_and_ends_the_session(client, world):
    _login(client, "po_clerk")
    assert client.get("/logout").status_code == 405
    assert client.get("/admin/").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_passwords_are_stored_as_argon2_hashes(world):
    user = db.session.scalar(select(User).where(User.username == "po_clerk"))
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_logins_failures_and_logouts_are_audited(client, world):
    _login(client, "po_clerk", "wrong-password-1")
    _login(client, "po_clerk")
    client.post("/logout")
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    actions = [(e.action, e.entity, e.actor_username) for e in entries if e.entity == "user"]
    assert ("login_failed", "user", None) in actions
    assert ("login", "user", "po_clerk") in actions
    assert ("logout", "user", "po_clerk") in actions
    failed = next(e for e in entries if e.action == "login_failed")
    assert failed.ip_address == "127.0.0.1"
    assert failed.entity_id == str(world.users["po_clerk"].id)
