"""Which dossier may go in whose batch: the directions, the sender's right, the refusals.

A post office hands received dossiers to the department (``to_department``);
the department hands results back (``to_post_office``). The agencies come from
the dossiers and the user, never from input.
"""

from sqlalchemy import exists, select

import permissions
from extensions import db
from models.dossier import STATUSES, Dossier
from models.dossier_actions import BY_NAME
from models.handover import DIRECTIONS, Handover, HandoverItem
from services.errors import Conflict, Forbidden, NotFound, ValidationFailed

#: The move confirmation makes in each direction, who sends it, and what it carries.
STEP = {"to_department": "handover_to_department", "to_post_office": "handover_to_post_office"}
SENDER_KIND = {"to_department": "post_office", "to_post_office": "department"}
SOURCE_STATUS = {direction: BY_NAME[step].sources[0] for direction, step in STEP.items()}
#: The dossier column naming the sending agency and the receiving one, per direction.
SENDER_COLUMN = {"to_department": "post_office_id", "to_post_office": "agency_id"}
RECEIVER_COLUMN = {"to_department": "agency_id", "to_post_office": "post_office_id"}


def direction_of(user) -> str | None:
    """The direction USER's agency sends batches in (None for IT staff and leaders)."""
    kind = user.agency.kind if user.agency else None
    return next((d for d, k in SENDER_KIND.items() if k == kind), None)


def open_batch_of(dossier_id: int) -> Handover | None:
    """The open (sent, unconfirmed) batch holding the dossier, if any."""
    return db.session.scalar(
        select(Handover).join(HandoverItem).where(HandoverItem.open_dossier_id == dossier_id)
    )


def in_open_batch():
    """SQL condition: the dossier of the current row is in an open batch."""
    return exists().where(HandoverItem.open_dossier_id == Dossier.id)


def check_sender(user, direction) -> None:
    """Refuse a user who may not send batches in DIRECTION."""
    if direction not in DIRECTIONS:
        raise ValidationFailed(
            "Chiều bàn giao phải là to_department hoặc to_post_office.",
            {"direction": "Không hợp lệ."},
        )
    if not permissions.can(user, "handover", "create"):
        raise Forbidden("Vai trò của bạn không được bàn giao hồ sơ.")
    if direction_of(user) != direction:
        raise Forbidden(
            "Chỉ bưu điện bàn giao hồ sơ cho sở; chỉ sở trả kết quả cho bưu điện."
            if direction in SENDER_KIND
            else "Không được bàn giao theo chiều này."
        )


def refusal(user, direction: str, dossier: Dossier | None, code: str) -> str | None:
    """Why DOSSIER (looked up by CODE) cannot go in USER's next batch, or None."""
    own = getattr(dossier, SENDER_COLUMN[direction], None) if dossier else None
    if dossier is None or own != user.agency_id:
        return f"Không tìm thấy hồ sơ {code} trong phạm vi của bạn."
    if dossier.status != SOURCE_STATUS[direction]:
        state = STATUSES.vi(dossier.status)
        return f"Hồ sơ {code} đang ở trạng thái «{state}», không thuộc diện bàn giao."
    if getattr(dossier, RECEIVER_COLUMN[direction]) is None:
        return f"Hồ sơ {code} không có bưu điện tiếp nhận để trả kết quả."
    batch = open_batch_of(dossier.id)
    if batch is not None:
        return f"Hồ sơ {code} đã nằm trong lô {batch.code} chưa được xác nhận."
    return None


def scan(user, direction: str, code: str) -> Dossier:
    """The dossier CODE if it may go in USER's batch; else NotFound or Conflict saying why."""
    check_sender(user, direction)
    code = (code or "").strip().upper()[:40]  # a scanner or a hand may type it in lower case
    if not code or "\x00" in code:
        raise ValidationFailed("Vui lòng quét hoặc nhập mã hồ sơ.", {"code": "Bắt buộc."})
    dossier = db.session.scalar(
        permissions.scope(user, "dossier", select(Dossier).where(Dossier.code == code))
    )
    reason = refusal(user, direction, dossier, code)
    if reason is None:
        return dossier
    raise (NotFound if dossier is None else Conflict)(reason, {code: reason})
