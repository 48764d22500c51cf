"""The dossier's details page: its timeline and the workflow actions, wired to services."""

from datetime import date, datetime, time

from flask import flash, redirect, request, session, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

import permissions
from i18n import local_datetime
from models.dossier import COLLECTORS, OUTCOMES
from services.calendar import LOCAL_TZ
from services.dossiers import workflow
from services.errors import ServiceError
from services.transactions import transaction
from vietnam.dates import parse_day, parse_hour

_BAD_DAY = {
    "result.date": "Ngày của văn bản kết quả không hợp lệ (dd/mm/yyyy).",
    "new_due_at": "Ngày hẹn mới không hợp lệ (dd/mm/yyyy).",
}


def _date(value: str | None, field: str, errors: dict) -> date | None:
    """A day from the form, or None with the reason added to ERRORS."""
    try:
        return parse_day(value) if value else None
    except ValueError:
        errors[field] = _BAD_DAY[field]
        return None


def _due(day: str | None, hour: str | None, errors: dict) -> datetime | None:
    parsed = _date(day, "new_due_at", errors)
    if parsed is None:
        return None
    try:
        at = parse_hour(hour) if hour else time(17, 0)
    except ValueError:
        errors["new_due_at"] = "Giờ hẹn mới không hợp lệ."
        return None
    return datetime.combine(parsed, at, tzinfo=LOCAL_TZ)


# What a user typed into an action form, kept when the service refuses the action.
DRAFT_FIELDS = (
    "result_number",
    "result_date",
    "result_outcome",
    "result_summary",
    "new_due_date",
    "new_due_time",
    "note",
    "collected_by",
    "collector_name",
    "collector_id_number",
    "collector_authorisation",
)
DRAFT_KEY = "transition_draft"
# The inputs read from the form with a format (dates): their parse errors are the action's.
PARSED_INPUTS = frozenset({"result", "new_due_at"})


def _version(value: str | None) -> str | None:
    """The version the form was opened at; check_version refuses anything not a number."""
    return value


class DossierActionsMixin:
    """Adds the timeline and the action forms to the dossier screen."""

    details_template = "admin/dossier/details.html"
    route_actions = {"transition_view": "view"}  # each action is checked by the service

    def actions_for(self, dossier, transfers) -> list:
        """The actions (their records) the signed-in user may take on DOSSIER now
        (TRANSFERS, read for the page, say whether an open batch holds it)."""
        names = workflow.available_actions(dossier, current_user, transfers.held_by)
        return [workflow.TRANSITIONS[name] for name in names]

    # The question asked before an action that cannot be undone (%(code)s: the dossier's code).
    confirmations = {a.name: _l(a.confirm) for a in workflow.TRANSITIONS.values() if a.confirm}
    outcome_choices = OUTCOMES.choices()
    collector_choices = COLLECTORS.choices()

    def collector_label(self, kind: str):
        return COLLECTORS.label(kind)

    def draft_for(self, dossier) -> dict:
        """What the user typed in the action just refused for DOSSIER (once), else {}."""
        if DRAFT_KEY not in session:
            return {}  # (a pop would mark every session changed and resend its cookie)
        draft = session.pop(DRAFT_KEY) or {}
        return draft if draft.get("id") == dossier.id else {}

    def local_iso(self, value: str) -> str:
        return local_datetime(datetime.fromisoformat(value))

    def may_read_audit(self) -> bool:
        return permissions.can(current_user, "audit_log", "view")

    @expose("/transition/", methods=("POST",))
    def transition_view(self):
        dossier = self.get_one(request.args.get("id"))
        action = request.form.get("action", "")
        step = workflow.TRANSITIONS.get(action)
        inputs = step.inputs if step else ()
        form, errors = request.form, {}
        result = workflow.Result(
            number=form.get("result_number", ""),
            date=_date(form.get("result_date"), "result.date", errors),
            outcome=form.get("result_outcome", ""),
            summary=form.get("result_summary"),
        )
        new_due_at = _due(form.get("new_due_date"), form.get("new_due_time"), errors)
        collector = workflow.Collector(
            kind=form.get("collected_by", ""),
            name=form.get("collector_name"),
            id_number=form.get("collector_id_number"),
            authorisation=form.get("collector_authorisation"),
        )
        try:
            with transaction():
                workflow.transition(
                    dossier,
                    action,
                    current_user,
                    note=form.get("note"),
                    version=_version(form.get("version")),
                    result=result if "result" in inputs else None,
                    new_due_at=new_due_at,
                    collector=collector,
                    ip_address=request.remote_addr,
                    errors=errors if PARSED_INPUTS.intersection(inputs) else None,
                )
        except ServiceError as exc:
            flash(exc.message, "error")
            session[DRAFT_KEY] = {
                "id": dossier.id,
                "action": action,
                **{name: form.get(name, "")[:2000] for name in DRAFT_FIELDS},
            }
        else:
            flash(
                _(
                    "%(action)s: done for dossier %(code)s.",
                    action=step.label,
                    code=dossier.code,
                ),
                "success",
            )
        return redirect(url_for(".details_view", id=dossier.id))
