"""Formats of DOMAIN.md: citizen ID, phone, tax code, UPU S10 tracking code.

Each ``normalise_*`` returns the stored form or raises ValueError with a
Vietnamese message fit to show under the field.
"""

import re

_CCCD = re.compile(r"\d{12}", re.ASCII)
# Mobiles: 10 digits, 03/05/07/08/09; landlines: 11 digits, 02 + area code (e.g. 0208 Thái Nguyên).
_MOBILE = re.compile(r"0[35789]\d{8}", re.ASCII)
_LANDLINE = re.compile(r"02\d{9}", re.ASCII)
_S10 = re.compile(r"[A-Z]{2}\d{8}\d[A-Z]{2}", re.ASCII)
_TAX = re.compile(r"\d{10}(-\d{3})?", re.ASCII)
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def normalise_citizen_id(value: str) -> str:
    """12 digits, the first three a province code 001–096."""
    value = (value or "").strip()
    stray = sorted({c for c in value if not ("0" <= c <= "9")})
    if stray:
        raise ValueError(
            "Số CCCD phải gồm đúng 12 chữ số. Có ký tự không phải chữ số: "
            + " ".join(f"«{c}»" if c.strip() else "«dấu cách»" for c in stray)
            + "."
        )
    if not _CCCD.fullmatch(value):
        counted = f" Đang có {len(value)} chữ số." if value else ""
        raise ValueError("Số CCCD phải gồm đúng 12 chữ số." + counted)
    if not 1 <= int(value[:3]) <= 96:
        raise ValueError("Ba chữ số đầu của CCCD phải là mã tỉnh từ 001 đến 096.")
    return value


def normalise_phone(value: str) -> str:
    """A 10-digit mobile (03/05/07/08/09) or an 11-digit landline (02…); +84 → 0."""
    value = re.sub(r"[\s.\-()]", "", value or "")
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("84") and len(value) in (11, 12):
        value = "0" + value[2:]
    if not (_MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value)):
        raise ValueError(
            "Số điện thoại phải là số di động 10 chữ số (bắt đầu bằng 03, 05, 07, 08, 09) "
            "hoặc số cố định 11 chữ số (bắt đầu bằng 02, ví dụ 02083888999); "
            "chấp nhận dạng +84."
        )
    return value


def tax_check_digit(first_nine: str) -> int | None:
    """The 10th digit of a tax code, or None when the code cannot be valid."""
    total = sum(int(d) * w for d, w in zip(first_nine, _TAX_WEIGHTS, strict=True))
    digit = 10 - (total % 11)
    return None if digit == 10 else digit % 10


def normalise_tax_code(value: str) -> str:
    """10 digits with a valid check digit, or ``NNNNNNNNNN-NNN`` for a branch."""
    value = (value or "").strip()
    if not _TAX.fullmatch(value):
        raise ValueError("Mã số thuế phải có 10 chữ số, hoặc 13 chữ số dạng NNNNNNNNNN-NNN.")
    main = value[:10]
    if tax_check_digit(main[:9]) != int(main[9]):
        raise ValueError("Mã số thuế không đúng (sai chữ số kiểm tra).")
    return value


def s10_check_digit(serial: str) -> int:
    """UPU S10 check digit of an 8-digit serial number."""
    total = sum(int(d) * w for d, w in zip(serial, _S10_WEIGHTS, strict=True))
    check = 11 - (total % 11)
    return {10: 0, 11: 5}.get(check, check)


def normalise_tracking_code(value: str) -> str:
    """An upper-case UPU S10 code such as ``EB123456785VN`` with a valid check digit."""
    value = (value or "").strip().upper()
    if not _S10.fullmatch(value):
        raise ValueError(
            "Mã bưu gửi phải có dạng 2 chữ cái, 9 chữ số, 2 chữ cái (ví dụ EB123456785VN)."
        )
    if s10_check_digit(value[2:10]) != int(value[10]):
        raise ValueError("Mã bưu gửi không đúng (sai chữ số kiểm tra).")
    return value
