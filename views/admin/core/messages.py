"""What a screen tells the user after a save: what was saved, or why nothing was."""

import logging

from flask import flash
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms.validators import ValidationError

from services.errors import ServiceError
from views.errors import is_outage

log = logging.getLogger("views.admin.core.base")


class MessagesMixin:
    """After a create or an edit, name the record: ``Đã thêm: 1.004477 — Cấp giấy phép…``.

    templates/admin/master.html drops Flask-Admin's "Record was successfully …" when a
    specific success message stands beside it. A screen with its own message overrides
    ``after_model_change`` (the receipt form does).
    """

    def after_model_change(self, form, model, is_created):
        if is_created:
            flash(_("Added: %(record)s.", record=str(model)), "success")
        else:
            flash(_("Saved the changes to %(record)s.", record=str(model)), "success")

    def handle_view_exception(self, exc):
        """Domain errors become the flashed message; database refusals a plain one;
        an unreachable database the 503 page (views/errors.py)."""
        if is_outage(exc):
            raise exc
        if isinstance(exc, ServiceError):
            flash(exc.message, "error")
            return True
        if isinstance(exc, IntegrityError):
            log.warning("integrity error on %s: %s", self.resource, exc.orig)
            flash(
                _(
                    "The record conflicts with another one (a code or name already used) "
                    "or lacks a required link. Nothing was saved."
                ),
                "error",
            )
            return True
        if isinstance(exc, ValidationError):  # a form error: Flask-Admin shows its message
            return super().handle_view_exception(exc)
        if isinstance(exc, DBAPIError | ValueError | OverflowError):
            log.warning("refused write on %s: %r", self.resource, exc)
            flash(
                _(
                    "The data could not be saved: a value is out of range or malformed. "
                    "Nothing was saved."
                ),
                "error",
            )
            return True
        if isinstance(exc, StaleDataError):
            flash(
                _(
                    "Someone else changed this record while you were editing it. "
                    "Nothing was saved; open it again to see their changes."
                ),
                "error",
            )
            return True
        return super().handle_view_exception(exc)
