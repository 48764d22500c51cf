"""The dossier lifecycle: every move of DOMAIN.md's table, checked and recorded.

``transition`` checks role, row scope, version and status, takes the action's
inputs, moves the dossier and writes its history row and audit entry, all in
the caller's transaction (the caller commits, or rolls back on an error).
Moves made by handovers and postal deliveries use ``move`` from their own
services, with the same history and audit.
"""

from datetime import datetime

from flask import current_app
from sqlalchemy import select

import permissions
from extensions import db
from models.base import utcnow
from models.dossier import STATUSES, Dossier, DossierHistory
from models.dossier_actions import ACTIONS, Action
from models.handover import Handover, HandoverItem
from services import audit
from services.calendar import LOCAL_TZ, appointment, clock_start, load_calendar, parse_cutoff
from services.dossiers.action_inputs import Collector, Result, check_inputs, local
from services.dossiers.receipt import return_method_error
from services.dossiers.timeliness import timeliness_at, working_days_left
from services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.transactions import check_version

#: Vietnamese names of the statuses (the tracking book reads them here).
STATUS_NAMES = {t.value: t.vi for t in STATUSES.terms}
#: ``available_actions`` reads the open batch holding the dossier unless told it.
UNREAD = object()
#: Actions people take directly (panel, API): from which statuses, to which.
TRANSITIONS = {a.name: a for a in ACTIONS if a.direct}
#: Moves made by the handover and delivery services (not taken directly).
SYSTEM_MOVES = {a.name: a for a in ACTIONS if not a.direct and a.sources}


def available_actions(dossier: Dossier, user, held: str | object | None = UNREAD) -> list[str]:
    """The direct actions USER may take on DOSSIER now (for buttons and the API).

    HELD: the open batch holding it when the caller has read it already (None: none).
    """
    if not permissions.in_scope(user, "dossier", dossier):
        return []
    if held is UNREAD:
        held = held_by(dossier)
    if held:
        return []
    return [
        name
        for name, t in TRANSITIONS.items()
        if dossier.status in t.sources and permissions.can(user, *t.permission)
    ]


def transition(
    dossier: Dossier,
    action: str,
    actor,
    *,
    note: str | None = None,
    version: int | None = None,
    result: Result | None = None,
    new_due_at: datetime | None = None,
    collector: Collector | None = None,
    now: datetime | None = None,
    ip_address: str | None = None,
    errors: dict | None = None,
) -> Dossier:
    """Take ACTION on DOSSIER as ACTOR; raises a ServiceError with a Vietnamese message.

    ERRORS are the door's parse errors (field → message); they are named in
    one ValidationFailed together with every input the action lacks.
    """
    step = TRANSITIONS.get(action)
    if step is None:
        raise ValidationFailed(
            f"Không có thao tác «{action}».", {**(errors or {}), "action": "Không hợp lệ."}
        )
    if not permissions.in_scope(actor, "dossier", dossier):
        raise NotFound("Không tìm thấy hồ sơ.")
    if not permissions.can(actor, *step.permission):
        raise Forbidden(f"Vai trò của bạn không được {step.vi} hồ sơ.")
    check_version(dossier, version)
    _check_status(dossier, action, step)
    _check_not_held(dossier, step)
    note = (note or "").strip() or None
    now = now or utcnow()
    check_inputs(
        step,
        dossier,
        now,
        note=note,
        result=result,
        new_due_at=new_due_at,
        collector=collector,
        errors=errors,
    )
    with db.session.no_autoflush:  # one UPDATE, one version bump, at the end
        data = _APPLY.get(action, _no_effect)(
            dossier, now, note=note, result=result, new_due_at=new_due_at, collector=collector
        )
        return move(
            dossier, action, step, actor, note=note, data=data, now=now, ip_address=ip_address
        )


def move(
    dossier, action, step, actor, *, note=None, data=None, now=None, ip_address=None, flush=True
):
    """Change DOSSIER's status by STEP, with its history row and audit entry.

    FLUSH False leaves the writing to the caller's next flush (a feed moving many).
    """
    _check_status(dossier, action, step)
    now = now or utcnow()
    before = dossier.status
    dossier.status = step.target
    dossier.updated_by_id = getattr(actor, "id", None)
    dossier.history.append(
        DossierHistory(
            action=action,
            from_status=before,
            to_status=step.target,
            at=now,
            actor_id=getattr(actor, "id", None),
            note=note,
            data=data,
        )
    )
    if flush:
        db.session.flush()
    audit.record(
        action,
        "dossier",
        dossier.id,
        actor=actor,
        ip_address=ip_address,
        summary=f"{dossier.code}: {STATUSES.vi(before)} → {STATUSES.vi(step.target)}",
        changes={"before": {"status": before}, "after": {"status": step.target, **(data or {})}},
    )
    return dossier


def check_shippable(dossier: Dossier, actor) -> None:
    """Raise unless ACTOR may ship DOSSIER's result by post now."""
    if not permissions.in_scope(actor, "dossier", dossier):
        raise NotFound("Không tìm thấy hồ sơ.")
    if not permissions.can(actor, *SYSTEM_MOVES["ship"].permission):
        raise Forbidden("Vai trò của bạn không được chuyển phát kết quả.")
    _check_status(dossier, "ship", SYSTEM_MOVES["ship"])
    if dossier.return_method != "post":
        raise Conflict(f"Hồ sơ {dossier.code} không đăng ký nhận kết quả qua bưu chính.")
    if refusal := return_method_error(dossier.procedure_type, "post"):
        raise Conflict(f"Hồ sơ {dossier.code}: {refusal}")


def ship(dossier: Dossier, actor, *, tracking_code: str, now=None, ip_address=None):
    """Move DOSSIER to in_delivery as its delivery order is created (services.delivery.shipping)."""
    check_shippable(dossier, actor)
    return move(
        dossier,
        "ship",
        SYSTEM_MOVES["ship"],
        actor,
        data={"tracking_code": tracking_code},
        now=now,
        ip_address=ip_address,
    )


def held_by(dossier: Dossier) -> str | None:
    """The code of the sent, unconfirmed batch holding DOSSIER, if any."""
    query = select(Handover.code).join(HandoverItem, HandoverItem.handover_id == Handover.id)
    return db.session.scalar(query.where(HandoverItem.open_dossier_id == dossier.id))


def _check_not_held(dossier: Dossier, step: Action) -> None:
    """No direct action on a dossier travelling in a batch: the batch decides first."""
    batch = held_by(dossier)
    if batch:
        raise Conflict(
            f"Không thể {step.vi} hồ sơ {dossier.code}: hồ sơ đang nằm trong lô bàn giao "
            f"{batch} đã gửi, chưa được xác nhận. Hãy hủy lô {batch}, hoặc để bên nhận "
            "xác nhận lô và đánh dấu hồ sơ là thiếu, rồi thực hiện lại."
        )


def _check_status(dossier: Dossier, action: str, step: Action) -> None:
    if dossier.status not in step.sources:
        raise Conflict(
            f"Không thể {step.vi or action} hồ sơ {dossier.code} "
            f"đang ở trạng thái «{STATUSES.vi(dossier.status)}»."
        )


def _no_effect(dossier, now, **_inputs):
    return None


def _request_supplement(dossier, now, **_inputs):
    cal = load_calendar(now.astimezone(LOCAL_TZ).date())
    left = working_days_left(now, dossier.due_at, cal) if dossier.due_at else 0
    dossier.supplement_count += 1
    dossier.paused_at = now
    return {"working_days_left": left, "due_at_before": _iso(dossier.due_at)}


def _supplement_received(dossier, now, **_inputs):
    """The clock runs again: the remaining working days count from now."""
    left = _last_data(dossier, "request_supplement").get("working_days_left", 0)
    cal = load_calendar(now.astimezone(LOCAL_TZ).date(), days=left * 3 + 60)
    cutoff = parse_cutoff(current_app.config["RECEIPT_CUTOFF"])
    before = dossier.due_at
    dossier.due_at = appointment(clock_start(now, cutoff, cal), left, cal)
    dossier.paused_at = None
    return {"due_at_before": _iso(before), "due_at_after": _iso(dossier.due_at)}


def _apologize(dossier, now, *, new_due_at=None, **_inputs):
    before = dossier.due_at
    dossier.due_at = local(new_due_at)
    dossier.apology_count += 1
    return {"due_at_before": _iso(before), "due_at_after": _iso(dossier.due_at)}


def _complete(dossier, now, *, result=None, **_inputs):
    dossier.result_number = result.number.strip()[:60]
    dossier.result_date = result.date
    dossier.result_outcome = result.outcome
    dossier.result_summary = (result.summary or "").strip() or None
    dossier.completed_at = now
    dossier.timeliness = timeliness_at(
        now, dossier.due_at, dossier.supplement_count, dossier.apology_count
    )
    return {"timeliness": dossier.timeliness, "result_number": dossier.result_number}


def _return_at_counter(dossier, now, *, collector=None, **_inputs):
    """The result handed over, and to whom (the applicant's own name and ID when it is them)."""
    dossier.returned_at = now
    dossier.collected_by = collector.kind
    if collector.kind == "applicant":
        name, id_number, letter = dossier.applicant_name, dossier.applicant_id_number, None
    else:
        name, id_number = collector.name.strip()[:200], collector.id_number.strip()
        letter = (collector.authorisation or "").strip()[:100] or None
    dossier.collector_name, dossier.collector_id_number = name, id_number
    dossier.collector_authorisation = letter if collector.kind == "authorised" else None
    return {
        "collected_by": collector.kind,
        "collector_name": name,
        "collector_id_number": id_number,
        "collector_authorisation": dossier.collector_authorisation,
    }


_APPLY = {
    "request_supplement": _request_supplement,
    "supplement_received": _supplement_received,
    "apologize": _apologize,
    "complete": _complete,
    "return_at_counter": _return_at_counter,
}


def _last_data(dossier: Dossier, action: str) -> dict:
    for step in reversed(dossier.history):
        if step.action == action:
            return step.data or {}
    return {}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
