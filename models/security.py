"""Sign-in counters and revoked API tokens: the state behind the lock and sign-out."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import UTCDateTime


class LoginThrottle(db.Model):
    """Attempts at one username (existing or not) in the current window, and its lock.

    Counted atomically before the password is checked (services/accounts/auth.py), so a
    burst of guesses cannot slip past the count; unknown usernames get a row too,
    so that they answer exactly like real ones.
    """

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    attempts: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RevokedToken(db.Model):
    """An API token ended before its time (by ``POST /api/v1/auth/revoke``).

    Kept only until the token would have expired anyway.
    """

    __tablename__ = "revoked_token"

    jti: Mapped[str] = mapped_column(String(32), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
