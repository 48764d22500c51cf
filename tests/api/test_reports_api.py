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


def test_a_closed_period_counts_in_progress_and_overdue_at_its_end(api_as, world):  # noqa: F811
    """In progress at the end of March and settled since: March still shows it, as the
    periodic report does (the dossiers as they stood at the period's end), not today's."""
    from services.reporting import figures, periodic
    from services.reporting.periods import Period
    from tests.print_helpers import at, hand_over, received, take

    late = received(world, when=at(10, 9, 30))  # due 24/03: overdue at the end of March
    on_time = received(world, when=at(25, 9, 30))  # due 08/04: within time then
    hand_over(world, [late, on_time], sent=at(25, 10), confirmed=at(25, 14))
    dept = world.users["dept_admin"]
    take(late, "complete", dept, at(3, 10, month=4))
    take(on_time, "complete", dept, at(2, 10, month=4))
    march = Period(at(1).date(), at(31).date())
    for body in (
        api_as("po_supervisor").get(MARCH).get_json(),
        figures.summary(world.users["po_supervisor"], march, now=at(15, month=4)),
    ):
        assert (body["received"], body["in_progress"], body["overdue"]) == (2, 2, 1)
    report = periodic.report(world.users["po_supervisor"], march).total
    assert (report["in_progress_within_time"], report["in_progress_overdue"]) == (1, 1)
    # The table by agency follows the same rule.
    rows = figures.table(world.users["it_admin"], march, "agency", now=at(15, month=4))
    assert [(r["in_progress"], r["overdue"]) for r in rows] == [(2, 1)]
    # Asked while the period still runs, they read the statuses of now (both settled since).
    running = figures.summary(world.users["po_supervisor"], march, now=at(31, 23))
    assert (running["in_progress"], running["overdue"]) == (0, 0)
