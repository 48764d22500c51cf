"""Configuration read from the environment, one class per environment."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'instance' / 'app.db'}"


class ConfigError(RuntimeError):
    """The environment does not allow the application to start safely."""


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL)
    # Heroku-style and bare postgres URLs name no driver; we ship psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Defaults shared by every environment."""

    APP_ENV = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # a token lives as long as the session
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
    DISPLAY_TIMEZONE = "Asia/Ho_Chi_Minh"
    RECEIPT_CUTOFF = os.environ.get("RECEIPT_CUTOFF", "15:00")
    # How many working days back a receipt may be dated (paper taken during an
    # outage is entered later); older ones need a supervisor and a reason.
    RECEIPT_BACKDATE_WORKING_DAYS = int(os.environ.get("RECEIPT_BACKDATE_WORKING_DAYS", "3"))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # How many reverse proxies (load balancer, nginx) stand in front of the app servers.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0") or 0)
    # Failed sign-ins allowed before a 15-minute pause (Flask-Limiter syntax).
    LOGIN_FAILURES_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_FAILURES_PER_ADDRESS = "30 per 15 minutes"
    # Public look-ups of a dossier code (page and API), per address.
    PUBLIC_LOOKUP_RATE_LIMIT = "30 per minute"
    RATELIMIT_HEADERS_ENABLED = False
    FLASK_ADMIN_SWATCH = "flatly"
    LIST_PAGE_SIZE = 25
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # no form or API body needs more
    API_TOKEN_HOURS = 8


class DevelopmentConfig(Config):
    """Local work on the embedded SQLite database."""


class TestingConfig(Config):
    """The test suite: a throw-away database given by the fixture."""

    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"


class ProductionConfig(Config):
    """The shared deployment: refuses to start without a real secret."""

    APP_ENV = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    def __init__(self) -> None:
        secret = os.environ.get("SECRET_KEY")
        if not secret:
            raise ConfigError(
                "SECRET_KEY must be set when APP_ENV=production "
                "(a long random string shared by every app server)."
            )
        self.SECRET_KEY = secret


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> Config:
    """The config object for APP_ENV (default development)."""
    env = os.environ.get("APP_ENV", "development")
    if env not in CONFIGS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {env!r}.")
    return CONFIGS[env]()
