"""Discover every HTML screen a signed-in user may open, from the app's URL map.

Nothing here lists screens by name: a new list, details, create or custom page
(a GET route without URL arguments, answering HTML) is found and visited by
the browser tests as soon as it is registered. Screens that need a record
(``?id=``) get the first one their list shows the user; screens with URL
arguments (print pages) are found through the links of the screens visited.
"""

import re
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

# Routes that are not screens: files, JSON look-ups, downloads, health.
NOT_SCREENS = re.compile(r"^(static|admin\.static|api\.|auth\.(healthz|root|logout|set_language))")
NOT_SCREEN_METHODS = (
    "ajax_lookup",
    "ajax_update",
    "export",
    "procedure_info_view",
    "wards_view",
    "reuse_offers_view",  # JSON for the receipt form
    "file_view",  # a PDF, streamed
)
FIRST_ID = re.compile(r"[?&;]id=(\d+)")


def candidate_rules(app: Flask):
    """GET rules without URL arguments that may answer an HTML page, sorted by path."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.arguments:
            continue
        if NOT_SCREENS.match(rule.endpoint) or rule.endpoint.endswith(NOT_SCREEN_METHODS):
            continue
        yield rule


def _html(response) -> bool:
    return response.status_code == 200 and response.mimetype == "text/html"


def _first_id(client: FlaskClient, rule, app: Flask) -> str | None:
    """The first record id the user sees in the list of RULE's view, if there is one."""
    view = rule.endpoint.rsplit(".", 1)[0]
    index = f"{view}.index_view"
    if index not in app.view_functions:
        return None
    with app.test_request_context():
        from flask import url_for

        list_url = url_for(index)
    response = client.get(list_url)
    found = FIRST_ID.search(response.get_data(as_text=True)) if _html(response) else None
    return found.group(1) if found else None


def screens_of(app: Flask, client: FlaskClient) -> dict[str, str]:
    """Endpoint → URL of every HTML screen CLIENT's signed-in user may open."""
    screens = {}
    for rule in candidate_rules(app):
        if _html(client.get(rule.rule)):
            screens[rule.endpoint] = rule.rule
            continue
        record = _first_id(client, rule, app)
        if record and _html(client.get(f"{rule.rule}?id={record}")):
            screens[rule.endpoint] = f"{rule.rule}?id={record}"
    return screens


def linked_screens(app: Flask, hrefs, known) -> dict[str, str]:
    """Endpoint → URL of the pages with URL arguments that HREFS link to, one per endpoint
    not in KNOWN (a print page linked from a details page, say)."""
    adapter = app.url_map.bind("localhost")
    found = {}
    for href in hrefs:
        parts = urlsplit(href or "")
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        try:
            endpoint, arguments = adapter.match(parts.path, method="GET")
        except HTTPException:
            continue
        not_screen = NOT_SCREENS.match(endpoint) or endpoint.endswith(NOT_SCREEN_METHODS)
        if arguments and endpoint not in known and not not_screen:
            found.setdefault(endpoint, href)
    return found
