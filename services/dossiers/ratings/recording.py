"""Recording a rating: the dossier's key checked, one per stage, a follow-up when disliked.

The key (six characters printed on the receipt) is what proves the rater holds the
slip: a wrong key answers as an unknown code does, so nobody learns which codes
exist. Nothing personal about the dossier is ever returned.
"""

import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models.base import utcnow
from models.dossier import Dossier
from models.rating import ASPECTS, FACES, Rating
from services import audit
from services.errors import Conflict, NotFound, ValidationFailed

KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed
KEY_LENGTH = 6
COMMENT_MAX = 1000
_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
RETURNED = ("returned",)


def new_key() -> str:
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))


@dataclass(frozen=True)
class Answers:
    overall: str | None
    convenience: str | None = None
    timeliness: str | None = None
    attitude: str | None = None
    comment: str | None = None

    @classmethod
    def from_form(cls, form) -> "Answers":
        """The answers of a submitted rating form (the public page's and the tablet's)."""
        aspects = {name: form.get(name) for name in ASPECTS}
        return cls(overall=form.get("overall"), comment=form.get("comment"), **aspects)


def stage_of(dossier: Dossier) -> str:
    """Which stage a rating of DOSSIER now speaks of: the return once the result is out."""
    return "return" if dossier.status in RETURNED else "receipt"


def find(code: str, key: str) -> Dossier:
    """The dossier of CODE whose key is KEY; NotFound alike for a wrong code or key."""
    code, key = (code or "").strip().upper()[:40], (key or "").strip().upper()[:KEY_LENGTH]
    dossier = db.session.scalar(select(Dossier).where(Dossier.code == code)) if code else None
    held = dossier.rating_key if dossier is not None else None
    if not held or not key or not hmac.compare_digest(held, key):
        raise NotFound("Không tìm thấy hồ sơ với mã và mã đánh giá này.")
    return dossier


def rated(dossier: Dossier, stage: str) -> bool:
    query = select(Rating.id).where(Rating.dossier_id == dossier.id, Rating.stage == stage)
    return db.session.scalar(query) is not None


def _check(answers: Answers) -> dict:
    errors = {}
    if answers.overall not in FACES:
        errors["overall"] = "Chọn một trong ba mức: Rất hài lòng, Hài lòng, Không hài lòng."
    for name in ASPECTS:
        value = getattr(answers, name)
        if value not in (None, "", *FACES):
            errors[name] = "Mức đánh giá không hợp lệ."
    comment = answers.comment or ""
    if _BAD.search(comment):
        errors["comment"] = "Góp ý không được chứa ký tự điều khiển (như NUL)."
    elif len(comment) > COMMENT_MAX:
        errors["comment"] = f"Góp ý tối đa {COMMENT_MAX} ký tự."
    if errors:
        raise ValidationFailed("Đánh giá chưa hợp lệ.", errors)
    return {name: getattr(answers, name) or None for name in ASPECTS}


def record(
    dossier: Dossier, answers: Answers, *, source="qr", clerk_id=None, stage=None, ip_address=None
):
    """Record the applicant's rating of DOSSIER's STAGE (default: its current one) in the
    caller's transaction; Conflict when that stage was rated already."""
    aspects = _check(answers)
    stage = stage or stage_of(dossier)
    if rated(dossier, stage):
        raise Conflict("Hồ sơ này đã được đánh giá ở bước này. Cảm ơn ông/bà.")
    if clerk_id is None:
        clerk_id = dossier.received_by_id
    rating = Rating(
        dossier_id=dossier.id,
        stage=stage,
        overall=answers.overall,
        comment=(answers.comment or "").strip() or None,
        source=source,
        clerk_id=clerk_id,
        created_at=utcnow(),
        follow_up="open" if answers.overall == "dissatisfied" else None,
        **aspects,
    )
    db.session.add(rating)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # the same stage rated at the same moment elsewhere
        raise Conflict("Hồ sơ này đã được đánh giá ở bước này. Cảm ơn ông/bà.") from exc
    audit.record(
        "rate",
        "dossier",
        dossier.id,
        actor=None,
        ip_address=ip_address,
        summary=f"{dossier.code}: {FACES.vi(answers.overall)} ({stage})",
    )
    return rating
