"""The handover endpoints of the API: create and send, confirm, list, read."""

from datetime import date

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Handover
from services.dossiers import workflow
from tests import factories
from tests.api.test_api import Api, assert_error, get_token


@pytest.fixture
def api_as(app, world):
    """``api_as("po_clerk")``: an Api client holding that user's token."""
    return lambda username: Api(app.test_client(), get_token(app.test_client(), username))


@pytest.fixture
def received(world):
    clerk = world.users["po_clerk"]
    return [
        factories.make_dossier(world.procedures["publish"], clerk, f"Người {n}") for n in range(3)
    ]


def batches() -> int:
    return db.session.scalar(select(func.count(Handover.id)))


def test_a_clerk_creates_and_sends_a_batch(api_as, received):
    codes = [d.code for d in received]
    response = api_as("po_clerk").post(
        "/handovers", {"direction": "to_department", "dossier_codes": codes, "note": "Lô 1"}
    )
    body = response.get_json()
    assert response.status_code == 201, body
    assert body["code"].startswith("BG-") and len(body["code"]) == 13
    assert (body["status"], body["direction"], body["note"]) == ("sent", "to_department", "Lô 1")
    assert (body["from_agency_code"], body["to_agency_code"]) == ("VNP.H55.001", "000.00.15.H55")
    assert [i["dossier_code"] for i in body["items"]] == sorted(codes)
    assert all(i["missing"] is False and i["dossier_status"] == "received" for i in body["items"])
    assert response.headers["Location"].endswith(f"/api/v1/handovers/{body['code']}")


def test_refusals_name_the_codes_and_create_nothing(api_as, world, received):
    clerk = api_as("po_clerk")
    factories.make_handover(received[:1], world.users["po_clerk"])
    taken, free = received[0].code, received[1].code
    response = clerk.post(
        "/handovers", {"direction": "to_department", "dossier_codes": [taken, free]}
    )
    assert_error(response, 409, "conflict", fields=(f"dossier_codes.{taken}",))
    assert taken in response.get_json()["error"]["message"]
    response = clerk.post(
        "/handovers", {"direction": "to_department", "dossier_codes": ["NOPE-1", free]}
    )
    assert_error(response, 422, "validation_failed", fields=("dossier_codes.NOPE-1",))
    workflow.transition(received[2], "withdraw", world.users["po_clerk"])
    db.session.commit()
    response = clerk.post(
        "/handovers", {"direction": "to_department", "dossier_codes": [received[2].code]}
    )
    assert_error(response, 409, "conflict", fields=(f"dossier_codes.{received[2].code}",))
    assert_error(clerk.post("/handovers", {"direction": "to_department"}), 422)
    assert_error(clerk.post("/handovers", {"dossier_codes": [free]}), 422, fields=("direction",))
    assert_error(clerk.post("/handovers", {"direction": 1, "dossier_codes": "x"}), 400)
    assert_error(
        api_as("dept_admin").post(
            "/handovers", {"direction": "to_department", "dossier_codes": [free]}
        ),
        403,
    )
    assert_error(
        api_as("viewer").post(
            "/handovers", {"direction": "to_department", "dossier_codes": [free]}
        ),
        403,
    )
    assert batches() == 1


def test_the_receiver_confirms_with_one_missing(api_as, world, received):
    batch = factories.make_handover(received, world.users["po_clerk"])
    path = f"/handovers/{batch.code}/confirm"
    assert_error(api_as("po_clerk").post(path, {}), 403)
    assert_error(api_as("dept_admin2").post(path, {}), 404)
    dept = api_as("dept_admin")
    assert_error(dept.post(path, {"version": batch.version + 5}), 409)
    assert_error(dept.post(path, {"missing_codes": ["KHAC"]}), 422, fields=("missing_codes.KHAC",))
    missing = received[1].code
    response = dept.post(
        path,
        {
            "missing_codes": [missing],
            "item_notes": {missing: "Không có trong túi hồ sơ"},
            "note": "Nhận đủ trừ một",
            "version": batch.version,
        },
    )
    body = response.get_json()
    assert response.status_code == 200, body
    assert (body["status"], body["has_missing"], body["confirmed_by"]) == (
        "confirmed",
        True,
        "dept_admin",
    )
    items = {i["dossier_code"]: i for i in body["items"]}
    assert items[missing]["missing"] and items[missing]["note"] == "Không có trong túi hồ sơ"
    assert items[missing]["dossier_status"] == "received"
    assert {i["dossier_status"] for c, i in items.items() if c != missing} == {"processing"}
    history = dept.get(f"/dossiers/{received[0].code}").get_json()["history"]
    assert history[-1]["action"] == "handover_to_department"
    assert history[-1]["by"] == "dept_admin"
    assert_error(dept.post(path, {}), 409, "conflict")


def test_results_come_back_and_the_post_office_confirms(api_as, world, received):
    dossier = received[0]
    factories.confirm_handover(
        factories.make_handover([dossier], world.users["po_clerk"]), world.users["dept_admin"]
    )
    result = workflow.Result(number="9/GP", date=date(2026, 3, 11), outcome="granted")
    workflow.transition(dossier, "complete", world.users["dept_admin"], result=result)
    db.session.commit()
    response = api_as("dept_admin").post(
        "/handovers", {"direction": "to_post_office", "dossier_codes": [dossier.code]}
    )
    assert response.status_code == 201, response.get_json()
    code = response.get_json()["code"]
    confirmed = api_as("po_clerk").post(f"/handovers/{code}/confirm", {})
    assert confirmed.status_code == 200, confirmed.get_json()
    db.session.refresh(dossier)
    assert dossier.status == "result_at_counter"


def test_list_filters_pages_and_scope(api_as, world, received):
    for dossier in received:
        factories.make_handover([dossier], world.users["po_clerk"])
    factories.confirm_handover(
        db.session.scalars(select(Handover)).first(), world.users["dept_admin"]
    )
    clerk = api_as("po_clerk")
    first = clerk.get("/handovers?per_page=2").get_json()
    assert (len(first["items"]), first["has_next"], first["per_page"]) == (2, True, 2)
    second = clerk.get("/handovers?per_page=2&page=2").get_json()
    assert (len(second["items"]), second["has_next"]) == (1, False)
    assert len(clerk.get("/handovers?status=sent").get_json()["items"]) == 2
    assert clerk.get("/handovers?direction=to_post_office").get_json()["items"] == []
    assert len(clerk.get("/handovers?from=2000-01-01&to=2100-01-01").get_json()["items"]) == 3
    assert_error(clerk.get("/handovers?status=lost&from=x"), 422, fields=("status", "from"))
    assert api_as("dept_admin2").get("/handovers").get_json()["items"] == []
    assert len(api_as("viewer").get("/handovers").get_json()["items"]) == 3


def test_get_one_with_items_in_scope_only(api_as, world, received):
    batch = factories.make_handover(received[:2], world.users["po_clerk"])
    body = api_as("dept_admin").get(f"/handovers/{batch.code}").get_json()
    assert [i["dossier_code"] for i in body["items"]] == sorted(d.code for d in received[:2])
    assert_error(api_as("po_clerk2").get(f"/handovers/{batch.code}"), 404)
    assert_error(api_as("po_clerk").get("/handovers/BG-000000-999"), 404)


def test_no_transition_on_a_dossier_in_an_open_batch(api_as, world, received):
    batch = factories.make_handover(received[:1], world.users["po_clerk"])
    code = received[0].code
    for username, action in (("po_clerk", "refuse"), ("dept_admin", "withdraw")):
        api = api_as(username)
        response = api.post(f"/dossiers/{code}/transitions", {"action": action, "note": "x"})
        error = assert_error(response, 409, "conflict")
        assert batch.code in error["message"] and "hủy lô" in error["message"]
        assert api.get(f"/dossiers/{code}").get_json()["actions"] == []
    db.session.expire_all()
    assert db.session.get(Handover, batch.id).items[0].dossier.status == "received"


def test_confirm_refuses_a_missing_dossier_without_a_reason(api_as, world, received):
    batch = factories.make_handover(received[:2], world.users["po_clerk"])
    missing = received[0].code
    dept = api_as("dept_admin")
    path = f"/handovers/{batch.code}/confirm"
    for body in ({"missing_codes": [missing]}, {"missing_codes": [missing], "item_notes": {}}):
        error = assert_error(dept.post(path, body), 422, fields=(f"item_notes.{missing}",))
        assert missing in error["message"]
    response = dept.post(path, {"missing_codes": [missing], "item_notes": {missing: "Không có"}})
    assert response.status_code == 200, response.get_json()
