"""Each workflow action is one record (models.dossier_actions); the workflow service, the
permission vocabulary, the dossier page, the API schema and the printed forms derive from it.
Tables keyed by an enumeration's values (rules, not names) cover it exactly."""

import re
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po

import permission_defaults as grid
from extensions import db
from models.agency import AGENCY_KINDS
from models.delivery import DELIVERY_STATUSES
from models.dossier import OUTCOMES, STATUSES
from models.dossier_actions import ACTIONS, BY_NAME, DOSSIER_GRANTS, INPUTS, TRACKING_EVENT
from models.handover import DIRECTIONS
from models.user import ROLES
from services.accounts import users
from services.delivery import events
from services.dossiers import workflow
from services.dossiers.action_inputs import check_inputs
from services.errors import ValidationFailed
from services.handovers import eligibility
from services.printing import control_slip, dossier_forms, handover_record
from tests import factories
from views import labels
from views.admin.dossiers.actions import DossierActionsMixin
from views.api.openapi.schemas import DOSSIER, TRANSITION

ROOT = Path(__file__).resolve().parents[2]
# DOMAIN.md's table of actions: from → to.
DOMAIN_MOVES = {
    "receive": ((), "received"),
    "refuse": (("received",), "not_accepted"),
    "handover_to_department": (("received",), "processing"),
    "request_supplement": (("processing",), "supplement_requested"),
    "supplement_received": (("supplement_requested",), "processing"),
    "apologize": (("processing",), "processing"),
    "complete": (("processing",), "result_ready"),
    "stop": (("processing",), "stopped"),
    "withdraw": (("received", "processing", "supplement_requested"), "withdrawn"),
    "handover_to_post_office": (("result_ready",), "result_at_counter"),
    "return_at_counter": (("result_at_counter",), "returned"),
    "ship": (("result_at_counter",), "in_delivery"),
    "delivered": (("in_delivery",), "returned"),
    "returned_to_sender": (("in_delivery",), "result_at_counter"),
}
# Grid actions without a label (they would show by their raw name): none since issue 19.
UNLABELLED_GRID_ACTIONS = set()


def test_each_action_is_one_record_of_the_domain_table():
    assert {a.name: (a.sources, a.target) for a in ACTIONS} == DOMAIN_MOVES
    assert len(BY_NAME) == len(ACTIONS)
    with (ROOT / "translations/vi/LC_MESSAGES/messages.po").open("rb") as po:
        translated = {m.id for m in read_po(po) if m.string and not m.fuzzy}
    for action in ACTIONS:
        assert {action.target, *action.sources} <= set(STATUSES), action.name
        assert set(action.inputs) <= set(INPUTS), action.name
        assert action.permission[1] in grid.actions_of(action.permission[0]), action.name
        assert {action.msgid, action.done or action.msgid, action.confirm or action.msgid} <= (
            translated
        ), action.name
        if action.permission[0] == "dossier":
            assert action.vi, f"{action.name}: no Vietnamese name for the services' messages"


def test_the_workflow_service_reads_the_records():
    assert list(workflow.TRANSITIONS.values()) == [a for a in ACTIONS if a.direct]
    assert set(workflow.SYSTEM_MOVES) | set(workflow.TRANSITIONS) | {"receive"} == set(BY_NAME)
    assert {t.value: t.vi for t in STATUSES.terms} == workflow.STATUS_NAMES


def test_the_permission_vocabulary_reads_the_records():
    assert grid.DOSSIER_ACTIONS == DOSSIER_GRANTS
    assert grid.ACTIONS["dossier"] == grid.CRUD + DOSSIER_GRANTS
    assert {("dossier", a) for a in DOSSIER_GRANTS} <= grid.WORKFLOW_PAIRS
    every = {a for actions in grid.ACTIONS.values() for a in actions}
    assert every - set(labels.ACTION) == UNLABELLED_GRID_ACTIONS
    for role, resources in grid.DEFAULT_MATRIX.items():
        for resource, actions in resources.items():
            assert set(actions) <= set(grid.actions_of(resource)), (role, resource)


@pytest.mark.parametrize("action", [a for a in ACTIONS if a.direct], ids=lambda a: a.name)
def test_each_action_asks_for_its_inputs_and_no_other(action):
    dossier = SimpleNamespace(due_at=datetime(2026, 3, 24, 10, tzinfo=UTC))
    now = datetime(2026, 3, 20, 10, tzinfo=UTC)
    missing = {"note": {"note"}, "new_due_at": {"new_due_at"}}
    missing["result"] = {"result.number", "result.date", "result.outcome"}
    missing["collector"] = {"collector.kind"}
    expected = set().union(*(missing[i] for i in action.inputs))
    try:
        check_inputs(action, dossier, now, note=None, result=None, new_due_at=None)
        found = set()
    except ValidationFailed as exc:
        found = set(exc.fields)
    assert found == expected


def test_the_api_schema_reads_the_records():
    assert TRANSITION["properties"]["action"]["enum"] == list(workflow.TRANSITIONS)
    noted = [a.name for a in ACTIONS if a.direct and a.needs_note]
    assert TRANSITION["properties"]["note"]["description"] == f"Bắt buộc với {', '.join(noted)}."
    assert TRANSITION["properties"]["result"]["properties"]["outcome"]["enum"] == list(OUTCOMES)
    assert DOSSIER["properties"]["status"]["enum"] == list(STATUSES)


def test_the_printed_forms_read_the_records():
    assert {a.name: a.slip for a in ACTIONS if a.slip} == dossier_forms.FORM_OF_STEP
    issued = [a.slip for a in ACTIONS if a.slip]
    assert set(issued) == set(dossier_forms.DOSSIER_FORMS)
    for form in dossier_forms.LETTERS:
        assert issued.count(form) == 1 and BY_NAME[dossier_forms.ISSUED_BY[form]].slip == form


def test_the_dossier_page_reads_the_records():
    assert DossierActionsMixin.confirmations.keys() == {
        a.name for a in ACTIONS if a.direct and a.confirm
    }
    assert DossierActionsMixin.outcome_choices == OUTCOMES.choices()
    template = (ROOT / "templates/admin/dossier/details.html").read_text()
    named = {a.name for a in ACTIONS if re.search(rf"['\"]{a.name}['\"]", template)}
    assert named == set(), "the template names actions instead of reading their records"


def test_the_page_shows_each_action_as_its_record_says(client, login_as, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    dossier.status = "processing"
    db.session.commit()
    login_as("dept_admin")
    page = client.get(f"/admin/dossier/details/?id={dossier.id}").get_data(as_text=True)
    shown = re.findall(r'<form class="collapse[^"]*"[^>]* id="form-(\w+)"', page)
    assert shown == [n for n, a in workflow.TRANSITIONS.items() if "processing" in a.sources]
    for name in shown:
        form = page.split(f'id="form-{name}"')[1].split("</form>")[0]
        action = BY_NAME[name]
        assert ('id="result_number"' in form) == ("result" in action.inputs), name
        assert ('id="new_due_date"' in form) == ("new_due_at" in action.inputs), name
        assert (f'id="note-{name}" name="note" rows="2" required' in form) == action.needs_note
        assert ("data-confirm" in form) == bool(action.confirm), name


def test_tables_keyed_by_a_vocabulary_cover_it():
    for table in (
        eligibility.STEP,
        eligibility.SENDER_KIND,
        eligibility.SOURCE_STATUS,
        eligibility.SENDER_COLUMN,
        eligibility.RECEIVER_COLUMN,
        control_slip.STEP_NAMES,
        handover_record.TITLES,
    ):
        assert set(table) == set(DIRECTIONS)
    assert tuple(eligibility.STEP.values()) == control_slip.HANDOVER_MOVES
    assert all(BY_NAME[s].permission == ("handover", "confirm") for s in eligibility.STEP.values())
    assert set(eligibility.SENDER_KIND.values()) <= set(AGENCY_KINDS)
    assert set(events.MOVES) == set(DELIVERY_STATUSES)
    assert {s for nexts in events.MOVES.values() for s in nexts} <= set(DELIVERY_STATUSES)
    assert events.DOSSIER_MOVES == ("delivered", "returned_to_sender")
    assert all(BY_NAME[s].permission == TRACKING_EVENT for s in events.DOSSIER_MOVES)


def test_tables_keyed_by_role_cover_the_roles():
    assert list(grid.DEFAULT_MATRIX) == list(ROLES)
    assert list(grid.ROLE_AGENCY_KIND) == list(ROLES)
    assert set(grid.ROLE_AGENCY_KIND.values()) <= set(AGENCY_KINDS)
    assert set(ROLES) >= grid.ALL_ROWS_ROLES
    # Still spelled in services/accounts (another branch's ground): at least they agree.
    assert {r: label for r, (label, _d) in users.ROLE_LABELS.items()} == {
        t.value: t.vi for t in ROLES.terms
    }
    assert {t.value: t.vi for t in AGENCY_KINDS.terms} == users.AGENCY_KIND_NAMES
