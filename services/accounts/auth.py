"""Signing in and out: one answer for any wrong username or password, a lock that holds,
and the epochs that end a user's sessions and tokens.

Every attempt at a username, existing or not, is counted in the database
(``login_throttle``) *before* the password is checked, by one atomic
statement; so a burst of N simultaneous guesses checks at most MAX_FAILURES
passwords, the rest being refused as locked. The panel's form, the API's token
endpoint and the password-change form share this one counter. Each write here is its
own transaction: a failure counted stays counted whatever the caller does next.
"""

import random
from datetime import timedelta

from sqlalchemy import and_, case, delete, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from extensions import db
from models.base import UTCDateTime, utcnow
from models.security import LoginThrottle
from models.user import User
from services import audit
from services.accounts.passwords import PasswordChecksBusy, verify_password_bounded
from services.errors import ServiceError
from services.transactions import transaction

MAX_FAILURES = 5
LOCK_MINUTES = 15
WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
TOO_MANY_ATTEMPTS = (
    f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {LOCK_MINUTES} phút "
    "hoặc liên hệ bộ phận CNTT."
)
BUSY = "Hệ thống đang bận kiểm tra đăng nhập; vui lòng thử lại sau ít giây."
WRONG_CURRENT_PASSWORD = "Mật khẩu hiện tại không đúng."  # noqa: S105 (a message)


class LoginFailed(ServiceError):
    code = "login_failed"


class LoginLocked(LoginFailed):
    code = "login_locked"


class LoginBusy(ServiceError):
    code = "login_busy"


def authenticate(username: str, password: str, ip_address: str | None = None) -> User:
    """The active user with these credentials, or LoginFailed / LoginLocked / LoginBusy.

    Unknown, inactive and real usernames go through the same steps, so the
    answers never tell whether an account exists. Failures are audited.
    """
    key = (username or "").strip()[:80]
    user = db.session.scalar(select(User).where(User.username == key)) if key else None
    ok = _guarded_check(key, user, password, ip_address)
    if not (ok and user is not None and user.active):
        _failed(user, key, ip_address, "login_failed")
        raise LoginFailed(WRONG_CREDENTIALS)
    with transaction():
        user.locked_until = None
        user.last_login_at = utcnow()
        audit.record("login", "user", user.id, actor=user, ip_address=ip_address)
    return user


def end_sessions(user: User, *, tokens: bool) -> None:
    """End USER's panel sessions everywhere (a copied cookie too); with TOKENS, the API
    tokens as well. Sessions and tokens carry the epoch they were issued under; a password
    change, a reset and a deactivation end both (services.accounts.users), a sign-out the
    sessions and, when asked, the tokens."""
    user.session_epoch += 1
    if tokens:
        user.token_epoch += 1


def sign_out(user: User, *, end_tokens: bool, ip_address: str | None = None) -> None:
    """End USER's sessions (and with END_TOKENS the API tokens) and audit it."""
    end_sessions(user, tokens=end_tokens)
    audit.record(
        "logout",
        "user",
        user.id,
        actor=user,
        ip_address=ip_address,
        summary="Đăng xuất, thu hồi mã truy cập API" if end_tokens else "Đăng xuất",
    )


def check_current_password(user: User, password: str, ip_address: str | None = None) -> None:
    """Refuse a wrong current password (password change) as a failed sign-in would count."""
    if not _guarded_check(user.username, user, password, ip_address):
        _failed(user, user.username, ip_address, "login_failed")
        raise LoginFailed(WRONG_CURRENT_PASSWORD)


def _guarded_check(key: str, user: User | None, password: str, ip_address) -> bool:
    """Count the attempt, refuse it when the username is locked, else check the password."""
    now = utcnow()
    attempts, locked_until = _count_attempt(key, now)
    if attempts > MAX_FAILURES or (locked_until is not None and locked_until > now):
        _lock(key, now)
        _failed(user, key, ip_address, "login_locked")
        raise LoginLocked(TOO_MANY_ATTEMPTS)
    try:
        ok = verify_password_bounded(user.password_hash if user else None, password or "")
    except PasswordChecksBusy as exc:
        _uncount(key)
        raise LoginBusy(BUSY) from exc
    if ok and user is not None and user.active:
        with transaction():
            db.session.execute(delete(LoginThrottle).where(LoginThrottle.username == key))
        return True
    if attempts >= MAX_FAILURES:
        _lock(key, now)
    return False


def _upsert(dialect_name: str):
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(LoginThrottle)


def _count_attempt(key: str, now) -> tuple[int, object]:
    """Add one attempt at KEY (a new window once the last is over) in its own transaction."""
    window_over = and_(
        LoginThrottle.window_started_at < now - timedelta(minutes=LOCK_MINUTES),
        or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
    )
    moment = literal(now, UTCDateTime())
    statement = (
        _upsert(db.session.get_bind().dialect.name)
        .values(username=key, attempts=1, window_started_at=now, locked_until=None)
        .on_conflict_do_update(
            index_elements=[LoginThrottle.username],
            set_={
                "attempts": case((window_over, 1), else_=LoginThrottle.attempts + 1),
                "window_started_at": case(
                    (window_over, moment), else_=LoginThrottle.window_started_at
                ),
            },
        )
        .returning(LoginThrottle.attempts, LoginThrottle.locked_until)
    )
    with transaction():
        attempts, locked_until = db.session.execute(statement).one()
        if random.random() < 0.01:  # noqa: S311 (housekeeping, not security)
            _forget_old(now)
    return attempts, locked_until


def _uncount(key: str) -> None:
    """Give back an attempt whose password could not be checked (server busy)."""
    with transaction():
        db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.username == key, LoginThrottle.attempts > 0)
            .values(attempts=LoginThrottle.attempts - 1)
        )


def _lock(key: str, now) -> None:
    """Lock KEY for LOCK_MINUTES unless it is locked already (a lock is never stretched)."""
    until = now + timedelta(minutes=LOCK_MINUTES)
    db.session.execute(
        update(LoginThrottle)
        .where(
            LoginThrottle.username == key,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        )
        .values(locked_until=until)
    )
    db.session.execute(update(User).where(User.username == key).values(locked_until=until))


def _forget_old(now) -> None:
    """Drop counters whose window and lock are both over."""
    db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_started_at < now - timedelta(minutes=LOCK_MINUTES),
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now),
        )
    )


def unlock(username: str) -> None:
    """Forget USERNAME's failures and lock (a new password given by IT staff)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.username == username))


def _failed(user, username, ip_address, action) -> None:
    with transaction():
        audit.record(
            action, "user", user.id if user else None, ip_address=ip_address, summary=username[:80]
        )
