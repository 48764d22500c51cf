"""The printed forms' content, built from dossiers driven through the real workflow.

Field by field against DOMAIN.md: Mẫu 01–06, the handover record and the label;
each form only once its event has happened. Barcodes are read back by zxing-cpp.
"""

from datetime import date

import pytest

from extensions import db
from services.errors import NotFound
from services.printing import barcodes, common, dossier_forms
from services.printing.control_slip import control_slip, step_timeliness
from services.printing.handover_record import delivery_label, handover_record
from tests import factories
from tests.print_helpers import (
    at,
    code128_image,
    decode,
    hand_over,
    qr_image,
    received,
    take,
    with_documents,
)

LOOKUP = "http://localhost/lookup?code="


@pytest.fixture
def dossier(world):
    with_documents(world.procedures["publish"], 3)
    world.procedures["publish"].fee = 1_250_000
    return received(
        world,
        "publish",
        applicant="Trần Thị Bích Ngọc",
        applicant_email="ngoc@example.vn",
        return_method="post",
    )


def test_receipt_field_by_field(world, dossier):
    form = dossier_forms.dossier_form(dossier, "receipt", LOOKUP + dossier.code)
    assert form.form_number == "Mẫu 01"
    assert form.title == "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
    assert form.heading.agency == "Bưu điện tỉnh"
    assert form.heading.parent == "TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM"
    assert form.heading.number == dossier.code
    assert form.heading.place_date == "Thái Nguyên, ngày 10 tháng 3 năm 2026"
    assert form.code == dossier.code and form.code.startswith("000.00.15.H55-260310-")
    assert form.office == "Bưu điện tỉnh"
    assert form.applicant.name == "Trần Thị Bích Ngọc"
    assert form.applicant.phone == "0912345678"
    assert form.applicant.id_number == "019201012345"
    assert form.applicant.email == "ngoc@example.vn"
    assert "Số 5 đường Phan Đình Phùng" in form.applicant.address
    assert (form.procedure_code, form.processing_days) == ("1.004477", 10)
    assert form.procedure_name == "Cấp giấy phép xuất bản tài liệu không kinh doanh"
    assert form.received_at == at(10, 9, 30)
    assert form.due_at == at(24, 9, 30)  # ten working days later, same time of day
    assert form.return_method == "Qua dịch vụ bưu chính công ích"
    assert [(d.number, d.kind, d.quantity) for d in form.documents] == [
        (1, "Bản chính", 1),
        (2, "Bản sao", 2),
        (3, "Bản sao", 2),
    ]
    assert form.documents[0].name == "Đơn đề nghị"
    assert form.fee == 1_250_000
    assert form.lookup_url == LOOKUP + dossier.code
    assert [(s.title, s.name) for s in form.signatures] == [
        ("NGƯỜI NỘP HỒ SƠ", ""),
        ("NGƯỜI TIẾP NHẬN HỒ SƠ", "Người dùng po_clerk"),
    ]


def test_place_and_date_follow_decree_30():
    heading = common.Heading("", "", "", "Thái Nguyên", date(2026, 1, 5))
    assert heading.place_date == "Thái Nguyên, ngày 05 tháng 01 năm 2026"
    heading = common.Heading("", "", "", "Thái Nguyên", date(2026, 12, 25))
    assert heading.place_date == "Thái Nguyên, ngày 25 tháng 12 năm 2026"


def test_only_the_receipt_exists_right_after_receipt(world, dossier):
    assert dossier_forms.available_forms(dossier) == ["receipt"]
    assert dossier_forms.latest_form(dossier) == "receipt"
    for form in ("supplement", "refusal", "apology", "stop", "control-slip", "nonsense"):
        with pytest.raises(NotFound):
            dossier_forms.dossier_form(dossier, form)


def test_refusal_replaces_the_receipt(world, dossier):
    take(dossier, "refuse", world.users["po_clerk"], at(10, 10), note="Thiếu đơn đề nghị có chữ ký")
    form = dossier_forms.dossier_form(dossier, "refusal")
    assert (form.form_number, form.title) == ("Mẫu 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ")
    assert form.reason == "Thiếu đơn đề nghị có chữ ký"
    assert form.at == at(10, 10)
    assert form.heading.agency == "Bưu điện tỉnh"
    assert [(s.title, s.name) for s in form.signatures] == [
        ("NGƯỜI TIẾP NHẬN HỒ SƠ", "Người dùng po_clerk")
    ]
    assert dossier_forms.available_forms(dossier) == ["refusal"]
    assert dossier_forms.latest_form(dossier) == "refusal"
    with pytest.raises(NotFound):
        dossier_forms.dossier_form(dossier, "receipt", LOOKUP)


def test_letters_and_control_slip_through_the_whole_workflow(world, dossier):
    dept, clerk = world.users["dept_admin"], world.users["po_clerk"]
    hand_over(world, [dossier], sent=at(10, 10), confirmed=at(10, 14))
    assert dossier_forms.latest_form(dossier) == "control-slip"
    take(dossier, "request_supplement", dept, at(11, 10), note="Bổ sung bản sao CCCD")
    supplement = dossier_forms.dossier_form(dossier, "supplement")
    assert (supplement.form_number, supplement.reason) == ("Mẫu 02", "Bổ sung bản sao CCCD")
    assert supplement.heading.agency == "Sở Thông tin và Truyền thông"
    assert supplement.heading.parent == "UBND TỈNH THÁI NGUYÊN"
    assert supplement.at == at(11, 10)
    assert supplement.signatures[0].name == "Người dùng dept_admin"
    take(dossier, "supplement_received", clerk, at(13, 9))
    due_before = dossier.due_at
    take(dossier, "apologize", dept, at(20, 16), note="Chờ ý kiến liên ngành", new_due_at=at(31, 9))
    apology = dossier_forms.dossier_form(dossier, "apology")
    assert (apology.form_number, apology.reason) == ("Mẫu 04", "Chờ ý kiến liên ngành")
    assert apology.due_before == due_before and apology.due_after == at(31, 9)
    take(dossier, "complete", dept, at(30, 15))
    hand_over(world, [dossier], at(30, 16), at(31, 8), direction="to_post_office")
    take(dossier, "return_at_counter", clerk, at(1, 10, month=4))
    assert dossier_forms.available_forms(dossier) == [
        "receipt",
        "supplement",
        "apology",
        "control-slip",
        "return-slip",
    ]
    assert dossier_forms.latest_form(dossier) == "return-slip"

    slip = control_slip(dossier)
    assert slip.form_number == "Mẫu 06" and slip.code == dossier.code
    first, back, returned = slip.rows
    assert (first.number, first.step) == (1, "Giao hồ sơ cho cơ quan giải quyết")
    assert (first.giver_agency, first.giver) == ("Bưu điện tỉnh", "Người dùng po_clerk")
    assert (first.receiver_agency, first.receiver) == (
        "Sở Thông tin và Truyền thông",
        "Người dùng dept_admin",
    )
    assert (first.given_at, first.received_at) == (at(10, 10), at(10, 14))
    assert (first.due_on, first.timeliness, first.timeliness_label) == (
        date(2026, 3, 10),
        "on_time",
        "Đúng hạn",
    )
    assert first.note.startswith("BG-")
    assert back.step == "Giao kết quả về Bộ phận Một cửa"
    assert (back.giver, back.receiver) == ("Người dùng dept_admin", "Người dùng po_clerk")
    assert (back.received_at, back.due_on) == (at(31, 8), date(2026, 3, 31))
    assert back.timeliness == "on_time"
    assert returned.step == "Trả kết quả tại quầy"
    assert (returned.giver, returned.receiver) == ("Người dùng po_clerk", "Trần Thị Bích Ngọc")
    assert (returned.received_at, returned.timeliness_label) == (at(1, 10, month=4), "Trễ hạn")


def test_stop_notice(world, dossier):
    hand_over(world, [dossier], sent=at(10, 10), confirmed=at(10, 14))
    take(dossier, "stop", world.users["dept_admin"], at(12, 9), note="Người nộp đề nghị dừng")
    form = dossier_forms.dossier_form(dossier, "stop")
    assert (form.form_number, form.title) == ("Mẫu 05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ")
    assert (form.reason, form.at) == ("Người nộp đề nghị dừng", at(12, 9))
    assert dossier_forms.latest_form(dossier) == "stop"


def test_step_timeliness_compares_days():
    due = date(2026, 3, 10)
    assert step_timeliness(at(9, 16), due) == "early"
    assert step_timeliness(at(10, 23, 59), due) == "on_time"
    assert step_timeliness(at(11, 8), due) == "late"
    assert step_timeliness(None, due) is None


def test_a_late_handover_and_a_missing_dossier_on_the_control_slip(world, dossier):
    other = received(world, applicant="Lê Văn Hải")
    hand_over(world, [dossier, other], at(10, 16), at(12, 9), missing=(other.code,))
    late = control_slip(dossier).rows[0]
    assert (late.timeliness, late.timeliness_label) == ("late", "Trễ hạn")
    missing = control_slip(other).rows[0]
    assert missing.received_at is None and missing.timeliness is None
    assert missing.note.endswith("bên nhận báo thiếu")


def test_handover_record(world, dossier):
    others = [received(world, applicant=f"Người nộp {n}") for n in range(2)]
    batch = hand_over(world, [dossier, *others], at(10, 15), at(11, 8), missing=(others[1].code,))
    batch.note = "Giao theo lịch buổi chiều"
    db.session.commit()
    record = handover_record(batch)
    assert record.title == "BIÊN BẢN BÀN GIAO HỒ SƠ"
    assert record.heading.agency == "Bưu điện tỉnh" and record.heading.number == batch.code
    assert (record.giver_agency, record.giver) == ("Bưu điện tỉnh", "Người dùng po_clerk")
    assert (record.receiver_agency, record.receiver) == (
        "Sở Thông tin và Truyền thông",
        "Người dùng dept_admin",
    )
    assert (record.sent_at, record.confirmed_at) == (at(10, 15), at(11, 8))
    assert [line.code for line in record.lines] == sorted(d.code for d in [dossier, *others])
    assert [line.number for line in record.lines] == [1, 2, 3]
    assert (record.total, record.received_count) == (3, 2)
    assert record.missing_codes == (others[1].code,)
    assert record.note == "Giao theo lịch buổi chiều"
    assert [s.title for s in record.signatures] == ["BÊN GIAO", "BÊN NHẬN"]


def test_handover_record_before_and_after_confirmation(world, dossier):
    batch = hand_over(world, [dossier], at(10, 15))
    record = handover_record(batch)
    assert record.status == "sent" and record.received_count is None and record.receiver == ""
    batch.status = "draft"
    db.session.commit()
    with pytest.raises(NotFound):
        handover_record(batch)
    with pytest.raises(NotFound):
        control_slip(received(world))  # never handed over


def test_delivery_label(world, dossier):
    world.agencies["po"].address = "Số 10 đường Cách Mạng Tháng Tám, Thái Nguyên"
    world.agencies["po"].phone = "02083855555"
    order = factories.make_delivery(dossier, world.agencies["po"])
    order.cod_amount = 1_250_000
    db.session.commit()
    label = delivery_label(order)
    assert label.tracking_code == "EB123456785VN"
    assert (label.sender_name, label.sender_phone) == ("Bưu điện tỉnh", "02083855555")
    assert label.sender_address == "Số 10 đường Cách Mạng Tháng Tám, Thái Nguyên"
    assert (label.recipient_name, label.recipient_phone) == ("Trần Thị Bích Ngọc", "0912345678")
    assert label.recipient_address == "Số 1 đường Hoàng Văn Thụ, Thái Nguyên"
    assert (label.dossier_code, label.procedure_name) == (
        dossier.code,
        "Cấp giấy phép xuất bản tài liệu không kinh doanh",
    )
    assert (label.cod_amount, label.postage) == (1_250_000, 25_000)


@pytest.mark.parametrize(
    "value", ["000.00.15.H55-260310-0001", "2.000815.000.00.00.H55-261231-0042", "EB123456785VN"]
)
def test_code128_reads_back_as_the_code(value):
    assert decode(code128_image(barcodes.code128_svg(value))) == [("Code128", value)]


def test_qr_holds_the_lookup_url():
    url = "https://motcua.thainguyen.gov.vn/lookup?code=000.00.15.H55-260310-0001"
    assert decode(qr_image(barcodes.qr_svg(url))) == [("QRCode", url)]
