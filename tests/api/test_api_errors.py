"""The API's doors and errors: tokens, rate limit, JSON error shapes, the OpenAPI document."""

import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from extensions import db
from models import Dossier, User
from models.catalog import ExtraFieldDefinition
from services.accounts.auth import TOO_MANY_ATTEMPTS, WRONG_CREDENTIALS
from services.accounts.users import set_active, set_password
from tests import factories
from tests.api.test_api import PREFIX, RECEIPT, Api, assert_error, get_token
from views.api import auth as api_auth


def ask_token(client, username, password=factories.PASSWORD):
    return client.post(PREFIX + "/auth/token", json={"username": username, "password": password})


# -- tokens --------------------------------------------------------------------
def test_token_is_issued_for_the_right_password(client, world):
    response = ask_token(client, "po_clerk")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"token", "expires_at"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", body["expires_at"])
    assert Api(client, body["token"]).get("/dossiers").status_code == 200


@pytest.mark.parametrize(
    ("username", "password"), [("po_clerk", "wrong-password-1"), ("nobody", factories.PASSWORD)]
)
def test_wrong_credentials_are_401_json(client, world, username, password):
    error = assert_error(ask_token(client, username, password), 401, "unauthorized")
    assert error["message"] == WRONG_CREDENTIALS


def test_inactive_user_gets_no_token(client, world):
    set_active(world.users["viewer"], False)
    db.session.commit()
    assert_error(ask_token(client, "viewer"), 401)


def test_temporary_password_must_be_changed_first(client, world):
    token = get_token(client, "po_clerk")
    user = db.session.get(User, world.users["po_clerk"].id)
    set_password(user, "Tam-thoi-mat-khau-9", temporary=True)
    db.session.commit()
    assert_error(Api(client, token).get("/dossiers"), 401)  # the reset ended the old token
    response = ask_token(client, "po_clerk", "Tam-thoi-mat-khau-9")
    assert_error(response, 403, "password_change_required")
    user.must_change_password = False
    db.session.commit()
    token = get_token(client, "po_clerk", "Tam-thoi-mat-khau-9")
    user.must_change_password = True  # flagged again without a new password: no epoch change
    db.session.commit()
    assert_error(Api(client, token).get("/dossiers"), 403, "password_change_required")


def test_token_body_must_be_json_strings(client, world):
    assert_error(client.post(PREFIX + "/auth/token", data="x"), 400, "bad_request")
    response = client.post(PREFIX + "/auth/token", json={"username": 1, "password": None})
    assert_error(response, 400, fields=["username"])


def test_token_endpoint_is_rate_limited_per_address(client, world):
    for attempt in range(10):
        assert ask_token(client, f"nobody{attempt}", "x").status_code == 401
    error = assert_error(ask_token(client, "po_clerk"), 429, "rate_limited")
    assert "thử lại" in error["message"]


def test_successful_requests_do_not_use_up_the_limit(client, world):
    for _ in range(12):
        assert ask_token(client, "po_clerk").status_code == 200


def test_locked_account_answers_429(client, world):
    for _ in range(5):
        assert ask_token(client, "po_clerk", "wrong-password-1").status_code == 401
    error = assert_error(ask_token(client, "po_clerk"), 429)
    assert error["message"] == TOO_MANY_ATTEMPTS


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer garbage", "Basic cG9fY2xlcms6eA==", "Bearer a.b.c", "Bearer ∞"],
)
def test_missing_or_garbage_token_is_401(client, world, header):
    headers = {"Authorization": header} if header else {}
    response = client.get(PREFIX + "/dossiers", headers=headers)
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_signed_otherwise_is_401(app, client, world):
    user = world.users["po_clerk"]
    payload = {"uid": user.id, "epoch": user.session_epoch}
    other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="other").dumps(payload)
    other_key = URLSafeTimedSerializer("not-the-key", salt=api_auth.TOKEN_SALT).dumps(payload)
    for token in (other_salt, other_key):
        assert_error(Api(client, token).get("/dossiers"), 401)


def test_expired_token_is_401(app, client, world):
    class NineHoursAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - 9 * 3600

    user = world.users["po_clerk"]
    token = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=api_auth.TOKEN_SALT, signer=NineHoursAgo
    ).dumps({"uid": user.id, "epoch": user.session_epoch})
    error = assert_error(Api(client, token).get("/dossiers"), 401)
    assert error["message"] == api_auth.EXPIRED


@pytest.mark.parametrize("change", ["password", "deactivate"])
def test_token_ends_when_the_session_epoch_moves(client, world, change):
    token = get_token(client, "po_clerk")
    assert Api(client, token).get("/dossiers").status_code == 200
    user = db.session.get(User, world.users["po_clerk"].id)
    if change == "password":
        set_password(user, "Ngay-mai-troi-nang-17")
    else:
        set_active(user, False)
    db.session.commit()
    assert_error(Api(client, token).get("/dossiers"), 401)


# -- error shapes --------------------------------------------------------------
def test_unknown_path_and_wrong_method_are_json(client, world):
    api = Api(client, get_token(client, "po_clerk"))
    assert_error(api.get("/nothing/here"), 404, "not_found")
    assert_error(client.get(PREFIX), 404)
    response = client.delete(PREFIX + "/dossiers", headers=api.headers)
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]
    assert client.get("/no-such-page").mimetype == "text/html"  # the panel keeps its pages


@pytest.mark.parametrize(
    "data", ["{bad", "[1, 2]", "null", "", "[" * 100_000 + "]" * 100_000, b"\xff\xfe"]
)
def test_malformed_bodies_are_400(client, world, data):
    api = Api(client, get_token(client, "po_clerk"))
    response = client.post(
        PREFIX + "/dossiers", data=data, headers=api.headers, content_type="application/json"
    )
    assert_error(response, 400, "bad_request")


def test_wrong_types_are_400_with_fields(client, world):
    api = Api(client, get_token(client, "po_clerk"))
    body = {**RECEIPT, "applicant_name": 7, "extra": [], "notes": "a\x00b", "channel": True}
    error = assert_error(api.post("/dossiers", body), 400)
    assert set(error["fields"]) == {"applicant_name", "extra", "notes", "channel"}
    body = {**RECEIPT, "extra": {"a": {"b": 1}, "n": float("inf")}}
    assert_error(api.post("/dossiers", body), 400, fields=["extra.a"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"applicant_id_number": "12345"}, "applicant_id_number"),
        ({"applicant_id_number": "999201012345"}, "applicant_id_number"),
        ({"applicant_phone": "0123"}, "applicant_phone"),
        ({"procedure_code": "9.999999"}, "procedure_code"),
        ({"applicant_name": "  "}, "applicant_name"),
        ({"applicant_email": "x@" + "a" * 260 + ".vn"}, "applicant_email"),
        ({"return_method": "drone"}, "return_method"),
        ({"received_at": "2026-03-10T09:30:00"}, "received_at"),
        ({"received_at": "10/03/2026"}, "received_at"),
        ({"received_at": "2099-01-01T08:00:00+07:00"}, "received_at"),
    ],
)
def test_receive_refuses_bad_values_with_422_and_fields(client, world, change, field):
    response = Api(client, get_token(client, "po_clerk")).post("/dossiers", {**RECEIPT, **change})
    assert_error(response, 422, "validation_failed", [field])
    assert db.session.query(Dossier).count() == 0


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "per_page=-1",
        "status=lost",
        "received_from=2026-13-01",
        "received_to=0001-01-01",
    ],
)
def test_bad_query_parameters_are_422(client, world, query):
    name = query.split("=")[0]
    assert_error(
        Api(client, get_token(client, "po_clerk")).get(f"/dossiers?{query}"), 422, fields=[name]
    )


def test_extra_fields_are_checked_and_stored(client, world):
    world.procedures["publish"].extra_fields = [
        ExtraFieldDefinition(key="pages", label="Số trang", field_type="number", required=True)
    ]
    db.session.commit()
    api = Api(client, get_token(client, "po_clerk"))
    described = api.get("/procedure-types").get_json()["items"][1]["extra_fields"]
    assert described == [
        {"key": "pages", "label": "Số trang", "type": "number", "required": True, "choices": []}
    ]
    for bad in ({}, {"pages": "nhiều"}, {"pages": "1e999"}, {"pages": "nan"}, {"pages": "-inf"}):
        response = api.post("/dossiers", {**RECEIPT, "extra": bad})
        assert_error(response, 422, fields=["extra.pages"])
    response = api.post("/dossiers", {**RECEIPT, "extra": {"pages": 12}})
    assert response.status_code == 201
    assert response.get_json()["extra_data"] == {"pages": 12}


def test_nul_in_query_or_path_is_never_a_500(client, world):
    api = Api(client, get_token(client, "po_clerk"))
    assert_error(api.get("/dossiers?q=a%00b"), 400, fields=["q"])
    assert_error(api.get("/dossiers/abc%00"), 404)


def test_unexpected_errors_are_rolled_back_json_500(client, world, monkeypatch):
    def explode(*_args, **_kwargs):
        raise RuntimeError("boom: secret detail")

    monkeypatch.setattr("services.dossiers.receiving.receive", explode)
    api = Api(client, get_token(client, "po_clerk"))
    error = assert_error(api.post("/dossiers", RECEIPT), 500, "internal_error")
    assert "boom" not in error["message"]
    assert db.session.query(Dossier).count() == 0


def test_concurrent_write_is_409(client, world, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])

    def raced(*_args, **_kwargs):
        raise StaleDataError("row changed underneath")

    monkeypatch.setattr("services.dossiers.workflow.transition", raced)
    api = Api(client, get_token(client, "po_clerk"))
    response = api.post(f"/dossiers/{dossier.code}/transitions", {"action": "withdraw"})
    assert_error(response, 409, "conflict")


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_api_needs_no_csrf_token(client, world, app_config):
    token = ask_token(client, "po_clerk").get_json()["token"]
    assert Api(client, token).post("/dossiers", RECEIPT).status_code == 201
    assert client.post("/login", data={"username": "x"}).status_code == 400  # panel still guarded


# -- OpenAPI -------------------------------------------------------------------
def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.removeprefix(PREFIX))


def test_openapi_describes_every_route_and_nothing_else(app, client):
    document = client.get(PREFIX + "/openapi.json").get_json()
    assert document["openapi"].startswith("3.0")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    routes = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == described


def test_openapi_references_resolve_and_errors_share_one_schema(client):
    document = client.get(PREFIX + "/openapi.json").get_json()
    text = str(document)
    for kind, name in re.findall(r"#/components/(\w+)/(\w+)", text):
        assert name in document["components"][kind], name
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "200" in operation["responses"] or "201" in operation["responses"], path
            if operation.get("security") != []:
                assert "401" in operation["responses"], (method, path)
    assert set(document["components"]["schemas"]["Error"]["properties"]["error"]["required"]) == {
        "code",
        "message",
        "fields",
    }
