"""Error pages of the panel and the public pages (the API answers JSON errors of its own)."""

import logging

from flask import Flask, flash, g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from extensions import db, login_manager
from services.accounts.auth import TOO_MANY_ATTEMPTS

log = logging.getLogger(__name__)

#: The database is unreachable, refused the connection, dropped it, or cancelled a statement
#: that ran past STATEMENT_TIMEOUT_MS; no pooled connection came free in time.
OUTAGE_ERRORS = (OperationalError, InterfaceError, PoolTimeout)
RETRY_AFTER_SECONDS = 30


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def forget_session() -> None:
    """Roll the request's transaction back; on a dead connection that may itself fail."""
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool replaces it (pre-ping)
        log.debug("rollback failed during an outage", exc_info=True)


def error_page(status: int, title: str, message: str):
    """The error template with STATUS, for handlers and views alike."""
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_pages(app: Flask) -> None:
    """The Vietnamese error page for 403, 404, 413, 429, 500 and an expired CSRF token."""

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

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def unavailable(error):
        return outage_page(error)

    @app.errorhandler(500)
    def server_error(error):
        if is_outage(getattr(error, "original_exception", None)):
            return outage_page(error.original_exception)
        db.session.rollback()
        return error_page(
            500,
            _("System error"),
            _("Something went wrong; nothing was saved. Please try again."),
        )


def outage_page(error):
    """503 while the database is unreachable: nothing was saved, try again shortly."""
    forget_session()
    # Flask-Login would ask the database for the user again to put it in the template.
    g._login_user = login_manager.anonymous_user()
    log.warning("database unavailable on %s %s: %s", request.method, request.path, error)
    body, status = error_page(
        503,
        _("Service temporarily unavailable"),
        _(
            "The database cannot be reached at the moment; nothing was saved. "
            "Please try again in a few minutes."
        ),
    )
    return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}
