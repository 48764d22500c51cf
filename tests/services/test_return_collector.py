"""Returning at the counter records who took the result (issue 19, item 9): the applicant,
another person with name and citizen ID, or an authorised one with the letter's reference."""

from datetime import date

import pytest

from extensions import db
from services.dossiers import workflow
from services.errors import ValidationFailed
from services.printing.control_slip import control_slip
from tests import factories

Collector = workflow.Collector


@pytest.fixture
def at_counter(world):
    return result_at_counter(world)


def result_at_counter(world):
    """A dossier whose result is back at po_clerk's counter (committed)."""
    clerk, dept = world.users["po_clerk"], world.users["dept_admin"]
    dossier = factories.make_dossier(world.procedures["publish"], clerk)
    factories.confirm_handover(factories.make_handover([dossier], clerk), dept)
    result = workflow.Result(number="12/GP", date=date(2026, 3, 12), outcome="granted")
    workflow.transition(dossier, "complete", dept, result=result)
    db.session.commit()
    back = factories.make_handover([dossier], dept, direction="to_post_office")
    factories.confirm_handover(back, clerk)
    assert dossier.status == "result_at_counter"
    return dossier


@pytest.mark.parametrize(
    ("collector", "fields"),
    [
        (None, {"collector.kind"}),
        (Collector(kind="neighbour"), {"collector.kind"}),
        (Collector(kind="other"), {"collector.name", "collector.id_number"}),
        (Collector(kind="other", name="Trần B", id_number="01920101234x"), {"collector.id_number"}),
        (
            Collector(kind="authorised", name="Trần B", id_number="019201012399"),
            {"collector.authorisation"},
        ),
    ],
)
def test_who_collects_is_required_and_checked(world, at_counter, collector, fields):
    with pytest.raises(ValidationFailed) as refused:
        workflow.transition(
            at_counter, "return_at_counter", world.users["po_clerk"], collector=collector
        )
    assert set(refused.value.fields) == fields
    db.session.rollback()
    assert at_counter.status == "result_at_counter" and at_counter.collected_by is None


def test_the_applicant_in_person(world, at_counter):
    workflow.transition(
        at_counter, "return_at_counter", world.users["po_clerk"], collector=Collector("applicant")
    )
    db.session.commit()
    assert (at_counter.status, at_counter.collected_by) == ("returned", "applicant")
    assert at_counter.collector_name == at_counter.applicant_name
    assert at_counter.collector_id_number == at_counter.applicant_id_number
    row = control_slip(at_counter).rows[-1]
    assert row.receiver == at_counter.applicant_name


def test_an_authorised_person_is_recorded_and_printed(world, at_counter):
    who = Collector("authorised", " Trần Văn Bình ", "019201012399", " 12/GUQ ")
    workflow.transition(at_counter, "return_at_counter", world.users["po_clerk"], collector=who)
    db.session.commit()
    assert (at_counter.collected_by, at_counter.collector_name) == ("authorised", "Trần Văn Bình")
    assert (at_counter.collector_id_number, at_counter.collector_authorisation) == (
        "019201012399",
        "12/GUQ",
    )
    step = at_counter.history[-1]
    assert step.data["collector_authorisation"] == "12/GUQ"
    receiver = control_slip(at_counter).rows[-1].receiver
    assert (
        receiver
        == "Trần Văn Bình (người được ủy quyền, CCCD 019201012399, giấy ủy quyền số 12/GUQ)"
    )
