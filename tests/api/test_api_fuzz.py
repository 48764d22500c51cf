"""Property: whatever a client sends, the API answers success or the JSON error shape, never 500."""

from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.dossiers.workflow import TRANSITIONS
from tests import factories
from tests.api.test_api import PREFIX, RECEIPT, get_token, processing

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
RECEIVE_KEYS = (*RECEIPT, "received_at", "extra", "channel", "applicant_email", "notes")
TRANSITION_KEYS = ("action", "note", "version", "result", "new_due_at")
QUERY_KEYS = ("status", "procedure_code", "q", "received_from", "received_to", "page", "per_page")


def shaped(keys, known_values):
    """Objects with the API's own keys (so validation is reached) and arbitrary values."""
    value = JSON | st.sampled_from(known_values)
    return st.dictionaries(st.sampled_from(keys), value, max_size=len(keys))


def assert_well_formed(response):
    assert response.status_code < 500, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body, dict), response.get_data(as_text=True)
    if response.status_code >= 400:
        assert set(body) == {"error"}
        assert set(body["error"]) == {"code", "message", "fields"}
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
        assert isinstance(body["error"]["fields"], dict)


RECEIVE_VALUES = (*RECEIPT.values(), "2026-03-10T09:30:00+07:00", "0001-01-01T00:00:00+14:00")
TRANSITION_VALUES = (
    *TRANSITIONS,
    1,
    2,
    "Lý do",
    {"number": "1/GP", "date": "2026-03-20", "outcome": "granted"},
    {"number": 1, "date": "0001-01-01", "outcome": None},
    "2027-01-05T10:00:00",
    "9999-12-31T23:59:59-12:00",
)


def test_receive_survives_any_body(app, world):
    client = app.test_client()
    headers = {"Authorization": "Bearer " + get_token(client, "po_clerk")}

    @FAST
    @given(body=JSON | shaped(RECEIVE_KEYS, RECEIVE_VALUES))
    def check(body):
        assert_well_formed(client.post(PREFIX + "/dossiers", json=body, headers=headers))

    check()


def test_receive_survives_any_bytes(app, world):
    client = app.test_client()
    headers = {"Authorization": "Bearer " + get_token(client, "po_clerk")}

    @FAST
    @given(data=st.binary(max_size=200))
    def check(data):
        response = client.post(
            PREFIX + "/dossiers", data=data, headers=headers, content_type="application/json"
        )
        assert_well_formed(response)

    check()


def test_transitions_survive_any_body(app, world):
    client = app.test_client()
    code = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"]).code
    headers = {"Authorization": "Bearer " + get_token(client, "po_supervisor")}

    @FAST
    @given(body=JSON | shaped(TRANSITION_KEYS, TRANSITION_VALUES))
    def check(body):
        response = client.post(f"{PREFIX}/dossiers/{code}/transitions", json=body, headers=headers)
        assert_well_formed(response)

    check()


def test_department_transitions_survive_any_body(app, world):
    """The department's actions (complete, apologize...) on a dossier it is processing."""
    client = app.test_client()
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    code = processing(dossier, world.users["dept_admin"]).code
    headers = {"Authorization": "Bearer " + get_token(client, "dept_admin")}

    @FAST
    @given(body=shaped(TRANSITION_KEYS, TRANSITION_VALUES))
    def check(body):
        response = client.post(f"{PREFIX}/dossiers/{code}/transitions", json=body, headers=headers)
        assert_well_formed(response)

    check()


def test_list_survives_any_query(app, world):
    client = app.test_client()
    factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    headers = {"Authorization": "Bearer " + get_token(client, "po_clerk")}
    keys = st.sampled_from(QUERY_KEYS) | st.text(min_size=1, max_size=8)

    @FAST
    @given(query=st.lists(st.tuples(keys, st.text(max_size=30)), max_size=6))
    def check(query):
        response = client.get(f"{PREFIX}/dossiers?{urlencode(query)}", headers=headers)
        assert_well_formed(response)

    check()
