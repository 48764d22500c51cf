"""Addresses from the current divisions (province → ward since 07/2025)."""

import pytest

from vietnam.addresses import full_address, province_name, provinces, ward_name, wards

THAI_NGUYEN = 19


def ward_code(province_code: int, name: str) -> int:
    found = [code for code, ward in wards(province_code) if ward == name]
    assert len(found) == 1, f"{name} not found once in province {province_code}"
    return found[0]


def test_thai_nguyen_is_province_19():
    assert province_name(THAI_NGUYEN) == "Thái Nguyên"
    assert (THAI_NGUYEN, "Thái Nguyên") in provinces()


def test_bac_kan_is_a_ward_of_thai_nguyen_since_the_merger():
    code = ward_code(THAI_NGUYEN, "Phường Bắc Kạn")
    assert ward_name(THAI_NGUYEN, code) == "Phường Bắc Kạn"


def test_wards_are_sorted_by_name_and_belong_to_their_province():
    from vietnam.addresses import _place_order

    listed = wards(THAI_NGUYEN)
    assert len(listed) > 50
    names = [name for _, name in listed]
    assert names == sorted(names, key=_place_order)  # Vietnamese order, see below
    other = {code for code, _ in wards(4)}  # Cao Bằng
    assert other.isdisjoint(code for code, _ in listed)


def test_full_address_is_street_ward_province():
    code = ward_code(THAI_NGUYEN, "Phường Bắc Kạn")
    assert full_address("Số 10, đường Trường Chinh", THAI_NGUYEN, code) == (
        "Số 10, đường Trường Chinh, Phường Bắc Kạn, Thái Nguyên"
    )


def test_full_address_trims_the_street():
    code = ward_code(THAI_NGUYEN, "Phường Bắc Kạn")
    assert full_address("  Tổ 5  ", THAI_NGUYEN, code) == "Tổ 5, Phường Bắc Kạn, Thái Nguyên"


def test_full_address_without_street():
    code = ward_code(THAI_NGUYEN, "Phường Bắc Kạn")
    assert full_address(None, THAI_NGUYEN, code) == "Phường Bắc Kạn, Thái Nguyên"
    assert full_address("   ", THAI_NGUYEN, code) == "Phường Bắc Kạn, Thái Nguyên"


def test_unknown_ward_is_skipped():
    assert full_address("Tổ 5", THAI_NGUYEN, 999_999) == "Tổ 5, Thái Nguyên"


def test_ward_of_another_province_is_skipped():
    cao_bang_ward = wards(4)[0][0]
    assert ward_name(THAI_NGUYEN, cao_bang_ward) is None
    assert full_address("Tổ 5", THAI_NGUYEN, cao_bang_ward) == "Tổ 5, Thái Nguyên"


@pytest.mark.parametrize("province_code", [999, 0, None])
def test_unknown_province_is_skipped_with_its_ward(province_code):
    code = ward_code(THAI_NGUYEN, "Phường Bắc Kạn")
    assert province_name(province_code) is None
    assert ward_name(province_code, code) is None
    assert full_address("Tổ 5", province_code, code) == "Tổ 5"


def test_retired_province_code_is_skipped():
    # Bắc Kạn (06) was merged into Thái Nguyên on 01/07/2025.
    assert full_address("Tổ 5", 6, None) == "Tổ 5"


def test_nothing_known_gives_an_empty_address():
    assert full_address(None, None, None) == ""


def test_provinces_and_wards_are_in_vietnamese_order():
    from vietnam.addresses import provinces, wards
    from vietnam.text import vietnamese_key

    names = [name for _code, name in provinces()]
    assert names.index("Cà Mau") < names.index("Cao Bằng") < names.index("Thành phố Cần Thơ")
    assert names.index("Thành phố Đà Nẵng") < names.index("Đắk Lắk") < names.index("Gia Lai")
    assert names[-1] == "Vĩnh Long"  # Đ sorts after D, not after Z
    ward_names = [name for _code, name in wards(19)]
    assert ward_names.index("Phường Bá Xuyên") < ward_names.index("Xã Bạch Thông")
    assert ward_names.index("Xã Bạch Thông") < ward_names.index("Phường Bắc Kạn")
    assert sorted(["ư", "u", "ơ", "ô", "o"], key=vietnamese_key) == ["o", "ô", "ơ", "u", "ư"]
