"""What a screen tells the user after a save: what was saved, or why nothing was."""

import logging

from flask import flash
from flask_admin.babel import gettext as admin_gettext
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms.validators import ValidationError

from services.errors import ServiceError
from views.errors import is_outage
from views.labels import RECORD_KIND

log = logging.getLogger("views.admin.core.base")


#: Flask-Admin's messages that say "record", and what we say instead (KIND names the record).
GENERIC = {
    "Record was successfully created.": lambda kind: _("Added the %(kind)s.", kind=kind),
    "Record was successfully saved.": lambda kind: _("Saved the %(kind)s.", kind=kind),
    "Failed to create record.": lambda kind: _(
        "The %(kind)s was not added: correct the fields marked in red.", kind=kind
    ),
    "Failed to save record.": lambda kind: _(
        "The %(kind)s was not saved: correct the fields marked in red.", kind=kind
    ),
}
#: The same with a reason after them.
GENERIC_WITH_ERROR = {
    "Failed to create record. %(error)s": lambda kind, error: _(
        "The %(kind)s was not added: %(error)s", kind=kind, error=error
    ),
    "Failed to update record. %(error)s": lambda kind, error: _(
        "The %(kind)s was not saved: %(error)s", kind=kind, error=error
    ),
    "Failed to delete record. %(error)s": lambda kind, error: _(
        "The %(kind)s was not deleted: %(error)s", kind=kind, error=error
    ),
}


class MessagesMixin:
    """After a create or an edit, name the record and its kind:
    ``Đã lưu hồ sơ 000.00.15.H55-260301-0001.``

    templates/admin/master.html drops Flask-Admin's "Record was successfully …" when a
    specific success message stands beside it, and has its other "record" messages said
    with the kind of record (``named_message``). A screen with its own message overrides
    ``after_model_change`` (the receipt form does); one whose rows have no readable
    ``str()`` overrides ``record_name``.
    """

    def record_kind(self) -> str:
        """What one row of this screen is called: ``hồ sơ``, ``tài khoản``."""
        return str(RECORD_KIND.get(getattr(self, "resource", ""), _("record")))

    def record_name(self, model) -> str:
        return str(model)

    def after_model_change(self, form, model, is_created):
        kind, name = self.record_kind(), self.record_name(model)
        if is_created:
            flash(_("Added %(kind)s %(record)s.", kind=kind, record=name), "success")
        else:
            flash(_("Saved %(kind)s %(record)s.", kind=kind, record=name), "success")

    def named_message(self, message) -> str:
        """MESSAGE, or Flask-Admin's generic "record" message said with the record's kind."""
        text = str(message)
        for msgid, say in GENERIC.items():
            if text == admin_gettext(msgid):
                return say(self.record_kind())
        for msgid, say in GENERIC_WITH_ERROR.items():
            start = admin_gettext(msgid, error="")
            if start and text.startswith(start):
                return say(self.record_kind(), text[len(start) :].strip())
        return message

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
