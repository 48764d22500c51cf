"""The QR code of a chip citizen ID card (CCCD), as a USB 2D scanner types it.

``ID|old ID|name|ddmmyyyy|sex|address|issue date``: the 12-digit ID, the 9-digit old
ID (may be empty), the full name, the birth date, ``Nam``/``Nữ``, the permanent address
and the issue date (ddmmyyyy). The ID itself says where the holder's birth was
registered (digits 1–3, a province code), their sex and century (digit 4: 0 male 1900s,
1 female 1900s, 2 male 2000s, 3 female 2000s, and so on per century) and the last two
digits of the birth year (digits 5–6): ``read_card`` checks all three against the
card's other fields, so a garbled scan or a forged card is named, never filled in.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from vietnam.addresses import guess_address
from vietnam.text import fold
from vietnam.validation import normalise_citizen_id

# Birth registration provinces of the CCCD's first three digits (the 63 provinces then).
BIRTH_PROVINCES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa – Vũng Tàu", "079": "Thành phố Hồ Chí Minh", "080": "Long An",
    "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip
SEXES = {"nam": "Nam", "nu": "Nữ"}
_OLD_ID = re.compile(r"\d{9}", re.ASCII)
_DATE = re.compile(r"\d{8}", re.ASCII)


class CardError(ValueError):
    """The text is not a CCCD's QR code; the message says why, in Vietnamese."""


@dataclass
class Card:
    """What a CCCD's QR code says, where its address points, and what does not agree."""

    id_number: str
    old_id: str
    name: str
    birth_date: date
    sex: str  # "Nam" | "Nữ"
    address: str
    issue_date: date | None
    province_code: int | None = None  # of the address, when recognised
    ward_code: int | None = None
    street: str = ""
    mismatches: list[str] = field(default_factory=list)  # the ID disagrees with the card
    notes: list[str] = field(default_factory=list)  # what the clerk should complete

    @property
    def birth_province(self) -> str | None:
        return BIRTH_PROVINCES.get(self.id_number[:3])


def _date(text: str, what: str) -> date:
    if not _DATE.fullmatch(text):
        raise CardError(f"{what} trong mã QR phải có dạng ddmmyyyy (đọc được «{text}»).")
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        raise CardError(f"{what} trong mã QR không phải một ngày có thật («{text}»).") from None


def parse(text: str) -> Card:
    """The card behind a scanned QR TEXT, or CardError saying why it is not one."""
    text = unicodedata.normalize("NFC", (text or "").strip())
    parts = [p.strip() for p in text.split("|")]
    if len(parts) < 7:
        raise CardError(
            "Không đọc được mã QR của CCCD: cần 7 phần cách nhau bởi «|» "
            f"(số CCCD|số CMND|họ tên|ngày sinh|giới tính|địa chỉ|ngày cấp), đọc được {len(parts)}."
        )
    id_number, old_id, name, born, sex, address, issued = parts[:7]
    try:
        id_number = normalise_citizen_id(id_number)
    except ValueError as exc:
        raise CardError(f"Số CCCD trong mã QR không hợp lệ: {exc}") from None
    if old_id and not _OLD_ID.fullmatch(old_id):
        raise CardError(f"Số CMND cũ trong mã QR phải gồm 9 chữ số (đọc được «{old_id}»).")
    if not name:
        raise CardError("Mã QR không có họ tên.")
    if fold(sex) not in SEXES:
        raise CardError(f"Giới tính trong mã QR phải là «Nam» hoặc «Nữ» (đọc được «{sex}»).")
    return Card(
        id_number=id_number,
        old_id=old_id,
        name=" ".join(name.split()),
        birth_date=_date(born, "Ngày sinh"),
        sex=SEXES[fold(sex)],
        address=" ".join(address.split()),
        issue_date=_date(issued, "Ngày cấp") if issued else None,
    )


def mismatches(card: Card, today: date) -> list[str]:
    """What in CARD's ID number disagrees with its birth date, sex and issue date."""
    found = []
    code, digit, year = card.id_number[:3], int(card.id_number[3]), card.id_number[4:6]
    if code not in BIRTH_PROVINCES:
        found.append(
            f"Ba chữ số đầu của số CCCD ({code}) không phải mã tỉnh nơi đăng ký khai sinh."
        )
    century, sex = 1900 + (digit // 2) * 100, ("Nam", "Nữ")[digit % 2]
    born = card.birth_date
    if not century <= born.year < century + 100:
        found.append(
            f"Chữ số thứ 4 của số CCCD ({digit}) ứng với người sinh từ năm {century} đến "
            f"{century + 99}, nhưng ngày sinh trên thẻ là {born:%d/%m/%Y}."
        )
    if sex != card.sex:
        found.append(
            f"Chữ số thứ 4 của số CCCD ({digit}) ứng với giới tính {sex}, nhưng thẻ ghi {card.sex}."
        )
    if year != f"{born.year % 100:02d}":
        found.append(
            f"Chữ số thứ 5–6 của số CCCD ({year}) phải là hai số cuối của năm sinh ({born.year})."
        )
    if born > today:
        found.append(f"Ngày sinh {born:%d/%m/%Y} ở tương lai.")
    issued = card.issue_date
    if issued is not None and not born <= issued <= today:
        found.append(f"Ngày cấp {issued:%d/%m/%Y} phải sau ngày sinh và không ở tương lai.")
    return found


def read_card(text: str, today: date) -> Card:
    """The card behind TEXT with its address placed (best effort) and its ID cross-checked."""
    card = parse(text)
    card.mismatches = mismatches(card, today)
    card.province_code, card.ward_code, card.street = guess_address(card.address)
    if card.province_code is None:
        card.notes.append("Không nhận ra tỉnh/thành phố trong địa chỉ: hãy chọn tỉnh và xã.")
    elif card.ward_code is None:
        card.notes.append("Không nhận ra phường/xã hiện nay trong địa chỉ: hãy chọn phường/xã.")
    return card
