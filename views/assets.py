"""Static files under URLs that name their version: browsers keep them for a year and do
not ask again. A page names a dozen style sheets and scripts; with Flask's ``no-cache``
every page asked for each again (a dozen round trips through the app on a slow
government line, for 304s).

Every static URL the app makes gets ``v=`` the start of its file's SHA-256 (over
Flask-Admin's own ``v=``, its vendored library's version, which an upgrade may not
change), so a deploy that changes a file changes its URL. A URL without ``v=`` keeps
Flask's revalidation. In debug (``make run`` while editing) nothing is versioned.
"""

import hashlib
from pathlib import Path

from flask import request

#: How long a versioned file is kept: a year, and never asked for again (``immutable``).
KEPT = f"public, max-age={365 * 24 * 3600}, immutable"
_VERSIONS: dict[Path, str | None] = {}


def content_version(folder: str, filename: str) -> str | None:
    """The first 12 hex digits of FILENAME's SHA-256 (under FOLDER), read once per process;
    None when there is no such file (or it lies outside FOLDER)."""
    root = Path(folder).resolve()
    path = (root / filename).resolve()
    if path not in _VERSIONS:
        version = None
        if path.is_relative_to(root) and path.is_file():
            version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        _VERSIONS[path] = version
    return _VERSIONS[path]


def static_folder(app, endpoint: str) -> str | None:
    """The folder ENDPOINT (``static`` or ``<blueprint>.static``) serves, if it is one."""
    if endpoint == "static":
        return app.static_folder
    name, _dot, rest = endpoint.rpartition(".")
    blueprint = app.blueprints.get(name) if rest == "static" else None
    return blueprint.static_folder if blueprint is not None else None


def keep_versioned(response):
    """A static file asked for with ``v=``: kept for a year."""
    endpoint = request.endpoint or ""
    is_static = endpoint == "static" or endpoint.endswith(".static")
    if is_static and request.args.get("v") and response.status_code in (200, 304):
        response.headers["Cache-Control"] = KEPT
    return response


def init_assets(app) -> None:
    if app.debug:
        return

    @app.url_defaults
    def version_static(endpoint, values):
        if not values.get("filename") or not endpoint.endswith("static"):
            return
        folder = static_folder(app, endpoint)
        version = folder and content_version(folder, values["filename"])
        if version:
            values["v"] = version

    app.after_request(keep_versioned)
