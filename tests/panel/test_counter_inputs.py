"""What the counter types (issue 19): landlines, a CCCD with a stray character, negative numbers."""

import re

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Agency, Dossier, ExtraFieldDefinition
from tests.panel.test_receive_form import _form


@pytest.fixture
def procedure(world):
    """The publication procedure with the receive form tests' extra fields."""
    publish = world.procedures["publish"]
    publish.extra_fields = [
        ExtraFieldDefinition(key="so_ban", label="Số lượng bản in", field_type="number"),
        ExtraFieldDefinition(
            key="kho", label="Khổ giấy", field_type="choice", required=True, choices="A4\nA5"
        ),
        ExtraFieldDefinition(key="ngay", label="Ngày phát hành", field_type="date"),
    ]
    db.session.commit()
    return publish


def _input(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page).group(0)


def test_a_landline_written_with_plus_84_is_received_and_stored_as_eleven_digits(
    client, login_as, procedure
):
    login_as("po_clerk")
    page = client.get("/admin/dossier/new/").get_data(as_text=True)
    # "+84 208 388 8999" has 16 characters: the browser must not cut it at the column's 15.
    assert 'maxlength="15"' not in _input(page, "applicant_phone")
    response = client.post(
        "/admin/dossier/new/", data=_form(procedure, applicant_phone="+84 208 388 8999")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(select(Dossier.applicant_phone)) == "02083888999"


def test_a_citizen_id_with_a_stray_character_is_refused_not_cut(client, login_as, procedure):
    login_as("po_clerk")
    page = client.get("/admin/dossier/new/").get_data(as_text=True)
    # Today the input carries maxlength="12": the browser silently drops the 13th character.
    assert 'maxlength="12"' not in _input(page, "applicant_id_number")
    response = client.post(
        "/admin/dossier/new/", data=_form(procedure, applicant_id_number="019201012345x")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Số CCCD phải gồm đúng 12 chữ số. Có ký tự không phải chữ số: «x»." in page
    assert "cannot be longer" not in page and "không được dài quá" not in page.lower()
    assert db.session.scalar(select(func.count(Dossier.id))) == 0


def test_a_thirteen_digit_citizen_id_is_refused_with_its_count(client, login_as, procedure):
    login_as("po_clerk")
    page = client.post(
        "/admin/dossier/new/", data=_form(procedure, applicant_id_number="0192010123456")
    ).get_data(as_text=True)
    assert "Số CCCD phải gồm đúng 12 chữ số. Đang có 13 chữ số." in page
    assert db.session.scalar(select(func.count(Dossier.id))) == 0


def test_a_negative_extra_number_is_refused(client, login_as, procedure):
    login_as("po_clerk")
    page = client.post("/admin/dossier/new/", data=_form(procedure, extra_so_ban="-5"))
    assert page.status_code == 200
    assert "Số lượng bản in: Không được là số âm." in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Dossier.id))) == 0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0208.385.3456", "02083853456"), ("+84 912 345 678", "0912345678")],
)
def test_the_post_office_own_number_is_normalised(client, login_as, world, typed, stored):
    login_as("it_admin")
    office = world.agencies["po"]
    form = {"code": office.code, "name": office.name, "kind": office.kind, "phone": typed}
    form["active"] = "y"
    response = client.post(f"/admin/agency/edit/?id={office.id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Agency, office.id).phone == stored


def test_a_wrong_number_for_the_post_office_is_refused(client, login_as, world):
    login_as("it_admin")
    office = world.agencies["po"]
    form = {"code": office.code, "name": office.name, "kind": office.kind, "phone": "12345"}
    page = client.post(f"/admin/agency/edit/?id={office.id}", data=form).get_data(as_text=True)
    assert "Số điện thoại phải là số di động 10 chữ số" in page
    db.session.expire_all()
    assert db.session.get(Agency, office.id).phone is None
