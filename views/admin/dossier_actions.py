"""The dossier's details page: its timeline and the workflow actions, wired to services."""

from datetime import date, datetime, time

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

import permissions
from extensions import db
from i18n import local_datetime
from services import workflow
from services.calendar import LOCAL_TZ
from services.errors import ServiceError, ValidationFailed
from views import labels


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise ValidationFailed("Ngày không hợp lệ.") from exc


def _due(day: str | None, hour: str | None) -> datetime | None:
    parsed = _date(day)
    if parsed is None:
        return None
    try:
        at = time.fromisoformat(hour) if hour else time(17, 0)
    except ValueError as exc:
        raise ValidationFailed("Giờ không hợp lệ.") from exc
    return datetime.combine(parsed, at, tzinfo=LOCAL_TZ)


def _version(value: str | None) -> str | None:
    """The version the form was opened at; check_version refuses anything not a number."""
    return value


class DossierActionsMixin:
    """Adds the timeline and the action forms to the dossier screen."""

    details_template = "admin/dossier_details.html"
    route_actions = {"transition_view": "view"}  # each action is checked by the service

    def actions_for(self, dossier) -> list[tuple[str, str]]:
        """(action, label) the signed-in user may take on DOSSIER now."""
        return [(a, labels.ACTION[a]) for a in workflow.available_actions(dossier, current_user)]

    def step_label(self, action: str) -> str:
        return str(labels.STEP.get(action) or labels.ACTION.get(action) or action)

    def status_label(self, status: str | None) -> str:
        return str(labels.STATUS.get(status, "")) if status else ""

    def local_iso(self, value: str) -> str:
        return local_datetime(datetime.fromisoformat(value))

    def may_read_audit(self) -> bool:
        return permissions.can(current_user, "audit_log", "view")

    @expose("/transition/", methods=("POST",))
    def transition_view(self):
        dossier = self.get_one(request.args.get("id"))
        action = request.form.get("action", "")
        form = request.form
        try:
            workflow.transition(
                dossier,
                action,
                current_user,
                note=form.get("note"),
                version=_version(form.get("version")),
                result=workflow.Result(
                    number=form.get("result_number", ""),
                    date=_date(form.get("result_date")),
                    outcome=form.get("result_outcome", ""),
                    summary=form.get("result_summary"),
                )
                if action == "complete"
                else None,
                new_due_at=_due(form.get("new_due_date"), form.get("new_due_time")),
                ip_address=request.remote_addr,
            )
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash(
                _(
                    "%(action)s: done for dossier %(code)s.",
                    action=labels.ACTION.get(action, action),
                    code=dossier.code,
                ),
                "success",
            )
        return redirect(url_for(".details_view", id=dossier.id))
