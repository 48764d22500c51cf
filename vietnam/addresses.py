"""Addresses from the current administrative divisions (province → ward, since 07/2025)."""

from functools import lru_cache

from vietnam_provinces import Province, Ward

from vietnam.text import fold, vietnamese_key

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


# Provinces merged into another on 01/07/2025: an address written before still names them.
MERGED_PROVINCES = {
    "ha giang": "tuyen quang", "yen bai": "lao cai", "bac kan": "thai nguyen",
    "vinh phuc": "phu tho", "hoa binh": "phu tho", "bac giang": "bac ninh",
    "thai binh": "hung yen", "hai duong": "hai phong", "ha nam": "ninh binh",
    "nam dinh": "ninh binh", "quang binh": "quang tri", "quang nam": "da nang",
    "kon tum": "quang ngai", "binh dinh": "gia lai", "ninh thuan": "khanh hoa",
    "dak nong": "lam dong", "binh thuan": "lam dong", "phu yen": "dak lak",
    "binh duong": "ho chi minh", "ba ria - vung tau": "ho chi minh",
    "ba ria vung tau": "ho chi minh", "binh phuoc": "dong nai", "long an": "tay ninh",
    "soc trang": "can tho", "hau giang": "can tho", "ben tre": "vinh long",
    "tra vinh": "vinh long", "tien giang": "dong thap", "bac lieu": "ca mau",
    "kien giang": "an giang", "thua thien hue": "hue",
}  # fmt: skip
_KINDS = ("thanh pho ", "tinh ", "tp. ", "tp.", "tp ", "phuong ", "xa ", "thi tran ",
          "dac khu ", "p. ", "p.", "x. ", "x.", "tt. ", "tt.")  # fmt: skip


def _bare(name: str) -> str:
    """NAME folded, without the kind of place in front: ``Phường Bắc Kạn`` → ``bac kan``."""
    name = fold(name).replace("–", "-")
    for kind in _KINDS:
        if name.startswith(kind):
            return name[len(kind) :].strip()
    return name


def _province_of(part: str) -> int | None:
    bare = _bare(part)
    bare = MERGED_PROVINCES.get(bare, bare)
    return next((code for code, name in provinces() if _bare(name) == bare), None)


def _ward_of(province_code: int, part: str) -> int | None:
    """The ward PART names: its full name, else its bare name when only one ward has it."""
    folded = fold(part)
    places = wards(province_code)
    exact = [code for code, name in places if fold(name) == folded]
    bare = [code for code, name in places if _bare(name) == _bare(part)]
    return (exact or (bare if len(bare) == 1 else [None]))[0]


def guess_address(text: str) -> tuple[int | None, int | None, str]:
    """(province, ward, street) of an address written as ``street, ward, …, province``,
    best effort: the last part naming a province (a merged one leads to its successor),
    the part before it naming one of its wards; the street is what comes before."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    province_at = next((i for i in range(len(parts) - 1, -1, -1) if _province_of(parts[i])), None)
    if province_at is None:
        return None, None, ", ".join(parts)
    province = _province_of(parts[province_at])
    for i in range(province_at - 1, -1, -1):
        ward = _ward_of(province, parts[i])
        if ward is not None:
            return province, ward, ", ".join(parts[:i])
    return province, None, ", ".join(parts[:province_at])
