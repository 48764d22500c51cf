"""GET /api/v1/reports/periodic: the contract's fields, rows per agency or procedure, scope,
errors as JSON."""

import pytest

from models.report import PERIODIC_NAMES
from tests.api.test_api import api_as, assert_error  # noqa: F401  (fixture)
from tests.report_workload import build_month

MARCH = "/reports/periodic?from=2026-03-01&to=2026-03-31"
#: March of build_month, province-wide, worked out by hand from its sixteen cases.
MARCH_TOTAL = {
    "carried_over": 1,  # o: received 27/02, settled 05/03
    "received_counter": 14,
    "received_online": 0,
    "received_post": 1,  # j
    "to_handle": 16,
    "settled_early": 4,
    "settled_on_time": 1,
    "settled_late": 4,  # c (apology), d (two supplements), f, p
    "withdrawn": 1,
    "stopped": 1,
    "refused": 1,
    "in_progress_within_time": 1,  # l, waiting for a supplement: its clock is paused
    "in_progress_overdue": 3,  # j and k (due 24/03), m (due 20/03 17:00)
    "on_time_rate": pytest.approx(5 / 9),
}


@pytest.fixture
def month(world):
    return build_month(world)


def test_rows_per_agency_with_the_contract_fields(api_as, month):  # noqa: F811
    body = api_as("viewer").get(MARCH).get_json()
    assert body["from"] == "2026-03-01" and body["to"] == "2026-03-31"
    assert body["total"] == MARCH_TOTAL
    assert {item["agency_code"] for item in body["items"]} == {"000.00.15.H55", "000.00.18.H55"}
    for item in body["items"]:
        assert set(PERIODIC_NAMES) <= set(item)
    assert sum(i["to_handle"] for i in body["items"]) == 16


def test_rows_per_procedure_and_the_callers_scope(api_as, month):  # noqa: F811
    rows = api_as("it_admin").get(MARCH + "&by=procedure").get_json()["items"]
    assert all(r["procedure_code"] and r["agency_code"] for r in rows)
    assert sum(r["to_handle"] for r in rows) == 16
    other = api_as("dept_admin2").get(MARCH).get_json()
    assert {i["agency_code"] for i in other["items"]} == {"000.00.18.H55"}
    assert other["total"]["to_handle"] == 2  # g (refused) and p
    filtered = api_as("it_admin").get(MARCH + "&procedure_code=1.005453").get_json()
    assert filtered["total"]["to_handle"] == 1


def test_bad_input_is_a_json_error(api_as, month):  # noqa: F811
    api = api_as("viewer")
    assert_error(api.get("/reports/periodic?from=2026-02-30&to=2026-03-31"), 422)
    assert_error(api.get(MARCH + "&by=nope"), 422, fields=("by",))
    assert_error(api.get(MARCH + "&agency_code=none"), 422, fields=("agency_code",))
    assert_error(api.get("/reports/periodic?from=2026-03-01&to=2026-03-31%00"), 400)


def test_without_a_token_401(client, month):
    response = client.get("/api/v1" + MARCH)
    assert response.status_code == 401 and response.get_json()["error"]["code"]
