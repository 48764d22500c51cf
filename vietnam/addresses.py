"""Addresses from the current administrative divisions (province → ward, since 07/2025)."""

from functools import lru_cache

from vietnam_provinces import Province, Ward

from vietnam.text import vietnamese_key

# Kinds that open a place's name; places are ordered by the name after them.
PLACE_KINDS = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn ")


def _place_order(name: str) -> tuple:
    for kind in PLACE_KINDS:
        if name.startswith(kind):
            return vietnamese_key(name[len(kind) :]), vietnamese_key(kind)
    return vietnamese_key(name), ()


@lru_cache(maxsize=1)
def provinces() -> list[tuple[int, str]]:
    """(code, name) of every province, in Vietnamese alphabetical order."""
    return sorted(
        ((int(p.code), p.name) for p in Province.iter_all()), key=lambda p: _place_order(p[1])
    )


@lru_cache(maxsize=64)
def wards(province_code: int) -> list[tuple[int, str]]:
    """(code, name) of the wards of one province, in Vietnamese order of their names
    (``Phường Bắc Kạn`` and ``Xã Bằng Thành`` near each other, not kinds apart)."""
    found = Province.from_code(province_code)
    return sorted(
        ((int(w.code), w.name) for w in Ward.iter_by_province(found.code)),
        key=lambda w: _place_order(w[1]),
    )


def province_name(code: int | None) -> str | None:
    return dict(provinces()).get(code) if code else None


def ward_name(province_code: int | None, ward_code: int | None) -> str | None:
    if not (province_code and ward_code):
        return None
    try:
        return dict(wards(province_code)).get(ward_code)
    except (ValueError, KeyError):
        return None


def full_address(street: str | None, province_code: int | None, ward_code: int | None) -> str:
    """``street, ward, province`` with whatever parts are known."""
    parts = [street, ward_name(province_code, ward_code), province_name(province_code)]
    return ", ".join(p.strip() for p in parts if p and p.strip())
