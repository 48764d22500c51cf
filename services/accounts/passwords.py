"""Password hashing with Argon2id, and the password policy."""

import threading
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the username is unknown, so that both cases take as long.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when PASSWORD matches; a missing or broken hash never matches."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


class PasswordChecksBusy(RuntimeError):
    """Every password-check slot stayed taken for the whole wait."""


# Each check takes ~64 MiB (Argon2's memory cost): a burst must queue, not pile up.
_slots = threading.BoundedSemaphore(4)
_wait_seconds = 10.0


def limit_concurrent_checks(count: int, wait_seconds: float = 10.0) -> None:
    """Allow COUNT password checks at once in this process; others wait WAIT_SECONDS."""
    global _slots, _wait_seconds
    _slots = threading.BoundedSemaphore(max(1, count))
    _wait_seconds = wait_seconds


def verify_password_bounded(password_hash: str | None, password: str) -> bool:
    """verify_password in one of the limited slots, or PasswordChecksBusy."""
    slots = _slots
    if not slots.acquire(timeout=_wait_seconds):
        raise PasswordChecksBusy
    try:
        return verify_password(password_hash, password)
    finally:
        slots.release()


MIN_LENGTH = 10
_COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def policy_problem(password: str, username: str = "") -> str | None:
    """Why PASSWORD is not acceptable for USERNAME (in Vietnamese), or None when it is."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự."
    lowered = password.lower()
    if username and username.lower() in lowered:
        return "Mật khẩu không được chứa tên đăng nhập."
    if lowered in _common() or len(set(lowered)) <= 2:
        return "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."
    return None
