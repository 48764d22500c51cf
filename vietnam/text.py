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


def unaccent(text: str | None) -> str:
    """TEXT without diacritics, case kept: ``Hồ sơ Đã nhận`` → ``Ho so Da nhan``."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    )


def contains_pattern(term: str) -> str:
    """A LIKE pattern (escape character ``\\``) matching TERM anywhere, its ``%`` and ``_``
    taken as themselves."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_key(*parts: str | None) -> str:
    """The folded, space-joined text that search matches against."""
    return " ".join(p for p in (fold(part) for part in parts) if p)


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # ` ? ~ ' .


def vietnamese_key(text: str) -> tuple:
    """A sort key in Vietnamese dictionary order (``Đà Nẵng`` after ``Cà Mau``, before ``Gia
    Lai``; ``Bá`` before ``Bắc``): letters first, tones only to break ties."""
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", text.lower()):
        if char in _LETTER_MARKS and letters:
            letters[-1] = (letters[-1][0], _LETTER_MARKS[char])
        elif char in _TONES:
            tones.append(_TONES[char])
        elif char == "đ":
            letters.append(("d", 9))
        else:
            letters.append((char, 0))
    return tuple(letters), tuple(tones)


# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...), +1,
# -1+2, @SUM(...)); a tab or carriage return in front is skipped by some importers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """TEXT that no spreadsheet runs as a formula: ``=cmd|...`` → ``'=cmd|...``."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
