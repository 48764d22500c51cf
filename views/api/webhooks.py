"""The carriers' own webhooks: ``POST /api/v1/tracking/webhooks/<carrier>``.

No bearer token: the carrier signs each call with its secret (services.delivery.carriers).
The raw body is stored and committed with the outbox row that applies it, and the carrier
answered in its own shape; the outbox workers apply the calls in batches
(services.delivery.webhooks). With ``CARRIER_WEBHOOK_APPLY=inline`` the request also
applies its call right away, in a transaction of its own.
"""

import logging

from flask import current_app, jsonify, request

from extensions import db
from services.delivery import carriers, webhooks
from services.errors import ValidationFailed
from views.api.blueprint import bp
from views.api.errors import ApiError

log = logging.getLogger(__name__)


@bp.post("/tracking/webhooks/<carrier>")
def carrier_webhook(carrier: str):
    """Store the carrier's call and answer it (and apply it, when applied inline)."""
    carrier = carrier.lower()
    secret = carriers.secret_of(carrier)
    if not secret:
        raise ApiError(404, "Không có đơn vị vận chuyển này.")
    body = _body()
    signature, token = request.headers.get("X-Signature"), request.headers.get("X-Webhook-Token")
    if not carriers.authenticate(secret, body, signature, token):
        raise ApiError(
            401,
            "Chữ ký webhook không hợp lệ: gửi X-Signature: sha256=<HMAC-SHA256 của nội dung> "
            "hoặc X-Webhook-Token.",
            code="unauthorized",
        )
    try:
        transaction_id = carriers.transaction_id(carrier, request.headers)
    except ValidationFailed as exc:
        raise ApiError(400, exc.message, exc.fields) from exc
    stored = webhooks.store(carrier, transaction_id, body)
    if stored.state == "refused":
        raise ApiError(422, stored.reason, {}, code="refused")
    if stored.created and current_app.config["CARRIER_WEBHOOK_APPLY"] == "inline":
        _apply_now(stored.id)
    return jsonify(code="success", transaction=stored.transaction_id)


def _body() -> bytes:
    """The raw body, at most CARRIER_WEBHOOK_MAX_BYTES (413 beyond)."""
    cap = int(current_app.config["CARRIER_WEBHOOK_MAX_BYTES"])
    if request.content_length is not None and request.content_length > cap:
        raise ApiError(413, f"Nội dung webhook tối đa {cap} byte.")
    body = request.stream.read(cap + 1)
    if len(body) > cap:
        raise ApiError(413, f"Nội dung webhook tối đa {cap} byte.")
    return body


def _apply_now(inbox_id: int) -> None:
    """Apply the stored call; whatever fails here, the call is kept (pending) and answered."""
    try:
        webhooks.apply(inbox_id, ip_address=None)
    except Exception:  # stored and committed already: the carrier is told so all the same
        db.session.rollback()
        log.warning("carrier webhook %s kept pending: applying it failed", inbox_id, exc_info=True)
