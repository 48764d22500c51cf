"""Response headers that keep the panel out of frames, sniffers and injected scripts."""

import secrets

from flask import g
from flask_wtf.csrf import generate_csrf

from services.accounts.passwords import limit_concurrent_checks

CSP = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; "
    "font-src 'self' data:; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)


def csp_nonce() -> str:
    """This response's script nonce (Flask-Admin puts it on its inline scripts)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def page_csrf_token() -> str:
    """The templates' ``csrf_token()``: Flask-WTF's token, asked of it once per request
    (the same token every time; a page has several forms, and each ask reads the
    settings again)."""
    if "page_csrf_token" not in g:
        g.page_csrf_token = generate_csrf()
    return g.page_csrf_token


def add_security_headers(response):
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = CSP.format(nonce=csp_nonce())
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_security(app) -> None:
    limit_concurrent_checks(
        app.config["PASSWORD_CHECKS_AT_ONCE"], app.config["PASSWORD_CHECK_WAIT_SECONDS"]
    )
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.globals["csrf_token"] = page_csrf_token  # over Flask-WTF's
