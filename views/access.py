"""Who may open a screen: the one gate for model screens, other panel screens and print pages.

Not signed in: to the login page, coming back after. Signed in but not allowed: 403.
Signed in with a password change due: to the password page first.
"""

from functools import wraps

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

import permissions


def deny():
    """Anonymous: to the login page, coming back here after. Signed in: 403."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return abort(403)


def password_change_due():
    """A redirect to the password page while the user must change the password."""
    if current_user.is_authenticated and current_user.must_change_password:
        flash(_("Please choose a new password before you continue."), "warning")
        return redirect(url_for("auth.change_password"))
    return None


def gate(resource: str, action: str | None):
    """None when the current user may do ACTION on RESOURCE now, else the answer to give.

    ACTION None means a route nobody mapped to an action: closed, not open.
    """
    if not current_user.is_authenticated:
        return deny()
    if action is None:
        return deny()
    allowed = permissions.can(current_user, resource, "view") and permissions.can(
        current_user, resource, action
    )
    if not allowed:
        return deny()
    return password_change_due()


def requires(resource: str, action: str = "view"):
    """Decorate a blueprint route (print pages…) with the panel's gate for RESOURCE/ACTION.

    Row scope stays the route's job: load the record through ``permissions.scope``
    and answer 404 when it is not there, as the panel's details pages do.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            answer = gate(resource, action)
            if answer is not None:
                return answer
            return view(*args, **kwargs)

        wrapped.access = (resource, action)  # read by the access-matrix test
        return wrapped

    return decorate
