"""Configuration read from the environment, one class per environment."""

import os
import secrets
import tempfile
from pathlib import Path

from sqlalchemy import make_url

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'instance' / 'app.db'}"


class ConfigError(RuntimeError):
    """The environment does not allow the application to start safely."""


def _database_url(name: str = "DATABASE_URL", default: str | None = DEFAULT_SQLITE_URL):
    url = os.environ.get(name) or default
    if url is None:
        return None
    # Heroku-style and bare postgres URLs name no driver; we ship psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Defaults shared by every environment."""

    APP_ENV = "development"
    # Unset: the installation's own random key (instance_secret_key), never a constant.
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = _database_url()
    # pool_pre_ping: a connection the database dropped (restart, fail-over) is replaced
    # before use, so the app recovers by itself once the database is back.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL only: give up connecting after this many seconds, and cancel any statement
    # running longer than STATEMENT_TIMEOUT_MS (0 = no limit) so that none holds a worker.
    DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT") or 5)
    STATEMENT_TIMEOUT_MS = int(os.environ.get("STATEMENT_TIMEOUT_MS") or 15_000)
    # PostgreSQL only: helper processes per query. Starting them costs ~10 ms, more than a
    # page's whole query, and takes cores from other requests: none for the panel's short
    # reads (a server for heavy reports may set more).
    PARALLEL_WORKERS_PER_QUERY = os.environ.get("PARALLEL_WORKERS_PER_QUERY", "0")
    # "pgbouncer": the app reaches PostgreSQL through PgBouncer in transaction pooling mode
    # (README "Deploy"): no server-side prepared statements (PgBouncer < 1.21 cannot keep
    # them) and no startup options (it refuses them): give statement_timeout and
    # max_parallel_workers_per_gather to the pool's connect_query or ALTER ROLE ... SET.
    DATABASE_POOLER = (os.environ.get("DATABASE_POOLER") or "").strip().lower()
    # A read replica (optional) for the dashboard, reports, periodic report, scorecard,
    # tracking book and summary API (services/reporting/replica.py). Past REPORTS_MAX_LAG_S
    # seconds of lag, or down, those read the primary and say so; the replica's state is
    # looked at once per REPORTS_LAG_CHECK_S seconds in each process.
    REPORTS_DATABASE_URL = _database_url("REPORTS_DATABASE_URL", None)
    # PostgreSQL only: a word search in the dossier list reads the newest quarters holding
    # about this many dossiers (services/dossiers/search.py: recent_window), so its time
    # stays flat as years pile up; one click searches every quarter. 0: always every one.
    SEARCH_WINDOW_ROWS = int(os.environ.get("SEARCH_WINDOW_ROWS") or 1_000_000)
    REPORTS_MAX_LAG_S = float(os.environ.get("REPORTS_MAX_LAG_S") or 60)
    REPORTS_LAG_CHECK_S = float(os.environ.get("REPORTS_LAG_CHECK_S") or 5)
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
    # No receipt dated further back than this, whoever enters it (a closed period stays closed).
    RECEIPT_BACKDATE_MAX_DAYS = int(os.environ.get("RECEIPT_BACKDATE_MAX_DAYS", "60"))
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Redis unreachable: limits are counted in each process's memory meanwhile (a warning
    # is logged) and nothing fails; short socket timeouts keep a hung Redis from stalling.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # Several deployments sharing one Redis keep their counters apart with a prefix.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "")
    # How many reverse proxies (load balancer, nginx) stand in front of the app servers.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0") or 0)
    # Failed sign-ins allowed from one address (Flask-Limiter syntax); per account the
    # lock of services/accounts/auth.py holds (5 failures, then 15 minutes).
    LOGIN_FAILURES_PER_ADDRESS = "30 per 15 minutes"
    # Public look-ups of a dossier code (page and API), per address.
    PUBLIC_LOOKUP_RATE_LIMIT = "30 per minute"
    PUBLIC_RATING_RATE_LIMIT = "30 per minute"  # the rating page behind the printed QR code
    RATELIMIT_HEADERS_ENABLED = False
    FLASK_ADMIN_SWATCH = "flatly"
    LIST_PAGE_SIZE = 25
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024  # no form or API body needs more
    API_TOKEN_HOURS = 8
    # The address citizens use: printed look-up links and QR codes are built from it,
    # never from the request's Host header.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"
    # A panel session ends on the server after this long without a request, and after
    # this long in all, whatever it does meanwhile (views/public.py, load_user).
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES") or 60)
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS") or 12)
    # Password checks at once per app process (each takes ~64 MiB), and how long
    # a sign-in waits for a free one before it is answered "busy" (503).
    PASSWORD_CHECKS_AT_ONCE = int(os.environ.get("PASSWORD_CHECKS_AT_ONCE", "4") or 4)
    PASSWORD_CHECK_WAIT_SECONDS = 10.0
    # Parcels out for delivery or failed for this many working days are flagged.
    DELIVERY_STUCK_WORKING_DAYS = 3
    # A parcel's timeline holds at most this many events; the feed's further ones are refused.
    DELIVERY_MAX_EVENTS = int(os.environ.get("DELIVERY_MAX_EVENTS", "200") or 200)
    # Events per feed batch: the postal system's account (holding FEED_SYSTEM_ROLE and no
    # staff role, see README) may send FEED_BATCH_MAX; a person's account FEED_HUMAN_BATCH_MAX.
    FEED_SYSTEM_ROLE = os.environ.get("FEED_SYSTEM_ROLE", "postal_feed")
    FEED_BATCH_MAX = 1000
    FEED_HUMAN_BATCH_MAX = int(os.environ.get("FEED_HUMAN_BATCH_MAX", "100") or 100)
    # A tracking book or report download longer than this many days is made by the workers
    # (services/reporting/exports.py) and offered when ready; finished files are kept this long.
    EXPORT_INLINE_MAX_DAYS = int(os.environ.get("EXPORT_INLINE_MAX_DAYS", "31") or 31)
    EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7") or 7)
    # Each carrier's webhook secret, from CARRIER_WEBHOOK_SECRET_<CARRIER> (e.g. ..._EMS);
    # a carrier without one answers 404. Bodies above the cap answer 413.
    CARRIER_WEBHOOK_SECRETS = {
        name.removeprefix("CARRIER_WEBHOOK_SECRET_").lower(): value
        for name, value in os.environ.items()
        if name.startswith("CARRIER_WEBHOOK_SECRET_") and value
    }
    CARRIER_WEBHOOK_MAX_BYTES = int(os.environ.get("CARRIER_WEBHOOK_MAX_BYTES", "16384") or 16384)
    # "later": each call is stored with the outbox row that applies it, and the outbox workers
    # apply the calls in batches; "inline": also applied in its own request, once stored.
    CARRIER_WEBHOOK_APPLY = os.environ.get("CARRIER_WEBHOOK_APPLY", "later") or "later"
    POSTAGE_HOME_PROVINCE = 19  # the post office's province (Thái Nguyên)
    # The outbox (services/integration): with a Redis, `flask outbox relay` and
    # `flask outbox worker` deliver; without one, the app process does it itself.
    RQ_REDIS_URL = os.environ.get("RQ_REDIS_URL") or None
    RQ_QUEUE = os.environ.get("RQ_QUEUE") or "outbox"
    OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS") or 120)
    OUTBOX_BACKOFF_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_SECONDS") or 30)
    OUTBOX_IN_PROCESS = True  # deliver from the app process when there is no Redis
    # The national portal sink: off unless PORTAL_URL is set; secrets only from the environment.
    PORTAL_URL = os.environ.get("PORTAL_URL") or None
    PORTAL_UNIT_CODE = os.environ.get("PORTAL_UNIT_CODE") or ""
    PORTAL_USERNAME = os.environ.get("PORTAL_USERNAME") or ""
    PORTAL_PASSWORD = os.environ.get("PORTAL_PASSWORD") or ""
    PORTAL_TIMEOUT_SECONDS = float(os.environ.get("PORTAL_TIMEOUT_SECONDS") or 15)
    # Messages to applicants (services/integration/notify): each provider unconfigured runs
    # in development mode (records what it would send); secrets only from the environment.
    SMTP_URL = os.environ.get("SMTP_URL") or None  # smtp://user:pass@host:587, smtps://…
    MAIL_FROM = os.environ.get("MAIL_FROM") or "no-reply@localhost"
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL") or None
    SMS_USERNAME = os.environ.get("SMS_USERNAME") or ""
    SMS_PASSWORD = os.environ.get("SMS_PASSWORD") or ""
    SMS_BRANDNAME = os.environ.get("SMS_BRANDNAME") or ""
    ZALO_ZNS_URL = os.environ.get("ZALO_ZNS_URL") or None
    ZALO_ACCESS_TOKEN = os.environ.get("ZALO_ACCESS_TOKEN") or ""
    NOTIFY_TIMEOUT_SECONDS = float(os.environ.get("NOTIFY_TIMEOUT_SECONDS") or 10)
    NOTIFY_CENTER_PHONE = os.environ.get("NOTIFY_CENTER_PHONE") or "02083856789"
    SMS_QUIET_HOURS = os.environ.get("SMS_QUIET_HOURS", "21:00-07:00")  # local; empty: none
    SMS_PER_PHONE_PER_HOUR = int(os.environ.get("SMS_PER_PHONE_PER_HOUR") or 5)
    NOTIFICATION_LOG_DAYS = int(os.environ.get("NOTIFICATION_LOG_DAYS") or 365)
    # Digitized files (services/digitization): where they are kept — file:// (empty: under
    # instance/files) or s3://bucket/prefix on any S3-compatible store — and the door's rules.
    FILE_STORAGE_URL = os.environ.get("FILE_STORAGE_URL", "")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
    # Years an S3 object is kept under Object Lock (COMPLIANCE) where the bucket has it on.
    FILE_RETENTION_YEARS = int(os.environ.get("FILE_RETENTION_YEARS", "10") or 10)
    UPLOAD_MAX_MB = int(os.environ.get("UPLOAD_MAX_MB", "25") or 25)
    # Pixels an uploaded image may hold (width × height): beyond is a decompression bomb.
    UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", "150000000") or 150_000_000)
    CLAMD_URL = os.environ.get("CLAMD_URL") or None  # tcp://host:3310 or unix:///path
    # Seconds clamd may take on one step (connect, send, answer) before the upload is refused.
    CLAMD_TIMEOUT_S = float(os.environ.get("CLAMD_TIMEOUT_S", "30") or 30)
    # The PKCS#12 that signs digitized copies (the center's seal or the officer's).
    SIGNING_P12_PATH = os.environ.get("SIGNING_P12_PATH") or None
    SIGNING_P12_PASSWORD = os.environ.get("SIGNING_P12_PASSWORD") or None
    # PEM file of the CA certificates whose signatures a result PDF may carry.
    SIGNING_TRUST_ROOTS = os.environ.get("SIGNING_TRUST_ROOTS") or None


class DevelopmentConfig(Config):
    """Local work on the embedded SQLite database."""


class TestingConfig(Config):
    """The test suite: a throw-away database given by the fixture."""

    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = secrets.token_hex(32)  # a fresh key per test run, never a known one
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"
    OUTBOX_IN_PROCESS = False  # a test that wants the loop asks for it
    PORTAL_URL = None
    SMTP_URL = SMS_GATEWAY_URL = ZALO_ZNS_URL = None
    SMS_QUIET_HOURS = ""  # a test about quiet hours sets its own window
    RQ_REDIS_URL = None
    # Digitized files of a test run go to a fresh folder under the system's temp, never to
    # instance/ (a test that needs S3 or its own folder sets its own).
    FILE_STORAGE_URL = "file://" + str(
        Path(tempfile.gettempdir()) / f"mot-cua-test-files-{secrets.token_hex(4)}"
    )
    REPORTS_DATABASE_URL = None  # a test that wants a replica starts one


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


SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)


def instance_secret_key(instance_path: str) -> str:
    """This installation's own key, made at random on first start and kept in INSTANCE_PATH.

    The file is created exclusively (mode 0600), so app servers started together on
    one installation agree on the first key written; instance/ is not in git.
    """
    path = Path(instance_path) / SECRET_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise ConfigError(f"{path} holds no usable key; delete it to make a new one.") from None
        return key
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip()


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


POOLERS = ("", "pgbouncer")


def engine_options(config, url: str | None = None, read_only: bool = False) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS of CONFIG for URL (default the primary's), with PostgreSQL's
    connect and statement timeouts, READ_ONLY transactions (the replica's), and no
    server-side prepared statements behind a pooler."""
    url = str(url or config.get("SQLALCHEMY_DATABASE_URI", ""))
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if not url.startswith("postgresql"):
        return options
    pooler = config.get("DATABASE_POOLER") or ""
    if pooler not in POOLERS:
        raise ConfigError(f"DATABASE_POOLER must be empty or pgbouncer, not {pooler!r}.")
    connect_args = dict(options.get("connect_args") or {})
    connect_args.setdefault("connect_timeout", int(config.get("DATABASE_CONNECT_TIMEOUT") or 5))
    if pooler:  # transaction pooling: each transaction may run on another server connection
        connect_args["prepare_threshold"] = None
        options["connect_args"] = connect_args
        return options
    settings = []
    timeout = int(config.get("STATEMENT_TIMEOUT_MS") or 0)
    if timeout > 0:
        settings.append(f"-c statement_timeout={timeout}")
    parallel = config.get("PARALLEL_WORKERS_PER_QUERY")
    if parallel is not None and str(parallel) != "":
        settings.append(f"-c max_parallel_workers_per_gather={int(parallel)}")
    if read_only:
        settings.append("-c default_transaction_read_only=on")
    if settings and "options" not in connect_args:  # kept beside the URL's own options
        url_options = make_url(url).query.get("options", "")
        connect_args["options"] = " ".join([url_options, *settings]).strip()
    options["connect_args"] = connect_args
    return options


def config_from_env() -> Config:
    """The config object for APP_ENV (default development)."""
    env = os.environ.get("APP_ENV", "development")
    if env not in CONFIGS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {env!r}.")
    return CONFIGS[env]()
