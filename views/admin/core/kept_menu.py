"""What every panel page draws the same way: made once, not on every page.

The menu, drawn once per kind of user rather than on every page.

Flask-Admin draws the menu on every page: for each of ~20 entries it asks whether the
user may open it and builds its URL. What it shows depends only on the user's roles
(with their grants' version, so a grid change shows on the next page), the kind of the
user's agency (handover directions), whether it is a counter tablet's account, the
language and the page's own entry.
"""

from flask import current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup

from i18n import current_language

KEPT_AT_MOST = 2000


def kept_menu(view, draw) -> Markup:
    """The menu of VIEW's page for the current user: DRAW() once per kind of user."""
    user = current_user._get_current_object()
    if not getattr(user, "is_authenticated", False):
        return draw()
    key = (
        view.endpoint,
        frozenset((role.id, role.grants_version) for role in user.roles),
        user.agency.kind if user.agency else None,
        user.kiosk_clerk_id is not None,  # a counter tablet sees its one screen only
        current_language(),
        request.script_root,
    )
    store = current_app.extensions.setdefault("kept_menus", {})
    if key not in store:
        if len(store) >= KEPT_AT_MOST:
            store.clear()
        store[key] = Markup(draw())  # noqa: S704  (drawn by Flask-Admin's autoescaping macro)
    return store[key]


def kept_static_url(endpoint: str, *args, **kwargs) -> str:
    """``url_for(ENDPOINT, ...)`` of a static file (the same on every page), made once."""
    key = (endpoint, args, tuple(sorted(kwargs.items())), request.script_root)
    store = current_app.extensions.setdefault("kept_static_urls", {})
    if key not in store:
        if len(store) >= KEPT_AT_MOST:
            store.clear()
        store[key] = url_for(endpoint, *args, **kwargs)
    return store[key]
