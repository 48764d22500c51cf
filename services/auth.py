"""Signing in: one answer for any wrong username or password, and a lock after repeats."""

from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models.base import utcnow
from models.user import User
from services import audit
from services.errors import ServiceError
from services.passwords import verify_password

MAX_FAILURES = 5
LOCK_MINUTES = 15
WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
TOO_MANY_ATTEMPTS = (
    f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {LOCK_MINUTES} phút "
    "hoặc liên hệ bộ phận CNTT."
)


class LoginFailed(ServiceError):
    code = "login_failed"


class LoginLocked(LoginFailed):
    code = "login_locked"


def authenticate(username: str, password: str, ip_address: str | None = None) -> User:
    """The active user with these credentials, or LoginFailed / LoginLocked (audited).

    After MAX_FAILURES wrong passwords in a row the account is locked for
    LOCK_MINUTES, even to the right password. Unknown usernames get the same
    answers at the same counts from the per-username rate limit (views/public.py),
    so the messages never tell whether an account exists.
    """
    username = (username or "").strip()
    user = db.session.scalar(select(User).where(User.username == username))
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        _failed(user, username, ip_address, "login_locked")
        raise LoginLocked(TOO_MANY_ATTEMPTS)
    if not verify_password(user.password_hash if user else None, password or "") or not (
        user and user.active
    ):
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                user.failed_logins = 0
        _failed(user, username, ip_address, "login_failed")
        raise LoginFailed(WRONG_CREDENTIALS)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record("login", "user", user.id, actor=user, ip_address=ip_address)
    db.session.commit()
    return user


def _failed(user, username, ip_address, action) -> None:
    audit.record(
        action, "user", user.id if user else None, ip_address=ip_address, summary=username[:80]
    )
    db.session.commit()
