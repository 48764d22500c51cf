"""Application factory: ``flask --app app ...`` finds create_app here."""

from flask import Flask
from flask_babel import get_translations
from werkzeug.middleware.proxy_fix import ProxyFix

import i18n
from config import ConfigError, config_from_env, engine_options, instance_secret_key
from extensions import babel, csrf, db, keep_prepared_statements, limiter, login_manager, migrate


def create_app(config=None, instance_path: str | None = None) -> Flask:
    """Build an app from CONFIG (an object or dict), else from the environment.

    INSTANCE_PATH (default ``instance/``) holds the generated SECRET_KEY when none is set.
    """
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    register_config(app, config)
    register_proxy(app)
    register_extensions(app)
    register_i18n(app)
    register_blueprints(app)
    register_admin(app)
    register_errorhandlers(app)
    register_security(app)
    register_cli(app)
    register_outbox(app)
    return app


def register_config(app: Flask, config) -> None:
    app.config.from_object(config_from_env() if config is None else config)
    if isinstance(config, dict):
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        if app.config.get("APP_ENV") == "production":
            raise ConfigError("SECRET_KEY must be set when APP_ENV=production.")
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    if app.config.get("REPORTS_DATABASE_URL"):  # before the primary's options replace the raw
        app.config["REPORTS_ENGINE_OPTIONS"] = engine_options(
            app.config, app.config["REPORTS_DATABASE_URL"], read_only=True
        )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)


def register_proxy(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client address from X-Forwarded-For
    (per-address sign-in limits and the audit log need the real one)."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app: Flask) -> None:
    import models  # noqa: F401  (every table on the metadata, for Alembic)
    from services.integration import listener
    from services.reporting import facts, replica

    db.init_app(app)
    facts.install(db.session)  # the daily figures kept with every flush of the app's session
    listener.install(db.session)  # the outbox rows of every history row and parcel event
    with app.app_context():
        if not app.config.get("DATABASE_POOLER"):  # behind a pooler nothing is prepared
            keep_prepared_statements(db.engine)
    replica.init_app(app)  # REPORTS_DATABASE_URL: the report pages' own engine
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    csrf.init_app(app)
    limiter.init_app(app)


def register_i18n(app: Flask) -> None:
    i18n.compile_catalogues()
    i18n.correct_admin_catalogue()
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        timezone_selector=lambda: "Asia/Ho_Chi_Minh",
    )
    # The templates' _() remembers each text's translation per language (Flask-Babel's
    # looks it up again, through the request's locale, every time a page asks).
    translate = i18n.remembered(lambda text: get_translations().ugettext(text))
    app.jinja_env.install_gettext_callables(
        gettext=translate,
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals["_"] = i18n.template_gettext(translate)
    app.jinja_env.filters.update(
        local_datetime=i18n.local_datetime, local_date=i18n.local_date, vnd=i18n.vnd
    )
    app.jinja_env.globals.update(current_language=i18n.current_language)
    from views.labels import register_filters

    register_filters(app)


def register_blueprints(app: Flask) -> None:
    from views.api import register_api
    from views.print import bp as print_bp
    from views.public import bp as public_bp
    from views.rating import bp as rating_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(rating_bp)
    app.register_blueprint(print_bp)
    register_api(app)


def register_admin(app: Flask) -> None:
    from views.admin import register_admin as build_admin

    build_admin(app)


def register_errorhandlers(app: Flask) -> None:
    from views.errors import register_error_pages

    register_error_pages(app)


def register_security(app: Flask) -> None:
    from views.api.errors import refuse_request
    from views.assets import init_assets
    from views.errors import error_page
    from views.files import init_upload_limits
    from views.guard import init_guard
    from views.security import init_security

    init_guard(app, api_error=refuse_request, page_error=error_page)
    init_upload_limits(app)  # before the gate, which reads the body
    init_security(app)
    init_assets(app)


def register_cli(app: Flask) -> None:
    from cli import register_commands

    register_commands(app)


def register_outbox(app: Flask) -> None:
    """Without RQ_REDIS_URL, the app process delivers the outbox itself (from its first
    request, so that CLI commands and the gunicorn master start no thread)."""
    from services.integration import workers
    from services.integration.sinks import enabled_sinks

    if not app.config.get("OUTBOX_IN_PROCESS") or app.config.get("RQ_REDIS_URL"):
        return  # the relay and RQ workers deliver (a loop here too would be safe, not needed)
    if not enabled_sinks(app.config):
        return

    @app.before_request
    def start_outbox_loop():
        if "outbox_loop" not in app.extensions:  # started once; later requests only look
            workers.start_loop(app)
