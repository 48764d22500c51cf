"""Receiving at the counter through the panel's form."""

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Dossier, ExtraFieldDefinition
from vietnam.addresses import wards


@pytest.fixture
def procedure(world):
    publish = world.procedures["publish"]
    publish.extra_fields = [
        ExtraFieldDefinition(
            key="so_ban", label="Số lượng bản in", field_type="number", required=True
        ),
        ExtraFieldDefinition(
            key="kho", label="Khổ giấy", field_type="choice", required=True, choices="A4\nA5"
        ),
        ExtraFieldDefinition(key="ngay", label="Ngày phát hành", field_type="date"),
    ]
    db.session.commit()
    return publish


def _form(procedure, **overrides):
    ward_code, _name = wards(19)[0]
    form = {
        "procedure_type": procedure.id,
        "applicant_name": "Nguyễn Văn Thuận",
        "applicant_id_number": "019201012345",
        "applicant_phone": "+84 912 345 678",
        "applicant_email": "thuan@example.vn",
        "applicant_province_code": "19",
        "applicant_ward_code": str(ward_code),
        "applicant_street": "Số 5 đường Quang Trung",
        "channel": "counter",
        "return_method": "post",
        "documents": [d.name for d in procedure.documents],
        "extra_so_ban": "500",
        "extra_kho": "A5",
        "extra_ngay": "2026-04-01",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def test_the_receipt_form_shows_the_procedure_picker_and_address(client, login_as, procedure):
    login_as("po_clerk")
    page = client.get("/admin/dossier/new/").get_data(as_text=True)
    assert 'data-role="select2-ajax"' in page and 'id="procedure-details"' in page
    assert "Thái Nguyên" in page and "receive.js" in page


def test_procedure_info_lists_documents_and_extra_fields(client, login_as, procedure):
    login_as("po_clerk")
    info = client.get(f"/admin/dossier/procedure-info/?id={procedure.id}").get_json()
    assert [d["name"] for d in info["documents"]] == ["Đơn đề nghị"]
    assert [(f["key"], f["type"], f["required"]) for f in info["extra_fields"]] == [
        ("so_ban", "number", True),
        ("kho", "choice", True),
        ("ngay", "date", False),
    ]
    assert info["extra_fields"][1]["choices"] == ["A4", "A5"]
    assert client.get("/admin/dossier/procedure-info/?id=9999").status_code == 404
    assert len(client.get("/admin/dossier/wards/?province=19").get_json()) == len(wards(19))


def test_receiving_stores_everything_and_shows_code_and_appointment(client, login_as, procedure):
    login_as("po_clerk")
    response = client.post("/admin/dossier/new/", data=_form(procedure))
    assert response.status_code == 302 and "/admin/dossier/details/" in response.location
    dossier = db.session.scalar(select(Dossier))
    page = client.get(response.location).get_data(as_text=True)
    assert f"Đã tiếp nhận hồ sơ {dossier.code}. Hẹn trả kết quả:" in page
    assert dossier.applicant_phone == "0912345678"  # +84 normalised
    assert dossier.extra_data == {"so_ban": 500, "kho": "A5", "ngay": "2026-04-01"}
    assert dossier.documents_checked == ["Đơn đề nghị"]
    assert dossier.applicant_address.startswith("Số 5 đường Quang Trung, ")
    assert dossier.applicant_address.endswith(", Thái Nguyên")
    assert dossier.post_office.code == "VNP.H55.001"
    assert "<b>Số lượng bản in</b>: 500" in page and "<b>Khổ giấy</b>: A5" in page
    assert "Đơn đề nghị" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_id_number", "12345", "Số CCCD phải gồm đúng 12 chữ số."),
        ("applicant_phone", "0123", "Số điện thoại phải là số di động 10 chữ số"),
        ("organization_tax_code", "0100109107", "sai chữ số kiểm tra"),
        ("applicant_email", "not-an-email", "Địa chỉ email không hợp lệ."),
        ("applicant_name", "", "Trường này là bắt buộc."),
        ("extra_so_ban", "nhiều", "Số lượng bản in: Phải là một số."),
        ("extra_kho", "A3", "Khổ giấy: Chọn một giá trị trong danh sách"),
        ("documents", [], "Chưa nộp đủ giấy tờ: Đơn đề nghị"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client, login_as, procedure, field, value, message
):
    login_as("po_clerk")
    response = client.post("/admin/dossier/new/", data=_form(procedure, **{field: value}))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Dossier.id))) == 0


def test_a_result_by_post_needs_a_procedure_that_allows_it(client, login_as, procedure):
    procedure.postal_return = False
    db.session.commit()
    login_as("po_clerk")
    page = client.post("/admin/dossier/new/", data=_form(procedure)).get_data(as_text=True)
    assert "Thủ tục này không trả kết quả qua bưu chính." in page


def test_an_inactive_procedure_cannot_be_picked(client, login_as, procedure):
    procedure.active = False
    db.session.commit()
    login_as("po_clerk")
    found = client.get("/admin/dossier/ajax/lookup/?name=procedure_type&query=1.004477").get_json()
    assert found == []
    client.post("/admin/dossier/new/", data=_form(procedure))
    assert db.session.scalar(select(func.count(Dossier.id))) == 0
