"""Formats of DOMAIN.md "Formats to validate": CCCD, phone, tax code, UPU S10 tracking code."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vietnam.validation import (
    normalise_citizen_id,
    normalise_phone,
    normalise_tax_code,
    normalise_tracking_code,
)

CCCD_LENGTH = "Số CCCD phải gồm đúng 12 chữ số."
CCCD_PROVINCE = "Ba chữ số đầu của CCCD phải là mã tỉnh từ 001 đến 096."
PHONE_MESSAGE = "Số điện thoại phải là số di động 10 chữ số"
TAX_SHAPE = "Mã số thuế phải có 10 chữ số"
TAX_CHECK = "Mã số thuế không đúng (sai chữ số kiểm tra)."
S10_SHAPE = "Mã bưu gửi phải có dạng 2 chữ cái, 9 chữ số, 2 chữ cái"
S10_CHECK = "Mã bưu gửi không đúng (sai chữ số kiểm tra)."

# The rules restated from DOMAIN.md, independently of vietnam.validation.
TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def _weighted(digits: str, weights) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True))


def _first_serial_with_remainder(remainder: int) -> str:
    """An 8-digit serial whose S10 weighted sum leaves REMAINDER modulo 11."""
    return next(
        serial
        for serial in (f"{n:08d}" for n in range(12345678, 12346678))
        if _weighted(serial, S10_WEIGHTS) % 11 == remainder
    )


# --- Citizen ID (CCCD) -------------------------------------------------------------


@pytest.mark.parametrize("value", ["019201012345", "006098001234", "001000000001", "096199912345"])
def test_citizen_id_with_a_province_prefix_is_accepted(value):
    assert normalise_citizen_id(value) == value


def test_citizen_id_surrounding_spaces_are_dropped():
    assert normalise_citizen_id("  019201012345 ") == "019201012345"


@pytest.mark.parametrize(
    "value", ["01920101234", "0192010123456", "01920101234A", "019 201 012 345", "", None]
)
def test_citizen_id_of_wrong_length_or_with_letters_is_refused(value):
    with pytest.raises(ValueError, match=re.escape(CCCD_LENGTH)):
        normalise_citizen_id(value)


@pytest.mark.parametrize("value", ["000201012345", "097201012345", "999201012345"])
def test_citizen_id_outside_province_codes_001_to_096_is_refused(value):
    with pytest.raises(ValueError) as caught:
        normalise_citizen_id(value)
    assert str(caught.value) == CCCD_PROVINCE


# --- Phone ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["0312345678", "0512345678", "0712345678", "0812345678", "0912345678", "02083888999"],
)
def test_phone_mobile_and_landline_prefixes_are_accepted(value):
    assert normalise_phone(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "02083888999",
        "+842083888999",
        "842083888999",
        "0208 388 8999",
        "(0208) 3888.999",
        "+84 208-388-8999",
        "0208-3888-999",
    ],
)
def test_eleven_digit_landline_in_any_written_form_is_stored_as_eleven_digits(value):
    # Issue 19: a Thái Nguyên landline (0208 area code) was refused as an applicant's phone.
    assert normalise_phone(value) == "02083888999"


@pytest.mark.parametrize(
    "value", ["+84912345678", "84912345678", "0912 345 678", "+84 912 345 678", "0912.345.678"]
)
def test_phone_international_and_spaced_forms_are_stored_as_ten_digits(value):
    assert normalise_phone(value) == "0912345678"


@pytest.mark.parametrize(
    "value",
    [
        "0123456789",  # old 01x mobile prefix
        "0412345678",
        "0612345678",
        "091234567",  # 9 digits
        "09123456789",  # 11 digits, but a mobile
        "0208388899",  # 10 digits, but a landline (02 + area code + number is 11)
        "020838889990",  # 12 digits
        "+8491234567",  # +84 form of a 9-digit number
        "091234567a",
        "",
    ],
)
def test_phone_with_wrong_prefix_or_length_is_refused(value):
    with pytest.raises(ValueError, match=re.escape(PHONE_MESSAGE)):
        normalise_phone(value)


_SEPARATORS = st.sampled_from(["", " ", ".", "-"])
MOBILES = st.builds(
    lambda prefix, rest: "0" + prefix + rest,
    st.sampled_from("35789"),
    st.text("0123456789", min_size=8, max_size=8),
)
LANDLINES = st.builds(lambda rest: "02" + rest, st.text("0123456789", min_size=9, max_size=9))


def _written(number: str, international: bool, separators: list[str]) -> str:
    """NUMBER as a person writes it: +84 or 0, separators between some digits."""
    digits = ("+84" + number[1:]) if international else number
    out = digits[:3]
    for i, digit in enumerate(digits[3:]):
        out += separators[i % len(separators)] + digit
    return out


@given(
    st.one_of(MOBILES, LANDLINES),
    st.booleans(),
    st.lists(_SEPARATORS, min_size=1, max_size=4),
)
def test_phone_property_any_written_form_stores_the_zero_prefixed_digits(number, plus, seps):
    stored = normalise_phone(_written(number, plus, seps))
    assert stored == number
    assert normalise_phone(stored) == stored  # stored numbers stay valid


@given(st.text("0123456789", min_size=0, max_size=14))
def test_phone_property_only_mobiles_and_landlines_pass(digits):
    mobile = len(digits) == 10 and digits[:2] in {"03", "05", "07", "08", "09"}
    landline = len(digits) == 11 and digits.startswith("02")
    international = digits.startswith("84") and len(digits) in (11, 12)
    if international:
        return  # the 84… form is the +84 one, covered above
    if mobile or landline:
        assert normalise_phone(digits) == digits
    else:
        with pytest.raises(ValueError, match=re.escape(PHONE_MESSAGE)):
            normalise_phone(digits)


# --- Tax code (MST) ------------------------------------------------------------------


def test_tax_code_with_correct_check_digit_is_accepted():
    # 0·31 + 1·29 + 0·23 + 0·19 + 1·17 + 0·13 + 9·7 + 1·5 + 0·3 = 114; 10 − 114 mod 11 = 6
    assert _weighted("010010910", TAX_WEIGHTS) == 114
    assert normalise_tax_code("0100109106") == "0100109106"


@pytest.mark.parametrize("last", [d for d in "0123456789" if d != "6"])
def test_tax_code_with_wrong_check_digit_is_refused(last):
    with pytest.raises(ValueError) as caught:
        normalise_tax_code("010010910" + last)
    assert str(caught.value) == TAX_CHECK


def test_tax_prefix_whose_check_digit_would_be_10_has_no_valid_code():
    prefix = next(
        p
        for p in (f"{n:09d}" for n in range(100109100, 100110100))
        if _weighted(p, TAX_WEIGHTS) % 11 == 0
    )
    for last in "0123456789":
        with pytest.raises(ValueError, match=re.escape(TAX_CHECK)):
            normalise_tax_code(prefix + last)


def test_tax_code_of_a_branch_is_accepted():
    assert normalise_tax_code("0100109106-001") == "0100109106-001"


@pytest.mark.parametrize(
    "value", ["0100109106-01", "0100109106-0001", "0100109106-", "010010910", "01001091060", ""]
)
def test_tax_code_of_wrong_shape_is_refused(value):
    with pytest.raises(ValueError, match=re.escape(TAX_SHAPE)):
        normalise_tax_code(value)


def test_branch_of_a_tax_code_with_wrong_check_digit_is_refused():
    with pytest.raises(ValueError, match=re.escape(TAX_CHECK)):
        normalise_tax_code("0100109107-001")


# --- UPU S10 tracking code -----------------------------------------------------------


def test_domain_example_tracking_code_is_valid():
    # 1·8 + 2·6 + 3·4 + 4·2 + 5·3 + 6·5 + 7·9 + 8·7 = 204; 11 − 204 mod 11 = 5
    assert _weighted("12345678", S10_WEIGHTS) == 204
    assert normalise_tracking_code("EB123456785VN") == "EB123456785VN"


def test_tracking_code_is_upper_cased():
    assert normalise_tracking_code(" eb123456785vn ") == "EB123456785VN"


@pytest.mark.parametrize("digit", [d for d in "0123456789" if d != "5"])
def test_tracking_code_with_wrong_check_digit_is_refused(digit):
    with pytest.raises(ValueError) as caught:
        normalise_tracking_code(f"EB12345678{digit}VN")
    assert str(caught.value) == S10_CHECK


@pytest.mark.parametrize(
    "value",
    ["EB12345678VN", "EB1234567855VN", "E123456785VN", "EB123456785V", "1B123456785VN", ""],
)
def test_tracking_code_of_wrong_shape_is_refused(value):
    with pytest.raises(ValueError, match=re.escape(S10_SHAPE)):
        normalise_tracking_code(value)


@pytest.mark.parametrize(
    ("remainder", "expected"),
    [(1, "0"), (0, "5")],  # 11 − 1 = 10 → 0; 11 − 0 = 11 → 5
)
def test_tracking_check_digit_special_cases(remainder, expected):
    serial = _first_serial_with_remainder(remainder)
    assert normalise_tracking_code(f"RR{serial}{expected}VN") == f"RR{serial}{expected}VN"
    for digit in "0123456789":
        if digit != expected:
            with pytest.raises(ValueError, match=re.escape(S10_CHECK)):
                normalise_tracking_code(f"RR{serial}{digit}VN")


# --- Digits mean ASCII digits ------------------------------------------------------


@pytest.mark.parametrize(
    ("normalise", "value"),
    [
        (normalise_citizen_id, "٠١٩٢٠١٠١٢٣٤٥"),  # Arabic-Indic digits
        (normalise_citizen_id, "０１９２０１０１２３４５"),  # full-width digits
        (normalise_phone, "０９１２３４５６７８"),
        (normalise_phone, "02０８３８５１２３"),  # ASCII "02", then full-width digits
        (normalise_tax_code, "０１００１０９１０６"),
        (normalise_tracking_code, "EB１２３４５６７８５VN"),
    ],
    ids=[
        "cccd-arabic-indic",
        "cccd-fullwidth",
        "phone-fullwidth",
        "landline-mixed",
        "tax-fullwidth",
        "s10-fullwidth",
    ],
)
def test_non_ascii_digits_are_refused(normalise, value):
    with pytest.raises(ValueError):
        normalise(value)
