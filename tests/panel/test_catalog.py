"""IT staff configure a procedure type, its documents and extra fields; the counter sees them."""

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, ProcedureType


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


def _edit_form(procedure, **documents):
    """The procedure's edit form as the page posts it, its first document changed."""
    first = procedure.documents[0]
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field or "",
        "agency": procedure.agency_id,
        "processing_days": str(procedure.processing_days),
        "fee": str(procedure.fee),
        "online_level": procedure.online_level,
        "postal_return": "y",
        "active": "y",
        "version_seen": str(procedure.version),
        "documents-0-id": str(first.id),
        "documents-0-position": str(first.position),
        "documents-0-name": first.name,
        "documents-0-kind": first.kind,
        "documents-0-quantity": str(first.quantity),
        **{f"documents-0-{k}": v for k, v in documents.items()},
    }


def test_it_staff_set_a_document_validity_and_it_is_audited(client, login_as, world):
    procedure = world.procedures["publish"]
    login_as("it_admin")
    page = client.get(f"/admin/procedure_type/edit/?id={procedure.id}").get_data(as_text=True)
    assert "Hiệu lực bản số hóa (tháng)" in page
    form = _edit_form(procedure, validity_months="1")
    response = client.post(f"/admin/procedure_type/edit/?id={procedure.id}", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    assert procedure.documents[0].validity_months == 1
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.entity == "procedure_type", AuditEntry.action == "edit")
    )
    changed = entry.changes["after"][f"documents: {procedure.documents[0].name}"]
    assert changed == {"validity_months": 1}
    assert entry.changes["before"][f"documents: {procedure.documents[0].name}"] == {
        "validity_months": None
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Số phải nằm trong khoảng từ 1 đến 120."),
        ("500", "Số phải nằm trong khoảng từ 1 đến 120."),
        ("sáu", "Phải là một số nguyên."),
    ],
)
def test_a_validity_outside_1_to_120_months_is_refused(client, login_as, world, value, message):
    procedure = world.procedures["publish"]
    login_as("it_admin")
    form = _edit_form(procedure, validity_months=value)
    response = client.post(f"/admin/procedure_type/edit/?id={procedure.id}", data=form)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert procedure.documents[0].validity_months is None
