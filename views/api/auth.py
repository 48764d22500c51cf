"""Bearer tokens: issued for a username and password, verified on every API call.

A token is the user's id, token epoch and a random id (``jti``) signed with
SECRET_KEY and a timestamp (itsdangerous). A password change, a deactivation or
a sign-out that ends the tokens (which bump the epoch) ends all of a user's
tokens at once; ``POST /auth/revoke`` ends one, listed until it would expire.
"""

import secrets
from datetime import UTC, datetime, timedelta
from functools import wraps

from flask import current_app, g, jsonify, request
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from extensions import db, limiter
from models.security import RevokedToken
from models.user import User
from services.accounts.auth import authenticate
from services.errors import ServiceError
from services.transactions import transaction
from views.api.blueprint import bp
from views.api.errors import ApiError
from views.api.inputs import Fields, json_object
from views.api.serializers import iso

TOKEN_SALT = "api-token"  # noqa: S105 (a namespace for signatures, not a secret)
DEFAULT_TOKEN_HOURS = 8
DEFAULT_ISSUE_LIMIT = "10 per minute"
EXPIRED = "Mã truy cập đã hết hạn; hãy lấy mã mới."
INVALID = "Mã truy cập không hợp lệ hoặc đã bị thu hồi; hãy lấy mã mới."
MISSING = "Thiếu mã truy cập: gửi tiêu đề Authorization: Bearer <token>."
MUST_CHANGE_FIRST = "Vui lòng đặt mật khẩu mới trên trang quản trị trước khi dùng API."


def serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def token_lifetime() -> timedelta:
    return timedelta(hours=current_app.config.get("API_TOKEN_HOURS", DEFAULT_TOKEN_HOURS))


def issue(user: User) -> dict:
    """A fresh token for USER and the instant it stops working."""
    payload = {"uid": user.id, "epoch": user.token_epoch, "jti": secrets.token_hex(16)}
    token = serializer().dumps(payload)
    _payload, signed_at = serializer().loads(token, return_timestamp=True)
    return {"token": token, "expires_at": iso(signed_at + token_lifetime())}


def _claims(token: str) -> tuple[int, int, str, datetime]:
    """TOKEN's user id, epoch, jti and signing instant, or 401."""
    try:
        payload, signed_at = serializer().loads(
            token, max_age=int(token_lifetime().total_seconds()), return_timestamp=True
        )
    except SignatureExpired as exc:
        raise ApiError(401, EXPIRED) from exc
    except BadData as exc:
        raise ApiError(401, INVALID) from exc
    if not isinstance(payload, dict):
        raise ApiError(401, INVALID)
    uid, epoch, jti = payload.get("uid"), payload.get("epoch"), payload.get("jti")
    if not isinstance(uid, int) or not isinstance(epoch, int) or not isinstance(jti, str):
        raise ApiError(401, INVALID)
    return uid, epoch, jti[:32], signed_at.astimezone(UTC)


def user_of(token: str) -> User:
    """The active user TOKEN speaks for, or 401 (also when it was revoked)."""
    uid, epoch, jti, signed_at = _claims(token)
    revoked = select(RevokedToken.jti).where(RevokedToken.jti == jti).exists()
    query = select(User, revoked).options(joinedload(User.roles)).where(User.id == uid)
    found = db.session.execute(query).unique().first()  # one statement on every call
    user = found[0] if found else None
    if user is None or not user.active or user.token_epoch != epoch or found[1]:
        raise ApiError(401, INVALID)
    g.api_token = (jti, signed_at + token_lifetime())
    refuse_until_password_changed(user)
    return user


def refuse_until_password_changed(user: User) -> None:
    """As the panel does: a temporary password opens nothing until it is changed."""
    if user.must_change_password:
        raise ApiError(403, MUST_CHANGE_FIRST, code="password_change_required")


def current_api_user() -> User:
    """The user of this request's bearer token (checked once per request), or 401."""
    if "api_user" not in g:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, MISSING)
        g.api_user = user_of(token.strip())
    return g.api_user


def token_required(view):
    """Refuse the call with 401 unless it carries a valid token of an active user."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        current_api_user()
        return view(*args, **kwargs)

    return wrapper


def _failed(response) -> bool:
    return response.status_code == 401


@bp.route("/auth/token", methods=["POST"])
@limiter.limit(
    lambda: current_app.config.get("API_TOKEN_RATE_LIMIT", DEFAULT_ISSUE_LIMIT),
    deduct_when=_failed,
)
def issue_token():
    """Exchange a username and password for a token (failures audited, accounts lock)."""
    fields = Fields(json_object())
    username, password = fields.text("username"), fields.text("password")
    fields.check()
    try:
        user = authenticate(username or "", password or "", ip_address=request.remote_addr)
    except ServiceError as exc:
        status, code = SIGN_IN_ERRORS[exc.code]
        raise ApiError(status, exc.message, code=code) from exc
    refuse_until_password_changed(user)
    return jsonify(issue(user))


SIGN_IN_ERRORS = {
    "login_failed": (401, "unauthorized"),
    "login_locked": (429, "rate_limited"),
    "login_busy": (503, "service_unavailable"),
}


@bp.route("/auth/revoke", methods=["POST"])
@token_required
def revoke_token():
    """End the token this call carries (at once, on every app server)."""
    jti, expires_at = g.api_token
    with transaction():
        db.session.add(RevokedToken(jti=jti, expires_at=expires_at))
        db.session.execute(delete(RevokedToken).where(RevokedToken.expires_at < datetime.now(UTC)))
    return jsonify(revoked=True)
