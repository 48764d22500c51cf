"""Each checklist document's validity (months, IT staff edit it) decides how long the
applicant's store offers a digitized copy of it again."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import ApplicantDocument, RequiredDocument
from services.digitization import files as file_service
from services.digitization import jobs, store
from services.transactions import transaction
from tests import digitization as samples
from tests import factories
from tests.digitization import certificates  # noqa: F401

DOC = "Đơn đề nghị"


@pytest.fixture
def file_config(app_config, tmp_path, certificates):  # noqa: F811
    app_config.update(
        FILE_STORAGE_URL=f"file://{tmp_path / 'files'}",
        SIGNING_P12_PATH=certificates["p12"],
        SIGNING_P12_PASSWORD=samples.P12_PASSWORD,
    )
    return app_config


@pytest.fixture
def dossier(file_config, app, world):
    return factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])


def digitize(dossier, user, **details):
    with transaction(expire=False):
        row = file_service.upload(
            dossier, user, document=DOC, data=samples.pdf(pages=1), details=details
        )
    assert jobs.process(row.id) == "ready"
    return row


def set_validity(months):
    required = db.session.scalar(select(RequiredDocument).where(RequiredDocument.name == DOC))
    required.validity_months = months
    db.session.commit()


def test_a_one_month_document_is_offered_for_a_month_only(dossier, world):
    set_validity(1)
    procedure = world.procedures["publish"]
    row = digitize(dossier, world.users["po_clerk"])
    today = date.today()
    month_later = store.add_months(today, 1)
    for day, offered in (
        (today, [row.id]),
        (month_later, [row.id]),
        (month_later + timedelta(1), []),
    ):
        found = store.offers(dossier.applicant_id_number, procedure, today=day)
        assert [o.file_id for o in found] == offered, day


def test_the_default_is_six_months_and_the_issue_date_counts(dossier, world):
    clerk = world.users["po_clerk"]
    six = digitize(dossier, clerk)
    issued = date.today() - timedelta(days=40)
    set_validity(2)
    two = digitize(dossier, clerk, issued_on=issued)
    kept = {e.file_id: e.valid_until for e in db.session.scalars(select(ApplicantDocument))}
    assert kept == {
        six.id: store.add_months(date.today(), 6),
        two.id: store.add_months(issued, 2),
    }


def test_an_out_of_range_validity_is_refused_by_the_database(app, world):
    required = db.session.scalar(select(RequiredDocument).where(RequiredDocument.name == DOC))
    required.validity_months = 500
    with pytest.raises(Exception, match="validity_months"):
        db.session.commit()
    db.session.rollback()
