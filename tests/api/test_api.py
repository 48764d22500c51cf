"""The JSON API's endpoints: procedure types, receipt, list and search, detail, transitions."""

import re
from datetime import datetime

import pytest

from extensions import db
from models import Dossier
from models.base import utcnow
from services.calendar import LOCAL_TZ
from services.dossiers import workflow
from tests import factories
from tests.services.test_return_collector import result_at_counter

PREFIX = "/api/v1"
MARCH_10 = datetime(2026, 3, 10, 9, 30, tzinfo=LOCAL_TZ)
RECEIPT = {
    "procedure_code": "1.004477",
    "applicant_name": "Lê Thị Hoa",
    "applicant_id_number": "019201012345",
    "applicant_phone": "+84 912 345 678",
    "applicant_address": "Số 1 Hoàng Văn Thụ, Thái Nguyên",
    "return_method": "post",
    "documents": ["Đơn đề nghị"],
}


class Api:
    """The test client speaking to /api/v1 with one user's bearer token."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, **kwargs):
        return self.client.get(PREFIX + path, headers=self.headers, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.client.post(PREFIX + path, json=json, headers=self.headers, **kwargs)


def get_token(client, username, password=factories.PASSWORD):
    response = client.post(
        PREFIX + "/auth/token", json={"username": username, "password": password}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


@pytest.fixture
def api_as(app, world):
    """``api_as("po_clerk")``: an Api client holding that user's token."""
    return lambda username: Api(app.test_client(), get_token(app.test_client(), username))


def assert_error(response, status, code=None, fields=()):
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    for name in fields:
        assert name in body["error"]["fields"], body
    return body["error"]


def processing(dossier, user):
    """DOSSIER as if the department had confirmed its handover (committed)."""
    step = workflow.SYSTEM_MOVES["handover_to_department"]
    workflow.move(dossier, "handover_to_department", step, user)
    db.session.commit()
    return dossier


# -- procedure types -----------------------------------------------------------
def test_procedure_types_lists_the_active_ones(api_as, world):
    world.procedures["same_day"].active = False
    db.session.commit()
    items = api_as("viewer").get("/procedure-types").get_json()["items"]
    assert [p["code"] for p in items] == ["1.001029", "1.004477"]
    publish = items[1]
    assert publish["agency_code"] == "000.00.15.H55"
    assert publish["processing_days"] == 10 and publish["fee"] == 0
    assert publish["documents"] == [{"name": "Đơn đề nghị", "kind": "original", "quantity": 1}]
    assert items[0]["fee"] == 4_000_000
    assert set(publish) >= {"name", "field", "online_level", "postal_return", "extra_fields"}


# -- receive -------------------------------------------------------------------
def test_receive_answers_201_with_code_and_appointment(api_as):
    api = api_as("po_clerk")
    response = api.post("/dossiers", RECEIPT)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    today = utcnow().astimezone(LOCAL_TZ).strftime("%y%m%d")
    assert body["code"] == f"000.00.15.H55-{today}-0001"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", body["due_at"])
    assert body["received_at"].endswith("+07:00")
    assert body["status"] == "received" and body["version"] == 1
    assert body["applicant_phone"] == "0912345678"
    assert body["post_office_code"] == "VNP.H55.001" and body["fee_amount"] == 0
    assert response.headers["Location"] == f"{PREFIX}/dossiers/{body['code']}"
    second = api.post("/dossiers", RECEIPT).get_json()
    assert second["code"] == f"000.00.15.H55-{today}-0002"


@pytest.mark.parametrize("app_config", [{"RECEIPT_BACKDATE_MAX_DAYS": 100_000}])  # a fixed day
def test_receive_with_a_receipt_time_and_optional_fields(api_as, app_config):
    body = (
        api_as("po_supervisor")
        .post(
            "/dossiers",
            {
                **RECEIPT,
                "received_at": "2026-03-10T09:30:00+07:00",
                "received_at_reason": "Hồ sơ nhận trong đợt mất điện, nhập bổ sung",
                "channel": "post",
                "applicant_email": "hoa@example.vn",
                "organization_name": "Công ty Sao Mai",
                "organization_tax_code": "0100109106",
                "notes": "Nộp qua bưu chính",
                "extra": {},
            },
        )
        .get_json()
    )
    assert body["code"] == "000.00.15.H55-260310-0001"
    assert body["received_at"] == "2026-03-10T09:30:00+07:00"
    assert body["due_at"] == "2026-03-24T09:30:00+07:00"  # 10 working days
    assert body["channel"] == "post" and body["organization_tax_code"] == "0100109106"


def test_receive_without_a_name_names_the_field(api_as):
    receipt = {k: v for k, v in RECEIPT.items() if k != "applicant_name"}
    assert_error(api_as("po_clerk").post("/dossiers", receipt), 422, fields=["applicant_name"])


@pytest.mark.parametrize("username", ["viewer", "it_admin", "dept_admin"])
def test_receive_is_refused_to_roles_without_the_right(api_as, username):
    assert_error(api_as(username).post("/dossiers", RECEIPT), 403, "forbidden")


# -- list, search and scope ----------------------------------------------------
@pytest.fixture
def listed(world):
    """Three dossiers of the post office (two days), one of the second post office."""
    clerk, publish = world.users["po_clerk"], world.procedures["publish"]
    early = datetime(2026, 3, 10, 0, 30, tzinfo=LOCAL_TZ)  # 9 March in UTC
    return {
        "thuan": factories.make_dossier(publish, clerk, "Nguyễn Văn Thuận", early).code,
        "duc": factories.make_dossier(publish, clerk, "Trần Minh Đức", MARCH_10).code,
        "hoa": factories.make_dossier(
            world.procedures["same_day"],
            clerk,
            "Lê Thị Hoa",
            datetime(2026, 3, 11, 8, 0, tzinfo=LOCAL_TZ),
        ).code,
        "other": factories.make_dossier(
            world.procedures["karaoke"], world.users["po_clerk2"], "Phạm Thuận", MARCH_10
        ).code,
    }


def codes(response):
    assert response.status_code == 200, response.get_json()
    return [d["code"] for d in response.get_json()["items"]]


def test_list_is_newest_first_and_scoped(api_as, listed):
    assert codes(api_as("po_clerk").get("/dossiers")) == [
        listed["hoa"],
        listed["duc"],
        listed["thuan"],
    ]
    assert codes(api_as("po_clerk2").get("/dossiers")) == [listed["other"]]
    assert codes(api_as("dept_admin2").get("/dossiers")) == [listed["other"]]
    assert len(codes(api_as("viewer").get("/dossiers"))) == 4


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("thuan", ["thuan"]),
        ("Thuận", ["thuan"]),
        ("duc", ["duc"]),
        ("ĐỨC", ["duc"]),
        ("minh  đức", ["duc"]),
        ("260311", ["hoa"]),
        ("%", []),
        ("_", []),
    ],
)
def test_search_with_or_without_diacritics(api_as, listed, q, expected):
    found = codes(api_as("po_clerk").get("/dossiers", query_string={"q": q}))
    assert found == [listed[key] for key in expected]


def test_filters_status_procedure_and_local_days(api_as, listed):
    api = api_as("po_clerk")
    assert codes(api.get("/dossiers?procedure_code=1.005453")) == [listed["hoa"]]
    assert codes(api.get("/dossiers?status=processing")) == []
    assert len(codes(api.get("/dossiers?status=received"))) == 3
    # 00:30 on 10 March in Vietnam is still 9 March in UTC: the days are local.
    assert codes(api.get("/dossiers?received_from=2026-03-10&received_to=2026-03-10")) == [
        listed["duc"],
        listed["thuan"],
    ]
    assert codes(api.get("/dossiers?received_to=2026-03-09")) == []
    assert codes(api.get("/dossiers?received_from=2026-03-11")) == [listed["hoa"]]


def test_paging_without_count(api_as, listed):
    api = api_as("po_clerk")
    first = api.get("/dossiers?per_page=2").get_json()
    assert (first["page"], first["per_page"], first["has_next"]) == (1, 2, True)
    assert len(first["items"]) == 2
    second = api.get("/dossiers?per_page=2&page=2").get_json()
    assert second["has_next"] is False and len(second["items"]) == 1
    assert api.get("/dossiers?per_page=1000").get_json()["per_page"] == 100


# -- one dossier ---------------------------------------------------------------
def test_get_with_history_and_actions(api_as, listed):
    body = api_as("po_clerk").get(f"/dossiers/{listed['duc']}").get_json()
    assert body["applicant_name"] == "Trần Minh Đức"
    assert body["history"] == [
        {
            "action": "receive",
            "from": None,
            "to": "received",
            "at": "2026-03-10T09:30:00+07:00",
            "by": "po_clerk",
            "by_name": "Người dùng po_clerk",
            "note": None,
        }
    ]
    assert body["actions"] == ["refuse", "withdraw"]
    assert api_as("viewer").get(f"/dossiers/{listed['duc']}").get_json()["actions"] == []


def test_out_of_scope_looks_like_missing(api_as, listed):
    api = api_as("po_clerk2")
    other = assert_error(api.get(f"/dossiers/{listed['duc']}"), 404, "not_found")
    missing = assert_error(api.get("/dossiers/000.00.15.H55-260310-9999"), 404, "not_found")
    assert other == missing


# -- transitions ---------------------------------------------------------------
@pytest.fixture
def dossier(world):
    return factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], received_at=utcnow()
    )


def move(api, dossier, **body):
    return api.post(f"/dossiers/{dossier.code}/transitions", body)


def test_refuse_with_a_note(api_as, dossier):
    response = move(api_as("po_clerk"), dossier, action="refuse", note="Thiếu đơn", version=1)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "not_accepted" and body["version"] == 2 and body["actions"] == []
    assert body["history"][-1]["from"] == "received" and body["history"][-1]["note"] == "Thiếu đơn"
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == "not_accepted"


def test_refusals_by_role_scope_status_version_and_input(api_as, dossier):
    assert_error(move(api_as("viewer"), dossier, action="refuse", note="x"), 403, "forbidden")
    assert_error(move(api_as("it_admin"), dossier, action="refuse", note="x"), 403)
    assert_error(move(api_as("po_clerk2"), dossier, action="refuse", note="x"), 404)
    assert_error(move(api_as("dept_admin2"), dossier, action="refuse", note="x"), 404)
    clerk = api_as("po_clerk")
    assert_error(move(clerk, dossier, action="return_at_counter"), 409, "conflict")
    assert_error(move(clerk, dossier, action="refuse", note="x", version=7), 409, "conflict")
    assert_error(move(clerk, dossier, action="refuse", note=" "), 422, fields=["note"])
    assert_error(move(clerk, dossier, action="fly"), 422, fields=["action"])
    assert_error(move(clerk, dossier, note="x"), 422, fields=["action"])
    assert_error(move(clerk, dossier, action="refuse", version="1"), 400, fields=["version"])
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == "received"


def test_department_completes_with_a_result(api_as, world, dossier):
    processing(dossier, world.users["dept_admin"])
    api = api_as("dept_admin")
    before = api.get(f"/dossiers/{dossier.code}").get_json()
    assert before["actions"] == [
        "request_supplement",
        "apologize",
        "complete",
        "stop",
        "withdraw",
    ]
    assert_error(
        move(api, dossier, action="complete"), 422, fields=["result.number", "result.date"]
    )
    bad = {"number": "12/GP", "date": "2026-03-20", "outcome": "maybe"}
    assert_error(move(api, dossier, action="complete", result=bad), 422, fields=["result.outcome"])
    bad_date = {**bad, "date": "20/03/2026", "outcome": "granted"}
    assert_error(
        move(api, dossier, action="complete", result=bad_date), 422, fields=["result.date"]
    )
    result = {"number": "12/GP", "date": "2026-03-20", "outcome": "granted", "summary": "Cấp"}
    body = move(api, dossier, action="complete", result=result, version=before["version"])
    body = body.get_json()
    assert body["status"] == "result_ready" and body["timeliness"] == "early"
    assert (body["result_number"], body["result_date"], body["result_outcome"]) == (
        "12/GP",
        "2026-03-20",
        "granted",
    )
    assert_error(move(api, dossier, action="complete", result=result), 409)


def test_apology_and_supplement_round_trip(api_as, world, dossier):
    processing(dossier, world.users["dept_admin"])
    dept = api_as("dept_admin")
    assert_error(move(dept, dossier, action="apologize", note="Chậm"), 422, fields=["new_due_at"])
    body = move(dept, dossier, action="apologize", note="Chậm", new_due_at="2027-01-05T10:00:00")
    assert body.status_code == 200, body.get_json()
    assert body.get_json()["due_at"] == "2027-01-05T10:00:00+07:00"
    assert body.get_json()["apology_count"] == 1
    assert move(dept, dossier, action="request_supplement", note="Thiếu ảnh").status_code == 200
    body = move(api_as("po_clerk"), dossier, action="supplement_received").get_json()
    assert body["status"] == "processing" and body["supplement_count"] == 1
    assert [h["action"] for h in body["history"]][-3:] == [
        "apologize",
        "request_supplement",
        "supplement_received",
    ]


def test_public_lookup_shows_status_and_appointment_only(client, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    answer = client.get(f"/api/v1/public/dossiers/{dossier.code.lower()}")
    assert answer.status_code == 200
    assert answer.get_json() == {
        "code": dossier.code,
        "status": "received",
        "due_at": "2026-03-24T09:30:00+07:00",
        "procedure_name": "Cấp giấy phép xuất bản tài liệu không kinh doanh",
    }
    missing = client.get("/api/v1/public/dossiers/NOPE")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"]


def test_public_lookup_is_rate_limited(app, client, world):
    app.config["PUBLIC_LOOKUP_RATE_LIMIT"] = "3 per minute"
    answers = [client.get("/api/v1/public/dossiers/X").status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]
    assert client.get("/api/v1/public/dossiers/X").get_json()["error"]["code"]


def test_return_at_counter_names_who_collects_it(api_as, world):
    dossier = result_at_counter(world)
    clerk = api_as("po_clerk")
    error = assert_error(move(clerk, dossier, action="return_at_counter"), 422)
    assert set(error["fields"]) == {"collector.kind"}
    response = move(clerk, dossier, action="return_at_counter", collector={"kind": "other"})
    error = assert_error(response, 422, fields=("collector.name", "collector.id_number"))
    assert_error(move(clerk, dossier, action="return_at_counter", collector="me"), 400)
    who = {"kind": "other", "name": "Lê Thị Cúc", "id_number": "019301012345"}
    response = move(clerk, dossier, action="return_at_counter", collector=who)
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["status"] == "returned"
    assert body["collector"] == {**who, "authorisation": None}
