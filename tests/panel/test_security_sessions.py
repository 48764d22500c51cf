"""Attacks on sessions and tokens: forged keys, copied cookies, tokens after sign-out."""

import os
from pathlib import Path

import pytest

from app import create_app
from config import ConfigError, instance_secret_key
from extensions import db
from tests.conftest import IsolatedClient, make_config
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _installation(database_url, instance_path):
    """An app as `make run` starts it: no SECRET_KEY anywhere, its own instance folder."""
    config = make_config(database_url, SECRET_KEY=None, APP_ENV="development")
    app = create_app(config, instance_path=str(instance_path))
    app.test_client_class = IsolatedClient
    return app


def _sign_in(client, username="it_admin"):
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def _token(client, username="it_admin"):
    answer = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["token"]


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def _copy_session_cookie(source, target):
    cookie = source.get_cookie("session")
    assert cookie is not None
    target.set_cookie("session", cookie.value)


# -- 1. no constant key ---------------------------------------------------------
def test_two_installations_without_secret_key_reject_each_others_cookies_and_tokens(
    app, world, database_url, tmp_path
):
    one = _installation(database_url, tmp_path / "one")
    two = _installation(database_url, tmp_path / "two")
    assert one.config["SECRET_KEY"] != two.config["SECRET_KEY"]
    assert len(one.config["SECRET_KEY"]) >= 64

    client_one, client_two = one.test_client(), two.test_client()
    _sign_in(client_one)
    assert client_one.get("/admin/user/").status_code == 200
    _copy_session_cookie(client_one, client_two)
    forged = client_two.get("/admin/user/")
    assert forged.status_code == 302 and "/login" in forged.location

    token = _token(client_one)
    assert client_one.get("/api/v1/dossiers", headers=_bearer(token)).status_code == 200
    refused = client_two.get("/api/v1/dossiers", headers=_bearer(token))
    assert refused.status_code == 401
    assert "applicant_name" not in refused.get_data(as_text=True)


def test_an_installation_keeps_its_key_across_restarts(tmp_path):
    first = instance_secret_key(str(tmp_path))
    assert instance_secret_key(str(tmp_path)) == first
    key_file = tmp_path / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_the_default_instance_key_is_not_in_git():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "instance/" in ignored


def test_no_key_in_the_source_is_accepted(app, client, world):
    """The keys that used to be constants sign nothing any more."""
    from itsdangerous import URLSafeTimedSerializer

    from views.api.auth import TOKEN_SALT

    user = world.users["it_admin"]
    for key in ("dev-only-not-secret", "testing-secret"):
        assert app.config["SECRET_KEY"] != key
        forged = URLSafeTimedSerializer(key, salt=TOKEN_SALT).dumps(
            {"uid": user.id, "epoch": user.token_epoch, "jti": "0" * 32}
        )
        assert client.get("/api/v1/dossiers", headers=_bearer(forged)).status_code == 401


def test_production_still_refuses_to_start_without_a_key(monkeypatch, database_url, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(
            {"APP_ENV": "production", "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": database_url},
            instance_path=str(tmp_path),
        )
    assert not os.path.exists(tmp_path / "secret_key")


# -- 2. sign-out ends the session on the server ---------------------------------
def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, world):
    clerk, thief = app.test_client(), app.test_client()
    _sign_in(clerk, "po_clerk")
    _copy_session_cookie(clerk, thief)
    assert thief.get("/admin/dossier/").status_code == 200  # the copy works while signed in
    assert clerk.post("/logout").status_code == 302
    after = thief.get("/admin/dossier/")
    assert after.status_code == 302 and "/login" in after.location


def test_sign_out_keeps_api_tokens_unless_asked_to_end_them(app, world):
    client = app.test_client()
    token = _token(client, "po_clerk")
    _sign_in(client, "po_clerk")
    client.post("/logout")
    assert client.get("/api/v1/dossiers", headers=_bearer(token)).status_code == 200

    _sign_in(client, "po_clerk")
    response = client.post("/logout", data={"end_tokens": "1"}, follow_redirects=True)
    assert "mã truy cập API" in response.get_data(as_text=True)
    assert client.get("/api/v1/dossiers", headers=_bearer(token)).status_code == 401
    fresh = _token(client, "po_clerk")
    assert client.get("/api/v1/dossiers", headers=_bearer(fresh)).status_code == 200


def test_revoke_ends_the_calling_token_only(app, world):
    client = app.test_client()
    kept, revoked = _token(client, "po_clerk"), _token(client, "po_clerk")
    answer = client.post("/api/v1/auth/revoke", headers=_bearer(revoked))
    assert answer.status_code == 200 and answer.get_json() == {"revoked": True}
    refused = client.get("/api/v1/dossiers", headers=_bearer(revoked))
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"
    assert client.post("/api/v1/auth/revoke", headers=_bearer(revoked)).status_code == 401
    assert client.get("/api/v1/dossiers", headers=_bearer(kept)).status_code == 200


def test_revocation_holds_on_another_app_server(app, world, database_url):
    """Two servers of one installation (one key, one database): revoked on one, dead on both."""
    other = create_app(make_config(database_url, SECRET_KEY=app.config["SECRET_KEY"]))
    other.test_client_class = IsolatedClient
    token = _token(app.test_client(), "po_clerk")
    assert other.test_client().get("/api/v1/dossiers", headers=_bearer(token)).status_code == 200
    app.test_client().post("/api/v1/auth/revoke", headers=_bearer(token))
    assert other.test_client().get("/api/v1/dossiers", headers=_bearer(token)).status_code == 401
    with other.app_context():
        db.engine.dispose()
