"""IT staff configure a procedure type, its documents and extra fields; the counter sees them."""

from sqlalchemy import select

from extensions import db
from models import ProcedureType


def _procedure_form(world, key="so_trang", **extra):
    return {
        "code": "1.009999",
        "name": "Cấp giấy phép thử nghiệm",
        "field": "Bưu chính",
        "agency": world.agencies["dept"].id,
        "processing_days": "3",
        "fee": "150000",
        "online_level": "mot_phan",
        "postal_return": "y",
        "active": "y",
        "documents-0-position": "0",
        "documents-0-name": "Đơn đề nghị",
        "documents-0-kind": "original",
        "documents-0-quantity": "1",
        "extra_fields-0-position": "0",
        "extra_fields-0-key": key,
        "extra_fields-0-label": "Số trang",
        "extra_fields-0-field_type": "number",
        "extra_fields-0-required": "y",
        **extra,
    }


def test_it_staff_define_a_procedure_the_counter_can_use(client, login_as, world):
    login_as("it_admin")
    response = client.post("/admin/procedure_type/new/", data=_procedure_form(world))
    assert response.status_code == 302
    procedure = db.session.scalar(select(ProcedureType).where(ProcedureType.code == "1.009999"))
    assert [d.name for d in procedure.documents] == ["Đơn đề nghị"]
    assert [(f.key, f.field_type, f.required) for f in procedure.extra_fields] == [
        ("so_trang", "number", True)
    ]
    assert procedure.fee == 150_000
    login_as("po_clerk")
    info = client.get(f"/admin/dossier/procedure-info/?id={procedure.id}").get_json()
    assert info["extra_fields"][0]["label"] == "Số trang"


def test_an_extra_field_key_must_be_a_plain_identifier(client, login_as, world):
    login_as("it_admin")
    response = client.post(
        "/admin/procedure_type/new/", data=_procedure_form(world, key="Số trang")
    )
    assert response.status_code == 200
    assert "Chữ thường không dấu, chữ số và dấu _" in response.get_data(as_text=True)
    assert (
        db.session.scalar(select(ProcedureType.id).where(ProcedureType.code == "1.009999")) is None
    )


def test_a_duplicate_procedure_code_is_refused_cleanly(client, login_as, world):
    login_as("it_admin")
    form = _procedure_form(world, code="1.004477")
    page = client.post("/admin/procedure_type/new/", data=form).get_data(as_text=True)
    assert "Đã tồn tại." in page
    assert "INSERT INTO" not in page  # no SQL shown to the user


def test_negative_days_or_fee_are_refused(client, login_as, world):
    login_as("it_admin")
    for field in ("processing_days", "fee"):
        page = client.post(
            "/admin/procedure_type/new/", data=_procedure_form(world, **{field: "-1"})
        ).get_data(as_text=True)
        assert "Số phải lớn hơn hoặc bằng 0." in page or "Số phải nằm trong khoảng từ 0" in page
