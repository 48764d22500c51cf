"""Signing in: one answer for any wrong username or password."""

from sqlalchemy import select

from extensions import db
from models.base import utcnow
from models.user import User
from services import audit
from services.errors import ServiceError
from services.passwords import verify_password


class LoginFailed(ServiceError):
    code = "login_failed"


WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."


def authenticate(username: str, password: str, ip_address: str | None = None) -> User:
    """The active user with these credentials, or LoginFailed (audited either way)."""
    username = (username or "").strip()
    user = db.session.scalar(select(User).where(User.username == username))
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or not user.active:
        if user is not None:
            user.failed_logins += 1
        audit.record(
            "login_failed",
            "user",
            user.id if user else None,
            ip_address=ip_address,
            summary=username[:80],
        )
        db.session.commit()
        raise LoginFailed(WRONG_CREDENTIALS)
    user.failed_logins = 0
    user.last_login_at = utcnow()
    audit.record("login", "user", user.id, actor=user, ip_address=ip_address)
    db.session.commit()
    return user
