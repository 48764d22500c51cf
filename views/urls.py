"""Which redirect targets are safe to follow, and the public addresses printed on paper."""

from urllib.parse import urlencode, urlsplit

from flask import current_app, request, url_for


def is_local_path(target: str | None) -> bool:
    """True for a path on this site (``/admin/x?y``), never another host or scheme."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target


def back_target(default: str) -> str:
    """Where a screen goes back to after a refused action: the form's ``url`` or the page the
    request came from, as a path on this site only; else DEFAULT. (The Referer and the Host
    are the client's to forge: never another host.)"""
    target = request.values.get("url")
    if is_local_path(target):
        return target
    referrer = urlsplit(request.referrer or "")
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return path if is_local_path(path) else default


def public_url(endpoint: str, **values) -> str:
    """The absolute address of ENDPOINT as citizens reach it: PUBLIC_BASE_URL, never the
    request's Host header (which a client may set to anything)."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    path = url_for(endpoint)
    query = urlencode(values)
    return f"{base}{path}" + (f"?{query}" if query else "")
