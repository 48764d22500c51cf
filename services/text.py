"""Vietnamese text normalisation for diacritics-insensitive search."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case TEXT without diacritics: ``Nguyễn Văn Đức`` → ``nguyen van duc``."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def search_key(*parts: str | None) -> str:
    """The folded, space-joined text that search matches against."""
    return " ".join(p for p in (fold(part) for part in parts) if p)
