"""The public look-up: a citizen's dossier code → status and appointment, nothing personal."""

from flask import current_app, jsonify
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db, limiter
from models.dossier import Dossier
from services.delivery.shipping import latest_order
from views.api.blueprint import bp
from views.api.delivery_serializers import public_delivery
from views.api.errors import ApiError
from views.api.serializers import iso

DEFAULT_PUBLIC_LIMIT = "30 per minute"


@bp.get("/public/dossiers/<code>")
@limiter.limit(lambda: current_app.config.get("PUBLIC_LOOKUP_RATE_LIMIT", DEFAULT_PUBLIC_LIMIT))
def public_dossier(code: str):
    """No token; rate-limited per address so that codes cannot be harvested quickly."""
    dossier = db.session.scalar(
        select(Dossier)
        .options(joinedload(Dossier.procedure_type))
        .where(Dossier.code == code.strip().upper()[:40])
    )
    if dossier is None:
        raise ApiError(404, "Không có hồ sơ nào mang mã này.")
    answer = {
        "code": dossier.code,
        "status": dossier.status,
        "due_at": iso(dossier.due_at),
        "procedure_name": dossier.procedure_type.name,
    }
    parcel = latest_order(dossier)
    if parcel is not None:  # shipped by post: its latest status, nothing personal
        answer["delivery"] = public_delivery(parcel)
    return jsonify(answer)
