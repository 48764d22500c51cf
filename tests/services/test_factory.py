"""The application factory and its configuration."""

import pytest
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.orm import Session

import app as app_module
from app import create_app
from config import ConfigError, ProductionConfig, config_from_env
from extensions import db
from services.reporting import facts
from tests.conftest import make_config


def test_module_has_no_app_object():
    assert not hasattr(app_module, "app"), "create_app must be the only way to get an app"


def test_testing_config_is_applied(app):
    assert app.testing
    assert app.config["APP_ENV"] == "testing"


def test_each_call_builds_an_independent_app(database_url, schema):
    first = create_app(make_config(database_url))
    second = create_app(make_config(database_url))
    assert first is not second
    assert first.extensions["admin"][0] is not second.extensions["admin"][0]


def test_the_factory_installs_the_daily_figures_on_the_app_s_session_once(database_url, schema):
    """Not at import on SQLAlchemy's global Session class: a session of another
    engine (services.audit.record_now's, a script's) counts nothing."""
    create_app(make_config(database_url))
    app = create_app(make_config(database_url))
    for name, listener in facts.LISTENERS:
        assert event.contains(db.session, name, listener)
        assert not event.contains(Session, name, listener)
    with app.app_context():
        after_flush = list(db.session().dispatch.after_flush)
        db.session.remove()
    assert after_flush.count(facts._keep_daily_figures) == 1


def test_factory_creates_no_tables(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    create_app(make_config(url))
    engine = create_engine(url)
    assert inspect(engine).get_table_names() == []
    engine.dispose()


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        config_from_env()


def test_production_with_secret_key_uses_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    config = ProductionConfig()
    assert config.SECRET_KEY == "a-long-random-production-secret"
    assert config.SESSION_COOKIE_SECURE is True


def test_unknown_app_env_is_refused(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(ConfigError, match="APP_ENV must be one of"):
        config_from_env()


def test_bare_postgres_url_gets_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/app")
    monkeypatch.setenv("APP_ENV", "development")
    from config import _database_url

    assert _database_url() == "postgresql+psycopg://u@db/app"


def test_session_cookie_is_httponly_and_lax(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_behind_a_trusted_proxy_the_client_address_is_the_forwarded_one(database_url, schema):
    from sqlalchemy import select

    from extensions import db
    from models import AuditEntry

    app = create_app(make_config(database_url, TRUSTED_PROXIES=1))
    client = app.test_client()
    client.post(
        "/login",
        data={"username": "nobody", "password": "x"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.ip_address == "203.0.113.7"
        db.session.delete(entry)
        db.session.commit()
        db.engine.dispose()


PG = "postgresql+psycopg://app@db.internal/mot_cua"


def test_behind_pgbouncer_nothing_is_prepared_and_no_startup_option_is_sent():
    from config import engine_options

    direct = engine_options({"SQLALCHEMY_DATABASE_URI": PG, "STATEMENT_TIMEOUT_MS": 15000})
    assert "statement_timeout=15000" in direct["connect_args"]["options"]
    assert "prepare_threshold" not in direct["connect_args"]
    pooled = engine_options(
        {
            "SQLALCHEMY_DATABASE_URI": PG,
            "STATEMENT_TIMEOUT_MS": 15000,
            "DATABASE_POOLER": "pgbouncer",
        }
    )
    assert pooled["connect_args"]["prepare_threshold"] is None
    assert "options" not in pooled["connect_args"]  # PgBouncer 1.18 refuses startup options
    with pytest.raises(ConfigError, match="DATABASE_POOLER"):
        engine_options({"SQLALCHEMY_DATABASE_URI": PG, "DATABASE_POOLER": "pgpool"})


def test_the_reports_replica_gets_read_only_transactions_and_its_own_engine(monkeypatch):
    from services.reporting import replica

    replica_url = "postgresql+psycopg://reports@replica.internal/mot_cua"
    monkeypatch.setenv("REPORTS_DATABASE_URL", "postgres://reports@replica.internal/mot_cua")
    from config import _database_url

    assert _database_url("REPORTS_DATABASE_URL", None) == replica_url
    app = create_app(make_config("sqlite://", REPORTS_DATABASE_URL=replica_url))
    options = app.config["REPORTS_ENGINE_OPTIONS"]["connect_args"]["options"]
    assert "default_transaction_read_only=on" in options
    assert "read_only" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})
    engine = app.extensions[replica.KEY].engine
    assert engine.url.host == "replica.internal" and engine.pool.checkedout() == 0
    assert "reports_replica" not in create_app(make_config("sqlite://")).extensions
