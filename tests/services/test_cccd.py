"""The chip ID card's QR code (issue 19, item 7): parsed, its address placed, its ID checked."""

from datetime import date

import pytest

from vietnam.addresses import guess_address, province_name, ward_name
from vietnam.cccd import CardError, mismatches, parse, read_card

TODAY = date(2026, 3, 10)
# 019 Thái Nguyên, 1 = woman born in the 1900s, 92 = born in 1992.
HOA = (
    "019192012345|091234567|Lê Thị Hoa|15081992|Nữ|"
    "Tổ 5, Phường Phan Đình Phùng, Thái Nguyên|01022022"
)


def test_a_card_is_read_field_by_field():
    card = read_card(HOA, TODAY)
    assert (card.id_number, card.old_id, card.name) == ("019192012345", "091234567", "Lê Thị Hoa")
    assert (card.birth_date, card.sex, card.issue_date) == (
        date(1992, 8, 15),
        "Nữ",
        date(2022, 2, 1),
    )
    assert card.birth_province == "Thái Nguyên"
    assert province_name(card.province_code) == "Thái Nguyên"
    assert ward_name(card.province_code, card.ward_code) == "Phường Phan Đình Phùng"
    assert card.street == "Tổ 5"
    assert card.mismatches == [] and card.notes == []


def test_an_empty_old_id_a_man_born_in_the_2000s_and_a_pre_merger_address():
    text = (
        "006203001234||Hoàng Văn Đức|02012003|Nam|"
        "Thôn Nà Cà, Xã Bằng Thành, Huyện Pác Nặm, Bắc Kạn|05062021"
    )
    card = read_card(text, TODAY)
    assert card.old_id == "" and card.sex == "Nam" and card.mismatches == []
    assert province_name(card.province_code) == "Thái Nguyên"  # Bắc Kạn merged into it
    assert ward_name(card.province_code, card.ward_code) == "Xã Bằng Thành"
    assert card.street == "Thôn Nà Cà"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a woman of the 2000s (3) born in 2092: the dates themselves are wrong
        (HOA.replace("019192", "019392").replace("15081992", "15082092"), None),
        (HOA.replace("|Nữ|", "|Nam|"), "ứng với giới tính Nữ, nhưng thẻ ghi Nam"),
        (
            HOA.replace("019192", "019102").replace("15081992", "15082002"),
            "ứng với người sinh từ năm 1900 đến 1999",
        ),
        (HOA.replace("15081992", "15081993"), "phải là hai số cuối của năm sinh (1993)"),
        (HOA.replace("019192", "003192"), "Ba chữ số đầu của số CCCD (003) không phải mã tỉnh"),
        (HOA.replace("01022022", "01021990"), "Ngày cấp 01/02/1990 phải sau ngày sinh"),
    ],
)
def test_the_id_is_checked_against_birth_date_sex_and_province(text, expected):
    found = mismatches(parse(text), TODAY)
    if expected is None:  # 2092 is in the future, the rest agrees
        assert found == [
            "Ngày sinh 15/08/2092 ở tương lai.",
            "Ngày cấp 01/02/2022 phải sau ngày sinh và không ở tương lai.",
        ]
    else:
        assert len(found) == 1 and expected in found[0], found


def test_century_and_sex_digits_follow_the_rule():
    for digit, year, sex in ((0, 1980, "Nam"), (1, 1980, "Nữ"), (2, 2005, "Nam"), (3, 2005, "Nữ")):
        text = f"019{digit}{year % 100:02d}012345||Tên|0101{year}|{sex}|Thái Nguyên|01012024"
        assert mismatches(parse(text), TODAY) == [], (digit, year, sex)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("019192012345", "cần 7 phần cách nhau bởi «|»"),
        ("01919201234|||15081992|Nữ|x|01022022", "Số CCCD trong mã QR không hợp lệ"),
        ("019192012345|12|Hoa|15081992|Nữ|x|01022022", "Số CMND cũ trong mã QR phải gồm 9 chữ số"),
        ("019192012345||Hoa|1581992|Nữ|x|01022022", "Ngày sinh trong mã QR phải có dạng ddmmyyyy"),
        ("019192012345||Hoa|31021992|Nữ|x|01022022", "không phải một ngày có thật"),
        (
            "019192012345||Hoa|15081992|F|x|01022022",
            "Giới tính trong mã QR phải là «Nam» hoặc «Nữ»",
        ),
        ("019192012345|||15081992|Nữ|x|01022022", "Mã QR không có họ tên."),
    ],
)
def test_what_is_not_a_card_is_refused_with_the_reason(text, message):
    with pytest.raises(CardError, match=message):
        parse(text)


def test_sex_without_diacritics_and_spaces_around_parts_are_read():
    card = parse(" 019192012345 | | Lê  Thị Hoa |15081992| nu |Thái Nguyên|01022022 ")
    assert card.sex == "Nữ" and card.name == "Lê Thị Hoa" and card.old_id == ""


def test_an_unknown_place_leaves_the_whole_address_as_the_street():
    card = read_card(
        HOA.replace("Tổ 5, Phường Phan Đình Phùng, Thái Nguyên", "Xóm 2, Tỉnh Xa"), TODAY
    )
    assert (card.province_code, card.ward_code, card.street) == (None, None, "Xóm 2, Tỉnh Xa")
    assert card.notes == ["Không nhận ra tỉnh/thành phố trong địa chỉ: hãy chọn tỉnh và xã."]


def test_addresses_with_abbreviated_kinds():
    province, ward, street = guess_address("123 Lê Lợi, P. Bến Thành, TP. Hồ Chí Minh")
    assert province_name(province) == "Thành phố Hồ Chí Minh"
    assert ward_name(province, ward) == "Phường Bến Thành" and street == "123 Lê Lợi"
