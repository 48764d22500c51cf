"""GET /api/v1/reports/summary: the contract's fields, the caller's scope, bad periods."""

import pytest

from tests.api.test_api import api_as, assert_error  # noqa: F401  (fixture)
from tests.report_workload import build_month
from views.api.reports import SUMMARY_FIELDS

MARCH = "/reports/summary?from=2026-03-01&to=2026-03-31"


@pytest.fixture
def month(world):
    return build_month(world)


def test_summary_has_the_contract_fields_in_scope(api_as, month):  # noqa: F811
    body = api_as("viewer").get(MARCH).get_json()
    assert set(body) == set(SUMMARY_FIELDS)
    assert body["received"] == 15 and body["refused"] == 1 and body["returned_by_post"] == 1
    assert (body["completed_early"], body["completed_on_time"], body["completed_late"]) == (4, 1, 4)
    assert body["on_time_rate"] == pytest.approx(5 / 9)
    dept = api_as("dept_admin").get(MARCH).get_json()
    assert dept["received"] == 13 and dept["refused"] == 0 and dept["completed_late"] == 3
    other = api_as("dept_admin2").get(MARCH).get_json()
    assert other["received"] == 2


def test_summary_filters_by_agency_and_procedure(api_as, month):  # noqa: F811
    api = api_as("it_admin")
    assert api.get(MARCH + "&agency_code=000.00.18.H55").get_json()["received"] == 2
    assert api.get(MARCH + "&procedure_code=1.005453").get_json()["received"] == 1
    # A department filtering on another's agency sees nothing of it.
    assert (
        api_as("dept_admin").get(MARCH + "&agency_code=000.00.18.H55").get_json()["received"] == 0
    )
    empty = api.get("/reports/summary?from=2025-01-01&to=2025-01-31").get_json()
    assert empty["received"] == 0 and empty["on_time_rate"] is None


@pytest.mark.parametrize(
    ("query", "status", "fields"),
    [
        ("", 422, ("from", "to")),
        ("?from=2026-03-01", 422, ("to",)),
        ("?from=2026-13-01&to=2026-03-31", 422, ("from",)),
        ("?from=2026-03-31&to=2026-03-01", 422, ("to",)),
        ("?from=0001-01-01&to=9999-12-31", 422, ("from", "to")),
        ("?from=2026-03-01&to=2026-03-31&agency_code=NOPE", 422, ("agency_code",)),
        ("?from=2026-03-01&to=2026-03-31&procedure_code=x%27--", 422, ("procedure_code",)),
        ("?from=2026-03-01%00&to=2026-03-31", 400, ()),
    ],
)
def test_bad_periods_and_filters_answer_json_errors(api_as, world, query, status, fields):  # noqa: F811
    assert_error(api_as("it_admin").get("/reports/summary" + query), status, fields=fields)


def test_summary_needs_a_token_and_the_report_right(app, world, api_as):  # noqa: F811
    assert app.test_client().get("/api/v1" + MARCH).status_code == 401
    assert api_as("po_clerk").get(MARCH).status_code == 200  # clerks see their office's figures


def test_summary_is_described_in_openapi(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/reports/summary"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to", "agency_code"}
    schema = document["components"]["schemas"]["ReportSummary"]
    assert set(schema["required"]) == set(SUMMARY_FIELDS)
