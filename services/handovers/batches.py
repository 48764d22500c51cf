"""The handover log's rules (DOMAIN.md «Handover log»): batches created, sent, confirmed, cancelled.

A post office hands received dossiers to the department (``to_department``);
the department hands results back (``to_post_office``). The agencies come from
the dossiers and the user, never from input. Confirmation by the receiving side
moves every dossier not marked missing through ``workflow.move``. Every function
works in the caller's transaction: the caller commits, or rolls back on an error.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

import permissions
from extensions import db
from models.base import utcnow
from models.dossier import Dossier
from models.handover import Handover, HandoverItem
from services import audit
from services.dossiers import codes, workflow
from services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.handovers.eligibility import (
    RECEIVER_COLUMN,
    STEP,
    check_sender,
    refusal,
)
from services.transactions import check_version

MAX_ITEMS = 500
NOTE_LENGTH = 500
FIELD = "dossier_codes"


def _wanted(identifiers) -> list:
    """IDENTIFIERS (codes or ids) without repeats, in order; at least one, at most MAX_ITEMS."""
    wanted = list(dict.fromkeys(i for i in identifiers or () if i not in (None, "")))
    if not wanted:
        raise ValidationFailed("Chọn ít nhất một hồ sơ để bàn giao.", {FIELD: "Bắt buộc."})
    if len(wanted) > MAX_ITEMS:
        raise ValidationFailed(
            f"Một lô có tối đa {MAX_ITEMS} hồ sơ.", {FIELD: f"Tối đa {MAX_ITEMS}."}
        )
    return wanted


def _load(user, wanted: list, by_id: bool) -> dict:
    """The dossiers named by WANTED inside USER's scope, by code or id, locked where possible."""
    key = Dossier.id if by_id else Dossier.code
    query = select(Dossier).where(key.in_(wanted)).order_by(Dossier.id).with_for_update()
    rows = db.session.scalars(permissions.scope(user, "dossier", query)).all()
    return {(d.id if by_id else d.code): d for d in rows}


def _refuse_all(user, direction, wanted, found) -> list[Dossier]:
    """The dossiers in order, or one error naming every refused code and why."""
    problems, unknown = {}, False
    for key in wanted:
        dossier = found.get(key)
        code = dossier.code if dossier else str(key)
        reason = refusal(user, direction, dossier, code)
        if reason:
            problems[f"{FIELD}.{code}"] = reason
            unknown = unknown or dossier is None
    if problems:
        error = ValidationFailed if unknown else Conflict
        reasons = " ".join(problems.values())
        raise error(f"Chưa có lô nào được tạo. {reasons}", problems)
    dossiers = [found[k] for k in wanted]
    receivers = {getattr(d, RECEIVER_COLUMN[direction]) for d in dossiers}
    if len(receivers) > 1:
        first = getattr(dossiers[0], RECEIVER_COLUMN[direction])
        others = [d.code for d in dossiers if getattr(d, RECEIVER_COLUMN[direction]) != first]
        raise ValidationFailed(
            "Một lô chỉ gửi cho một cơ quan; các hồ sơ sau thuộc cơ quan khác: "
            + ", ".join(others),
            {f"{FIELD}.{c}": "Thuộc cơ quan nhận khác." for c in others},
        )
    return dossiers


def create_and_send(
    user, direction: str, *, dossier_codes=None, ids=None, note=None, now=None, ip_address=None
) -> Handover:
    """Create batch ``BG-YYMMDD-NNN`` of the dossiers named by code or id, and send it."""
    check_sender(user, direction)
    wanted = _wanted(ids if ids is not None else dossier_codes)
    now = now or utcnow()
    # The day's counter row is taken first: batch creations queue on it, and the
    # eligibility read below sees every batch committed before this one.
    code = codes.handover_code(now)
    dossiers = _refuse_all(user, direction, wanted, _load(user, wanted, ids is not None))
    handover = Handover(
        code=code,
        direction=direction,
        status="sent",
        from_agency_id=user.agency_id,
        to_agency_id=getattr(dossiers[0], RECEIVER_COLUMN[direction]),
        created_at=now,
        created_by_id=user.id,
        sent_at=now,
        note=_clean(note, 2000),
    )
    handover.items = [HandoverItem(dossier=d, open_dossier_id=d.id) for d in dossiers]
    db.session.add(handover)
    try:
        db.session.flush()
    except IntegrityError as exc:  # a dossier went into another batch at the same instant
        raise Conflict("Một số hồ sơ vừa được đưa vào lô khác; hãy tải lại và thử lại.") from exc
    audit.record(
        "create",
        "handover",
        handover.id,
        actor=user,
        ip_address=ip_address,
        summary=f"Gửi lô {code}: {len(dossiers)} hồ sơ",
        changes={"after": {"status": "sent", "dossiers": [d.code for d in dossiers]}},
    )
    return handover


def may_confirm(user, handover: Handover) -> bool:
    return (
        handover.status == "sent"
        and permissions.can(user, "handover", "confirm")
        and user.agency_id == handover.to_agency_id
    )


def may_cancel(user, handover: Handover) -> bool:
    return (
        handover.status == "sent"
        and permissions.can(user, "handover", "cancel")
        and user.agency_id == handover.from_agency_id
    )


def _check_open(user, handover: Handover, action: str, version) -> None:
    if not permissions.in_scope(user, "handover", handover):
        raise NotFound("Không tìm thấy lô bàn giao.")
    if not permissions.can(user, "handover", action):
        verb = "xác nhận" if action == "confirm" else "hủy"
        raise Forbidden(f"Vai trò của bạn không được {verb} lô bàn giao.")
    side = handover.to_agency_id if action == "confirm" else handover.from_agency_id
    if user.agency_id != side:
        raise Forbidden(
            "Chỉ bên nhận mới xác nhận được lô này."
            if action == "confirm"
            else "Chỉ bên gửi mới hủy được lô này."
        )
    check_version(handover, version)
    if handover.status != "sent":
        state = {"confirmed": "đã được xác nhận", "cancelled": "đã bị hủy"}.get(
            handover.status, "chưa được gửi"
        )
        raise Conflict(f"Lô {handover.code} {state}.")


def _dossiers_of(handover: Handover) -> dict[int, Dossier]:
    """The batch's dossiers by id, with their history: two statements, not two per dossier."""
    ids = [item.dossier_id for item in handover.items]
    query = select(Dossier).where(Dossier.id.in_(ids)).options(selectinload(Dossier.history))
    return {d.id: d for d in db.session.scalars(query)}


def _flush_batch() -> None:
    """Write the batch and its moves in one flush: of two people confirming at once, one wins
    (the other's versioned rows are stale)."""
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise Conflict("Lô này vừa được người khác xử lý; hãy tải lại trang.") from exc


def confirm(
    handover: Handover,
    user,
    *,
    missing_codes=(),
    item_notes: dict | None = None,
    note=None,
    version=None,
    now=None,
    ip_address=None,
) -> Handover:
    """Confirm HANDOVER as its receiver; dossiers not missing move on, missing ones stay."""
    _check_open(user, handover, "confirm", version)
    dossiers = _dossiers_of(handover)  # held here: the session keeps them only while used
    by_code = {dossiers[item.dossier_id].code: item for item in handover.items}
    missing = set(missing_codes or ())
    strangers = sorted(missing - by_code.keys())
    if strangers:
        raise ValidationFailed(
            "Các mã sau không thuộc lô này: " + ", ".join(strangers),
            {f"missing_codes.{c}": "Không thuộc lô." for c in strangers},
        )
    _check_missing_reasons(missing, item_notes or {})
    given = {
        "handover": handover.code,
        "given_by": getattr(handover.created_by, "full_name", None),
        "given_at": handover.sent_at.isoformat() if handover.sent_at else None,
    }
    now = now or utcnow()
    handover.status, handover.confirmed_at, handover.confirmed_by_id = "confirmed", now, user.id
    handover.has_missing = bool(missing)
    if _clean(note, 2000):
        handover.note = "\n".join(filter(None, (handover.note, _clean(note, 2000))))
    for code, item in by_code.items():
        item.missing, item.open_dossier_id = code in missing, None
        item.note = _clean((item_notes or {}).get(code), NOTE_LENGTH)
    step = workflow.SYSTEM_MOVES[STEP[handover.direction]]
    with db.session.no_autoflush:  # every dossier moved in memory, then one flush below
        for code, item in by_code.items():
            if code not in missing:
                workflow.move(
                    item.dossier, STEP[handover.direction], step, user,
                    note=item.note, data=given, now=now, ip_address=ip_address, flush=False,
                )  # fmt: skip
    audit.record(
        "confirm",
        "handover",
        handover.id,
        actor=user,
        ip_address=ip_address,
        summary=f"Xác nhận lô {handover.code}"
        + (f"; thiếu: {', '.join(sorted(missing))}" if missing else ""),
        changes={"after": {"status": "confirmed", "missing": sorted(missing)}},
    )
    _flush_batch()
    return handover


def _check_missing_reasons(missing: set, item_notes: dict) -> None:
    """Every dossier marked missing says why (what the receiver found instead)."""
    silent = sorted(code for code in missing if not _clean(item_notes.get(code), NOTE_LENGTH))
    if silent:
        raise ValidationFailed(
            "Vui lòng ghi lý do cho hồ sơ đánh dấu thiếu: " + ", ".join(silent) + ".",
            {f"item_notes.{code}": "Bắt buộc khi hồ sơ được đánh dấu thiếu." for code in silent},
        )


def cancel(handover: Handover, user, *, reason, version=None, now=None, ip_address=None):
    """Cancel a sent batch not yet confirmed (the sender's supervisor, with a reason)."""
    _check_open(user, handover, "cancel", version)
    reason = _clean(reason, 2000)
    if not reason:
        raise ValidationFailed("Vui lòng ghi rõ lý do hủy lô.", {"reason": "Bắt buộc."})
    handover.status, handover.cancelled_by_id = "cancelled", user.id
    handover.cancelled_at, handover.cancel_reason = now or utcnow(), reason
    for item in handover.items:
        item.open_dossier_id = None
    _flush_batch()
    audit.record(
        "cancel",
        "handover",
        handover.id,
        actor=user,
        ip_address=ip_address,
        summary=f"Hủy lô {handover.code}: {reason}",
        changes={"before": {"status": "sent"}, "after": {"status": "cancelled"}},
    )
    return handover


def _clean(text, limit: int) -> str | None:
    text = (text or "").strip() if isinstance(text, str) else ""
    return text[:limit] or None
