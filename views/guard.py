"""One gate before every route: control characters are refused at the door.

Lone UTF-16 surrogates (``"\\ud800"`` in JSON, half of a character) count as such: no
encoder can write them, so the database or an export would fail on them.

A NUL byte reaches PostgreSQL as an error (it cannot be stored in text); other
control characters have no business in a form or a search. A path holding one
names nothing and answers 404 (JSON in the API). In the panel a query parameter
(name or value), a form field or a JSON string holding one answers 400 with the
error page, model forms included (their validators, a uniqueness check for one,
query the database before any field check could run). In the API this gate
answers for query parameters (the JSON envelope naming them); JSON bodies are
checked field by field by views/api/inputs.py, which names every offender with
the other mistakes. Tab, line feed and carriage return stay allowed.
"""

import functools
import re

from flask import abort, request
from flask_babel import gettext as _

# Control characters, and lone UTF-16 surrogates (JSON's "\ud800"): no encoder writes
# them to the database or a file, so they would end as a 500.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
API_MESSAGE = "Tham số truy vấn có ký tự điều khiển (như NUL); hãy bỏ chúng rồi gửi lại."
FIELD_MESSAGE = "Không được chứa ký tự điều khiển (như NUL) hay ký tự Unicode lỗi (như \\ud800)."
MAX_DEPTH = 64


def has_control(value, depth: int = 0) -> bool:
    """Does VALUE (a string, or JSON made of lists and dicts) hold a forbidden character?"""
    if isinstance(value, str):
        return FORBIDDEN.search(value) is not None
    if depth > MAX_DEPTH:
        return False  # the API's own nesting limit answers such a body
    if isinstance(value, dict):
        return any(has_control(k) or has_control(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(has_control(v, depth + 1) for v in value)
    return False


def offending_names(values) -> list[str]:
    """The names in a MultiDict whose name or any value holds a forbidden character."""
    return sorted(
        {
            str(k.encode("unicode_escape"), "ascii") if has_control(k) else k
            for k, v in values.items(multi=True)
            if has_control(k) or has_control(v)
        }
    )


def _json_has_control() -> bool:
    try:
        return has_control(request.get_json(silent=True))
    except RecursionError:  # nested deeper than the parser goes: not our question
        return False


def panel_request_has_control() -> bool:
    """Does this request carry a control character in its query, form or JSON?"""
    if offending_names(request.args):
        return True
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return bool(offending_names(request.form))
    return request.is_json and _json_has_control()


def refuse_control_characters(api_error, page_error):
    """The before-request hook: 404 for such a path (it names nothing), else 400.

    API_ERROR(status, fields) answers the API's JSON; PAGE_ERROR(status, title, message)
    the panel's page: the app factory hands them in, so the gate imports neither wing.
    """
    api = request.path.startswith("/api/")
    if has_control(request.path):
        return api_error(404, {}) if api else abort(404)
    if api:
        bad = offending_names(request.args)
        return api_error(400, dict.fromkeys(bad, FIELD_MESSAGE)) if bad else None
    if not panel_request_has_control():
        return None
    return page_error(
        400,
        _("Invalid characters"),
        _(
            "The request contains control characters (such as NUL) that cannot be "
            "accepted. Remove them and try again."
        ),
    )


def init_guard(app, api_error, page_error) -> None:
    """Run the gate first, before sign-in limits and views see the request."""
    hook = functools.partial(refuse_control_characters, api_error, page_error)
    app.before_request_funcs.setdefault(None, []).insert(0, hook)
