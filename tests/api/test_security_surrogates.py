"""Lone UTF-16 surrogates ("\\ud800" in JSON, half a character no encoder can write) are
refused like NUL bytes: 400 naming the field, never a 500; one such event in a feed batch is
refused alone, the others applied."""

import pytest

from extensions import db
from tests import factories
from tests.api.test_api import PREFIX, RECEIPT, Api, assert_error, get_token
from tests.api.test_api_deliveries import _iso

LONE = "\ud800"
RAW = '"L\\udc00x"'  # as a client writes it in the JSON text


@pytest.fixture
def api_as(app, world):
    return lambda username: Api(app.test_client(), get_token(app.test_client(), username))


def test_sign_in_refuses_a_lone_surrogate(client, world):
    for field in ("username", "password"):
        body = {"username": "po_clerk", "password": "x", field: f"a{LONE}b"}
        assert_error(client.post(PREFIX + "/auth/token", json=body), 400, fields=(field,))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"applicant_name": f"Lê{LONE}"}, "applicant_name"),
        ({"notes": LONE}, "notes"),
        ({"documents": ["Đơn", f"Tờ khai{LONE}"]}, "documents"),
        ({"extra": {"so_to": f"1{LONE}"}}, "extra"),
        ({"extra": {f"k{LONE}": "1"}}, "extra"),
    ],
    ids=["name", "notes", "documents", "extra-value", "extra-key"],
)
def test_receiving_refuses_a_lone_surrogate_in_any_field(api_as, change, field):
    answer = api_as("po_clerk").post("/dossiers", {**RECEIPT, **change})
    assert_error(answer, 400, fields=(field,))


def test_a_surrogate_written_raw_in_the_json_text_is_refused_too(app, world):
    token = get_token(app.test_client(), "po_clerk")
    body = '{"procedure_code": "1.004477", "applicant_name": ' + RAW + "}"
    answer = app.test_client().post(
        PREFIX + "/dossiers",
        data=body.encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert_error(answer, 400, fields=("applicant_name",))


def test_handovers_refuse_a_lone_surrogate(api_as):
    body = {"direction": "to_department", "dossier_codes": [f"X{LONE}"], "note": "n"}
    assert_error(api_as("po_clerk").post("/handovers", body), 400, fields=("dossier_codes",))
    body = {"direction": "to_department", "dossier_codes": ["X"], "note": LONE}
    assert_error(api_as("po_clerk").post("/handovers", body), 400, fields=("note",))


def test_one_bad_event_in_a_feed_batch_is_refused_alone(api_as, world):
    factories.make_rates()
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], return_method="post"
    )
    dossier.status = "result_at_counter"
    db.session.commit()
    factories.ship_result(dossier, world.users["po_clerk"])
    code = "EB123456785VN"
    events = [
        {"tracking_code": code, "status": "accepted", "at": _iso(0.05)},
        {"tracking_code": code, "status": "in_transit", "at": _iso(0.04), "note": f"Kho{LONE}"},
        {"tracking_code": f"EB{LONE}", "status": "in_transit", "at": _iso(0.04)},
        {"tracking_code": code, "status": "in_transit", "at": _iso(0.03)},
    ]
    answer = api_as("po_clerk").post("/delivery-events", {"events": events})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    results = answer.get_json()["results"]
    assert [r["result"] for r in results] == ["applied", "refused", "refused", "applied"]
    assert "note" in results[1]["fields"] and "tracking_code" in results[2]["fields"]


def test_the_panel_refuses_a_lone_surrogate_in_a_json_body(client, login_as):
    login_as("po_supervisor")
    response = client.post("/admin/dossier/action/", json={"action": "handover", "x": LONE})
    assert response.status_code == 400
    assert "Ký tự không hợp lệ" in response.get_data(as_text=True)
