"""The receipt attached to the «received» email, as a one-page PDF (fpdf2).

Only the receipt's impersonal part — code, procedure, dates, the center's phone: the full
Mẫu 01 names the applicant's ID number and address, which no message may carry; the signed
paper is handed over at the counter. The text is set in DejaVu Sans (Vietnamese
diacritics): the system's copy where there is one, else the one python-barcode ships.
"""

from functools import cache
from pathlib import Path

import barcode
from fpdf import FPDF

SYSTEM_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
NOTE = (
    "Bản gửi kèm thư điện tử: chỉ gồm mã hồ sơ, thủ tục và thời hạn; "
    "bản đầy đủ có chữ ký được giao tại quầy."
)
ROWS = (
    ("Mã hồ sơ", "ma_ho_so"),
    ("Thủ tục", "thu_tuc"),
    ("Tiếp nhận lúc", "ngay_tiep_nhan"),
    ("Hẹn trả kết quả", "hen_tra"),
    ("Điện thoại Trung tâm", "sdt_trung_tam"),
)


@cache
def font_path() -> str:
    if SYSTEM_FONT.is_file():
        return str(SYSTEM_FONT)
    return str(Path(barcode.__file__).parent / "fonts" / "DejaVuSansMono.ttf")


def receipt_pdf(values: dict) -> bytes:
    """The PDF of the receipt for VALUES (a message's placeholders)."""
    pdf = FPDF(format=(148, 210))  # A5, in millimetres
    pdf.set_title(f"Giấy tiếp nhận hồ sơ {values.get('ma_ho_so', '')}")
    pdf.set_creator("Một cửa Bưu điện")
    pdf.add_page()
    pdf.add_font("body", fname=font_path())
    pdf.set_font("body", size=12)
    pdf.multi_cell(0, 7, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("body", size=8)
    pdf.multi_cell(0, 5, NOTE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("body", size=10)
    for label, key in ROWS:
        pdf.multi_cell(0, 6, f"{label}: {values.get(key) or ''}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def receipt_attachment(values: dict) -> tuple[str, str, bytes]:
    """(file name, MIME type, content) of the receipt for VALUES (a message's placeholders)."""
    name = f"giay-tiep-nhan-{values.get('ma_ho_so', '')}.pdf"
    return name, "application/pdf", receipt_pdf(values)
