"""What each workflow action needs from the user, checked all at once.

``check_inputs`` names every missing or wrong input of an action (the ``inputs``
of its record in models.dossier_actions) in one ValidationFailed (field → message),
together with the door's parse errors.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from models.dossier import COLLECTORS, OUTCOMES
from models.dossier_actions import Action
from services.calendar import LOCAL_TZ
from services.errors import FieldErrors
from vietnam.validation import normalise_citizen_id


@dataclass
class Result:
    """What ``complete`` records."""

    number: str
    date: date | None
    outcome: str
    summary: str | None = None


@dataclass
class Collector:
    """Who takes the result at the counter (``return_at_counter``)."""

    kind: str
    name: str | None = None
    id_number: str | None = None
    authorisation: str | None = None


def check_inputs(
    action: Action,
    dossier,
    now: datetime,
    *,
    note: str | None,
    result: Result | None,
    new_due_at: datetime | None,
    collector: Collector | None = None,
    errors: dict | None = None,
) -> None:
    """Raise one ValidationFailed naming every problem with ACTION's inputs, if any."""
    problems = FieldErrors(errors or {})
    if action.needs_note and not note:
        problems.add("note", "Vui lòng ghi rõ lý do.")
    if "new_due_at" in action.inputs:
        for field, message in _apology_problems(dossier, now, new_due_at):
            problems.add(field, message)
    if "result" in action.inputs:
        for field, message in _result_problems(result):
            problems.add(field, message)
    if "collector" in action.inputs:
        for field, message in collector_problems(collector):
            problems.add(field, message)
    problems.check(" ".join(problems.values()))


def local(value: datetime) -> datetime:
    """VALUE with the local time zone when it has none."""
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


def _apology_problems(dossier, now, new_due_at) -> list[tuple[str, str]]:
    """The new appointment: given, later than the current one, within a year of it."""
    if new_due_at is None:
        return [("new_due_at", "Vui lòng chọn ngày hẹn mới.")]
    new_due_at = local(new_due_at)
    if dossier.due_at and new_due_at <= dossier.due_at:
        return [("new_due_at", "Ngày hẹn mới phải sau ngày hẹn hiện tại.")]
    if new_due_at > (dossier.due_at or now) + timedelta(days=366):
        return [("new_due_at", "Ngày hẹn mới không được quá một năm sau ngày hẹn hiện tại.")]
    return []


def _result_problems(result: Result | None) -> list[tuple[str, str]]:
    """Every field of the result that is missing or wrong."""
    result = result or Result(number="", date=None, outcome="")
    found = []
    if not (result.number or "").strip():
        found.append(("result.number", "Vui lòng nhập số văn bản kết quả."))
    if result.date is None:
        found.append(("result.date", "Vui lòng nhập ngày của văn bản kết quả."))
    if result.outcome not in OUTCOMES:
        found.append(
            ("result.outcome", "Kết quả phải là chấp thuận (granted) hoặc không (refused).")
        )
    return found


def collector_problems(collector: Collector | None) -> list[tuple[str, str]]:
    """Who collects: chosen; another or an authorised person with name and a valid ID
    number; an authorisation with its letter's reference."""
    collector = collector or Collector(kind="")
    if collector.kind not in COLLECTORS:
        return [("collector.kind", "Vui lòng chọn người nhận kết quả.")]
    if collector.kind == "applicant":
        return []
    found = []
    if not (collector.name or "").strip():
        found.append(("collector.name", "Vui lòng nhập họ tên người nhận kết quả."))
    try:
        normalise_citizen_id(collector.id_number or "")
    except ValueError as exc:
        found.append(("collector.id_number", f"Người nhận kết quả: {exc}"))
    if collector.kind == "authorised" and not (collector.authorisation or "").strip():
        found.append(("collector.authorisation", "Vui lòng nhập số giấy ủy quyền."))
    return found
