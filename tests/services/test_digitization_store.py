"""What the store keeps: each scan as a signed PDF/A-2b, and, by each checklist document's
validity (months, IT staff edit it), how long the applicant's store offers it again."""

import io
from datetime import timedelta

import pikepdf
import pytest
from PIL import Image
from sqlalchemy import select

from extensions import db
from models import ApplicantDocument, DossierFile, RequiredDocument
from services.digitization import files as file_service
from services.digitization import jobs, signing, store
from services.digitization.storage import store as file_store
from services.reporting.periods import today as office_today  # the office's day, not UTC's
from services.transactions import transaction
from tests import digitization as samples
from tests import factories
from tests.digitization import certificates  # noqa: F401

DOC = "Đơn đề nghị"


@pytest.fixture
def file_config(app_config, tmp_path, certificates):  # noqa: F811
    return samples.signed_file_store(app_config, certificates, tmp_path)


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
    today = office_today()
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
    issued = office_today() - timedelta(days=40)
    set_validity(2)
    two = digitize(dossier, clerk, issued_on=issued)
    kept = {e.file_id: e.valid_until for e in db.session.scalars(select(ApplicantDocument))}
    assert kept == {
        six.id: store.add_months(office_today(), 6),
        two.id: store.add_months(issued, 2),
    }


def test_an_out_of_range_validity_is_refused_by_the_database(app, world):
    required = db.session.scalar(select(RequiredDocument).where(RequiredDocument.name == DOC))
    required.validity_months = 500
    with pytest.raises(Exception, match="validity_months"):
        db.session.commit()
    db.session.rollback()


def archive_id(pdf: bytes) -> tuple:
    """The PDF/A part and conformance the XMP metadata declares, and the output intent."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        meta = document.open_metadata()
        intent = document.Root.OutputIntents[0]
        return (
            meta.get("pdfaid:part"),
            meta.get("pdfaid:conformance"),
            str(intent.S),
            str(intent.OutputConditionIdentifier),
        )


@pytest.mark.parametrize(
    "make",
    [
        samples.scan,
        lambda: samples.scan(fmt="PNG"),
        lambda: samples.tiff_pages(2, dpi=100),
        lambda: cmyk_jpeg(),
    ],
    ids=["jpeg", "png", "tiff", "cmyk-jpeg"],
)
def test_a_scan_is_stored_as_signed_pdfa_2b(dossier, world, certificates, make):  # noqa: F811
    with transaction(expire=False):
        row = file_service.upload(dossier, world.users["po_clerk"], document=DOC, data=make())
    assert jobs.process(row.id) == "ready"
    stored = file_store().get(db.session.get(DossierFile, row.id).storage_key)
    assert archive_id(stored) == ("2", "B", "/GTS_PDFA1", "sRGB")
    assert "Trung tâm" in signing.verify(stored, certificates["roots"]).name
    with pikepdf.open(io.BytesIO(stored)) as document:
        spaces = {str(i.ColorSpace) for p in document.pages for i in p.get_images().values()}
    assert spaces and spaces <= {"/DeviceRGB", "/DeviceGray"}  # no CMYK left


def test_an_uploaded_pdf_is_kept_as_it_came(dossier, world):
    data = samples.pdf(pages=1)
    with transaction(expire=False):
        row = file_service.upload(dossier, world.users["po_clerk"], document=DOC, data=data)
    assert jobs.process(row.id) == "ready"
    stored = file_store().get(db.session.get(DossierFile, row.id).storage_key)
    assert stored.startswith(data)  # the signature is an incremental update after it


def cmyk_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("CMYK", (400, 560), (0, 80, 160, 10)).save(out, "JPEG", dpi=(150, 150))
    return out.getvalue()
