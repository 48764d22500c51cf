"""Application factory: ``flask --app app ...`` finds create_app here."""

from flask import Flask, flash, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

import i18n
from config import config_from_env
from extensions import babel, csrf, db, limiter, login_manager, migrate
from services.auth import TOO_MANY_ATTEMPTS


def create_app(config=None) -> Flask:
    """Build an app from CONFIG (an object or dict), else from the environment."""
    app = Flask(__name__, instance_relative_config=True)
    register_config(app, config)
    register_proxy(app)
    register_extensions(app)
    register_i18n(app)
    register_blueprints(app)
    register_admin(app)
    register_errorhandlers(app)
    register_security(app)
    register_cli(app)
    return app


def register_config(app: Flask, config) -> None:
    app.config.from_object(config_from_env() if config is None else config)
    if isinstance(config, dict):
        app.config.update(config)


def register_proxy(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client address from X-Forwarded-For
    (per-address sign-in limits and the audit log need the real one)."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_extensions(app: Flask) -> None:
    import models  # noqa: F401  (every table on the metadata, for Alembic)

    db.init_app(app)
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
    app.jinja_env.filters.update(
        local_datetime=i18n.local_datetime, local_date=i18n.local_date, vnd=i18n.vnd
    )
    app.jinja_env.globals.update(current_language=i18n.current_language)


def register_blueprints(app: Flask) -> None:
    from views.api import register_api
    from views.public import bp as public_bp

    app.register_blueprint(public_bp)
    register_api(app)


def register_admin(app: Flask) -> None:
    from views.admin import register_admin as build_admin

    build_admin(app)


def register_errorhandlers(app: Flask) -> None:
    def error_page(status: int, title: str, message: str):
        return render_template(
            "errors/error.html", status=status, title=title, message=message
        ), status

    @app.errorhandler(403)
    def forbidden(_error):
        return error_page(
            403, _("Access denied"), _("Your account is not allowed to open this page.")
        )

    @app.errorhandler(404)
    def not_found(_error):
        return error_page(
            404,
            _("Not found"),
            _("The page or record does not exist, or you may not see it."),
        )

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return error_page(
            400,
            _("Form expired"),
            _("The form's security token is missing or has expired. Reload and try again."),
        )

    @app.errorhandler(413)
    def too_large(_error):
        return error_page(413, _("Too much data"), _("The form or file sent is too large."))

    @app.errorhandler(429)
    def too_many(_error):
        if request.path == "/login":
            flash(TOO_MANY_ATTEMPTS, "error")
            return render_template("auth/login.html", next=request.values.get("next")), 429
        return error_page(429, _("Too many requests"), _("Please wait a moment and try again."))

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return error_page(
            500,
            _("System error"),
            _("Something went wrong; nothing was saved. Please try again."),
        )


def register_security(app: Flask) -> None:
    from views.security import init_security

    init_security(app)


def register_cli(app: Flask) -> None:
    from cli import register_commands

    register_commands(app)
