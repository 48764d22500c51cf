"""Property: whatever is sent to the handover endpoints, the answer is success or the JSON
error shape, never a 500, and a refused batch leaves nothing behind."""

from hypothesis import given
from sqlalchemy import func, select

from extensions import db
from models import Handover
from tests import factories
from tests.api.test_api import PREFIX, get_token
from tests.api.test_api_fuzz import FAST, JSON, assert_well_formed, shaped

CREATE_KEYS = ("direction", "dossier_codes", "note")
CONFIRM_KEYS = ("missing_codes", "item_notes", "note", "version")


def test_create_survives_any_body(app, world):
    client = app.test_client()
    clerk = world.users["po_clerk"]
    codes = [factories.make_dossier(world.procedures["publish"], clerk).code for _ in range(2)]
    values = (
        "to_department",
        "to_post_office",
        [codes[0]],
        codes,
        ["\x00"],
        ["\ud800"],
        [codes[0], 3],
        ["x" * 1000],
        "x" * 3000,
    )
    headers = {"Authorization": "Bearer " + get_token(client, "po_clerk")}
    created = []

    @FAST
    @given(body=JSON | shaped(CREATE_KEYS, values))
    def check(body):
        response = client.post(PREFIX + "/handovers", json=body, headers=headers)
        assert_well_formed(response)
        if response.status_code == 201:
            created.append(response.get_json()["code"])

    check()
    # every batch that exists was answered 201; a refusal created nothing
    assert db.session.scalar(select(func.count(Handover.id))) == len(created)


def test_confirm_survives_any_body(app, world):
    client = app.test_client()
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    batch = factories.make_handover([dossier], world.users["po_clerk"])
    headers = {"Authorization": "Bearer " + get_token(client, "dept_admin")}
    values = (
        [dossier.code],
        ["KHAC"],
        {dossier.code: "thiếu"},
        {dossier.code: 1},
        batch.version,
        2**70,
        "\x00",
        ["\ud800"],
    )

    @FAST
    @given(body=JSON | shaped(CONFIRM_KEYS, values))
    def check(body):
        path = f"{PREFIX}/handovers/{batch.code}/confirm"
        assert_well_formed(client.post(path, json=body, headers=headers))

    check()
