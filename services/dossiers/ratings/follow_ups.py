"""Follow-ups of disliked ratings: the supervisor calls back, notes, closes; each audited."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

import permissions
from extensions import db
from models.base import utcnow
from models.dossier import Dossier
from models.rating import FOLLOW_UPS, Rating
from services import audit
from services.dossiers.ratings.recording import _BAD
from services.errors import Forbidden, NotFound, ValidationFailed

NEXT = {"open": ("called_back", "closed"), "called_back": ("closed",), "closed": ()}
SHOWN = 20


@dataclass(frozen=True)
class FollowUp:
    id: int
    dossier_id: int
    code: str
    stage: str
    comment: str | None
    status: str
    note: str | None
    created_at: datetime


def may_follow_up(user) -> bool:
    return permissions.can(user, "dossier", "edit")


def open_for(user, limit: int = SHOWN) -> list[FollowUp]:
    """The disliked ratings not closed yet, of the dossiers in USER's scope, oldest first."""
    if not may_follow_up(user):
        return []
    query = (
        select(Rating, Dossier.code)
        .join(Dossier, Dossier.id == Rating.dossier_id)
        .where(Rating.follow_up.in_(("open", "called_back")))
        .order_by(Rating.created_at, Rating.id)
        .limit(limit)
    )
    rows = db.session.execute(permissions.scope(user, "dossier", query)).all()
    return [
        FollowUp(
            r.id,
            r.dossier_id,
            code,
            r.stage,
            r.comment,
            r.follow_up,
            r.follow_up_note,
            r.created_at,
        )
        for r, code in rows
    ]


def advance(user, rating_id: int, status: str, note: str | None, ip_address=None) -> Rating:
    """Move the follow-up of RATING_ID to STATUS with NOTE (in the caller's transaction)."""
    if not may_follow_up(user):
        raise Forbidden("Vai trò của bạn không được xử lý phản ánh.")
    rating = db.session.get(Rating, rating_id)
    if rating is None or rating.follow_up is None:
        raise NotFound("Không có phản ánh này.")
    if not permissions.in_scope(user, "dossier", rating.dossier):
        raise NotFound("Không có phản ánh này.")
    note = (note or "").strip()
    if _BAD.search(note) or len(note) > 1000:
        raise ValidationFailed(
            "Ghi chú chưa hợp lệ.", {"note": "Tối đa 1000 ký tự, không ký tự điều khiển."}
        )
    if status not in NEXT[rating.follow_up]:
        raise ValidationFailed(
            f"Không thể chuyển phản ánh từ «{FOLLOW_UPS.vi(rating.follow_up)}».",
            {"status": "Không hợp lệ."},
        )
    before = rating.follow_up
    rating.follow_up, rating.follow_up_at, rating.follow_up_by_id = status, utcnow(), user.id
    if note:
        rating.follow_up_note = note
    audit.record(
        "follow_up",
        "dossier",
        rating.dossier_id,
        actor=user,
        ip_address=ip_address,
        summary=f"{rating.dossier.code}: {FOLLOW_UPS.vi(before)} → {FOLLOW_UPS.vi(status)}",
        changes={"before": {"follow_up": before}, "after": {"follow_up": status, "note": note}},
    )
    return rating
