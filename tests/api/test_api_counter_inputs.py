"""What the counter types, through the API (issue 19): landlines, a CCCD with a stray
character, negative numbers; the same rules as the panel's forms."""

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Dossier, ExtraFieldDefinition
from tests.api.test_api import RECEIPT, assert_error
from tests.api.test_api import api_as as api_as  # the fixture
from tests.api.test_api_deliveries import _ship_body
from tests.api.test_api_deliveries import ready as ready  # the fixture

PHONE = "Số điện thoại phải là số di động 10 chữ số"


@pytest.mark.parametrize("typed", ["02083888999", "+84 208 388 8999", "0208.388.8999"])
def test_an_applicant_landline_is_received_and_stored_as_eleven_digits(api_as, typed):
    response = api_as("po_clerk").post("/dossiers", {**RECEIPT, "applicant_phone": typed})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["applicant_phone"] == "02083888999"


@pytest.mark.parametrize("typed", ["0208388899", "020838889990", "0123456789"])
def test_a_number_of_the_wrong_length_or_prefix_is_refused(api_as, typed):
    response = api_as("po_clerk").post("/dossiers", {**RECEIPT, "applicant_phone": typed})
    error = assert_error(response, 422, fields=["applicant_phone"])
    assert PHONE in error["fields"]["applicant_phone"]


def test_a_citizen_id_with_a_stray_character_is_named(api_as):
    body = {**RECEIPT, "applicant_id_number": "01920101234-5"}
    error = assert_error(api_as("po_clerk").post("/dossiers", body), 422)
    assert error["fields"]["applicant_id_number"] == (
        "Số CCCD phải gồm đúng 12 chữ số. Có ký tự không phải chữ số: «-»."
    )
    assert db.session.scalar(select(func.count(Dossier.id))) == 0


def test_a_negative_extra_number_is_refused(api_as, world):
    world.procedures["publish"].extra_fields = [
        ExtraFieldDefinition(key="so_ban", label="Số lượng bản in", field_type="number")
    ]
    db.session.commit()
    body = {**RECEIPT, "extra": {"so_ban": -3}}
    error = assert_error(api_as("po_clerk").post("/dossiers", body), 422)
    assert error["fields"]["extra.so_ban"] == "Không được là số âm."


def test_a_recipient_landline_is_shipped_to(api_as, ready):
    body = _ship_body(ready, recipient_phone="+84 208 388 8999")
    shipped = api_as("po_clerk").post("/delivery-orders", body)
    assert shipped.status_code == 201, shipped.get_json()
    assert shipped.get_json()["recipient_phone"] == "02083888999"


@pytest.mark.parametrize("field", ["postage", "cod_amount", "weight_grams"])
def test_negative_postage_cod_or_weight_is_refused(api_as, ready, field):
    body = _ship_body(ready, **{field: -1})
    assert_error(api_as("po_clerk").post("/delivery-orders", body), 422, fields=[field])
