"""The counter tablet: a kiosk account bound to a clerk rates that clerk's latest dossier.

The latest dossier is the one of the clerk's latest receipt or return at the counter
in the last WINDOW (a tablet left on overnight offers nothing stale); its stage is what
happened last. The rating goes through ``recording.record`` like the public page's,
once per stage, with the clerk as the one rated. Only the code and the procedure are
shown: the citizen at the counter sees nothing personal.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models.base import utcnow
from models.catalog import ProcedureType
from models.dossier import Dossier, DossierHistory
from services.dossiers.ratings import recording
from services.errors import Forbidden, NotFound

#: How long after the receipt or return the tablet still offers the dossier.
WINDOW = timedelta(minutes=30)
#: The history actions a citizen at the counter rates, and the stage each one is.
STAGE_OF_ACTION = {"receive": "receipt", "return_at_counter": "return"}


@dataclass(frozen=True)
class Current:
    """What the tablet shows: the dossier's code and procedure, the stage, rated or not."""

    code: str
    procedure: str
    stage: str
    rated: bool

    def as_json(self) -> dict:
        return {"code": self.code, "procedure": self.procedure, "stage": self.stage}


def _require_kiosk(kiosk) -> int:
    clerk_id = getattr(kiosk, "kiosk_clerk_id", None)
    if clerk_id is None:
        raise Forbidden("Chỉ tài khoản máy tính bảng tại quầy mới dùng màn hình này.")
    return clerk_id


def _steps(clerk_id: int, now, code: str | None = None):
    """The clerk's receipts and returns at the counter in the window, the latest first."""
    query = (
        select(DossierHistory.action, Dossier, ProcedureType.name)
        .join(Dossier, Dossier.id == DossierHistory.dossier_id)
        .join(ProcedureType, ProcedureType.id == Dossier.procedure_type_id)
        .where(
            DossierHistory.actor_id == clerk_id,
            DossierHistory.at >= now - WINDOW,
            DossierHistory.at <= now,
            DossierHistory.action.in_(STAGE_OF_ACTION),
        )
        .order_by(DossierHistory.at.desc(), DossierHistory.id.desc())
    )
    if code is not None:
        query = query.where(Dossier.code == code)
    return db.session.execute(query.limit(1)).first()


def current(kiosk, now=None) -> Current | None:
    """The dossier KIOSK's clerk received or returned last (in the window), or None."""
    found = _steps(_require_kiosk(kiosk), now or utcnow())
    if found is None:
        return None
    action, dossier, procedure = found
    stage = STAGE_OF_ACTION[action]
    return Current(dossier.code, procedure, stage, recording.rated(dossier, stage))


def rate(kiosk, code: str, stage: str, answers: recording.Answers, now=None, ip_address=None):
    """Record the rating of STAGE of the dossier CODE that KIOSK's clerk just handled (in
    the caller's transaction). NotFound unless that step is the clerk's, in the window;
    Conflict when the stage was rated already."""
    clerk_id = _require_kiosk(kiosk)
    code = (code or "").strip()[:40]
    found = _steps(clerk_id, now or utcnow(), code) if code else None
    if found is None or STAGE_OF_ACTION[found[0]] != stage:
        raise NotFound("Hồ sơ này không còn chờ đánh giá tại quầy.")
    return recording.record(
        found[1], answers, source="kiosk", clerk_id=clerk_id, stage=stage, ip_address=ip_address
    )
