"""Which redirect targets are safe to follow."""

from urllib.parse import urlsplit


def is_local_path(target: str | None) -> bool:
    """True for a path on this site (``/admin/x?y``), never another host or scheme."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target
