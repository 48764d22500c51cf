"""Error pages of the panel and the public pages (the API answers JSON errors of its own)."""

from flask import Flask, flash, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from extensions import db
from services.auth import TOO_MANY_ATTEMPTS


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

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return error_page(
            500,
            _("System error"),
            _("Something went wrong; nothing was saved. Please try again."),
        )
