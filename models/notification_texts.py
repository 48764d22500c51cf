"""The placeholders a template may use and the default text of every event × channel.

Data only (the migration seeds the defaults from here; the service falls back to them
when a row is missing). SMS texts are unaccented GSM-7 and fit one 160-character
segment with every placeholder at its widest; a message names the dossier, the
procedure, dates, the status and the tracking code only — never the applicant's ID
number, address or the result's content.
"""

from dataclasses import dataclass

from models.vocabulary import N_


@dataclass(frozen=True)
class Placeholder:
    name: str  # written {name} in a template
    vi: str
    msgid: str
    sample: str  # what the preview shows
    sms_width: int  # the widest it gets in an SMS (the 160-character check counts this)


PLACEHOLDERS = (
    Placeholder("ma_ho_so", "Mã hồ sơ", N_("Dossier code"), "000.00.15.H55-260305-0012", 30),
    Placeholder("thu_tuc", "Tên thủ tục", N_("Procedure"), "Cấp giấy phép xuất bản bản tin", 40),
    Placeholder("ngay_tiep_nhan", "Thời điểm tiếp nhận", N_("Received at"), "14:05 05/03/2026", 16),
    Placeholder("hen_tra", "Hẹn trả kết quả", N_("Appointment"), "16:00 12/03/2026", 16),
    Placeholder("ma_buu_gui", "Mã bưu gửi", N_("Tracking code"), "EB123456785VN", 13),
    Placeholder("trang_thai", "Trạng thái hồ sơ", N_("Status"), "đã tiếp nhận", 24),
    Placeholder(
        "sdt_trung_tam", "Số điện thoại Trung tâm", N_("The center's phone"), "02083856789", 14
    ),
)
PLACEHOLDER_NAMES = tuple(p.name for p in PLACEHOLDERS)


@dataclass(frozen=True)
class DefaultText:
    sms: str
    subject: str
    email: str
    zalo: str  # what the ZNS template says (its parameters are the placeholders)


_SIGN = "\n\nTrung tâm Phục vụ hành chính công tỉnh — Bưu điện tỉnh.\nĐiện thoại: {sdt_trung_tam}."
DEFAULTS = {
    "received": DefaultText(
        "Ho so {ma_ho_so} da duoc tiep nhan luc {ngay_tiep_nhan}. "
        "Hen tra ket qua {hen_tra}. LH {sdt_trung_tam}",
        "Hồ sơ {ma_ho_so} đã được tiếp nhận",
        "Hồ sơ {ma_ho_so} ({thu_tuc}) đã được tiếp nhận lúc {ngay_tiep_nhan}.\n"
        "Thời gian hẹn trả kết quả: {hen_tra}." + _SIGN,
        "Hồ sơ {ma_ho_so} đã được tiếp nhận lúc {ngay_tiep_nhan}; hẹn trả {hen_tra}.",
    ),
    "supplement_requested": DefaultText(
        "Ho so {ma_ho_so} can bo sung giay to. Vui long den Bo phan Mot cua "
        "hoac LH {sdt_trung_tam} de biet chi tiet.",
        "Hồ sơ {ma_ho_so} cần bổ sung",
        "Hồ sơ {ma_ho_so} ({thu_tuc}) cần bổ sung giấy tờ. Xin mời Ông/Bà đến Bộ phận "
        "Một cửa hoặc gọi số điện thoại bên dưới để biết chi tiết." + _SIGN,
        "Hồ sơ {ma_ho_so} cần bổ sung giấy tờ; liên hệ {sdt_trung_tam}.",
    ),
    "apology": DefaultText(
        "Xin loi: ho so {ma_ho_so} cham tra ket qua. Hen tra moi: {hen_tra}. LH {sdt_trung_tam}",
        "Xin lỗi vì hồ sơ {ma_ho_so} chậm trả kết quả",
        "Cơ quan giải quyết xin lỗi Ông/Bà vì hồ sơ {ma_ho_so} ({thu_tuc}) chưa có kết quả "
        "đúng hẹn.\nThời gian hẹn trả mới: {hen_tra}." + _SIGN,
        "Xin lỗi: hồ sơ {ma_ho_so} chậm trả; hẹn trả mới {hen_tra}.",
    ),
    "result_at_counter": DefaultText(
        "Ho so {ma_ho_so} da co ket qua. Moi Ong/Ba den Bo phan Mot cua nhan ket qua, "
        "mang theo giay tiep nhan. LH {sdt_trung_tam}",
        "Hồ sơ {ma_ho_so} đã có kết quả",
        "Hồ sơ {ma_ho_so} ({thu_tuc}) đã có kết quả. Xin mời Ông/Bà đến Bộ phận Một cửa "
        "nhận kết quả, mang theo giấy tiếp nhận hồ sơ." + _SIGN,
        "Hồ sơ {ma_ho_so} đã có kết quả tại Bộ phận Một cửa.",
    ),
    "shipped": DefaultText(
        "Ket qua ho so {ma_ho_so} da gui qua buu chinh, ma buu gui {ma_buu_gui}. "
        "LH {sdt_trung_tam}",
        "Kết quả hồ sơ {ma_ho_so} đã được gửi qua bưu chính",
        "Kết quả hồ sơ {ma_ho_so} ({thu_tuc}) đã được gửi qua dịch vụ bưu chính công ích.\n"
        "Mã bưu gửi: {ma_buu_gui}." + _SIGN,
        "Kết quả hồ sơ {ma_ho_so} đã gửi, mã bưu gửi {ma_buu_gui}.",
    ),
    "delivered": DefaultText(
        "Ket qua ho so {ma_ho_so} (buu gui {ma_buu_gui}) da phat thanh cong. Cam on Ong/Ba.",
        "Kết quả hồ sơ {ma_ho_so} đã được phát",
        "Bưu gửi {ma_buu_gui} mang kết quả hồ sơ {ma_ho_so} đã được phát thành công. "
        "Cảm ơn Ông/Bà." + _SIGN,
        "Bưu gửi {ma_buu_gui} (hồ sơ {ma_ho_so}) đã phát thành công.",
    ),
    "returned_to_sender": DefaultText(
        "Buu gui {ma_buu_gui} (ho so {ma_ho_so}) khong phat duoc, da chuyen hoan. "
        "Moi Ong/Ba nhan tai Bo phan Mot cua. LH {sdt_trung_tam}",
        "Bưu gửi kết quả hồ sơ {ma_ho_so} bị chuyển hoàn",
        "Bưu gửi {ma_buu_gui} mang kết quả hồ sơ {ma_ho_so} không phát được và đã chuyển "
        "hoàn. Xin mời Ông/Bà nhận kết quả tại Bộ phận Một cửa." + _SIGN,
        "Bưu gửi {ma_buu_gui} (hồ sơ {ma_ho_so}) đã chuyển hoàn.",
    ),
    "refused": DefaultText(
        "Ho so {ma_ho_so} chua du dieu kien tiep nhan. Vui long xem phieu tu choi "
        "hoac LH {sdt_trung_tam}",
        "Hồ sơ {ma_ho_so} chưa được tiếp nhận",
        "Hồ sơ {ma_ho_so} ({thu_tuc}) chưa đủ điều kiện tiếp nhận. Lý do ghi trong phiếu từ "
        "chối đã giao Ông/Bà." + _SIGN,
        "Hồ sơ {ma_ho_so} chưa đủ điều kiện tiếp nhận.",
    ),
}


def default_row(event: str, channel: str) -> dict:
    """The columns of the default template of EVENT on CHANNEL."""
    text = DEFAULTS[event]
    if channel == "sms":
        return {"subject": None, "body": text.sms, "provider_template": None}
    if channel == "email":
        return {"subject": text.subject, "body": text.email, "provider_template": None}
    return {"subject": None, "body": text.zalo, "provider_template": f"zns_{event}"}
