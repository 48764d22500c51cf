"""Digitization services on a real store (a folder, and SeaweedFS over S3): the door's
refusals leave nothing stored, the job converts and signs, results are verified, the
applicant's store offers still-valid documents for reuse."""

import contextlib
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from extensions import db
from models import ApplicantDocument, AuditEntry, DossierFile, RequiredDocument
from services.digitization import figures, jobs, signing, store
from services.digitization import files as file_service
from services.digitization.storage import store as file_store
from services.errors import ValidationFailed
from services.reporting.periods import today as office_today  # the office's day, not UTC's
from services.transactions import transaction
from tests import digitization as samples
from tests import factories
from tests.digitization import certificates, other_certificates, seaweed  # noqa: F401
from tests.servers import ROOT

DOC = "Đơn đề nghị"


@pytest.fixture(params=["file", "s3"])
def storage_config(request, tmp_path, app_config, certificates):  # noqa: F811
    """FILE_STORAGE_URL on a folder or a fresh bucket, and the signing certificate."""
    if request.param == "file":
        app_config["FILE_STORAGE_URL"] = f"file://{tmp_path / 'files'}"
    else:
        s3 = request.getfixturevalue("seaweed")
        app_config.update(
            FILE_STORAGE_URL=f"s3://{s3.new_place()}",
            S3_ENDPOINT_URL=s3.url,
            AWS_ACCESS_KEY_ID="test",
            AWS_SECRET_ACCESS_KEY="test",
        )
    app_config.update(
        SIGNING_P12_PATH=certificates["p12"],
        SIGNING_P12_PASSWORD=samples.P12_PASSWORD,
        SIGNING_TRUST_ROOTS=certificates["roots"],
    )
    return app_config


@pytest.fixture
def digit_app(storage_config, app):
    return app


@pytest.fixture
def dossier(digit_app, world):
    return factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])


def upload(dossier, user, data, kind="document", **extra):
    with transaction(expire=False):
        return file_service.upload(dossier, user, document=DOC, data=data, kind=kind, **extra)


def stored_nothing():
    assert db.session.scalar(select(func.count(DossierFile.id))) == 0
    assert db.session.scalar(select(func.count(ApplicantDocument.id))) == 0
    assert file_store().keys() == []


def test_a_jpeg_scan_becomes_one_signed_pdf(dossier, world, certificates):  # noqa: F811
    clerk = world.users["po_clerk"]
    row = upload(dossier, clerk, samples.scan(), originality="original")
    assert row.state == "pending" and row.raw_type == "image/jpeg"
    assert file_store().keys() == [row.raw_key]

    assert jobs.process(row.id) == "ready"
    db.session.refresh(row)
    assert row.state == "ready" and row.pages == 1 and row.signed
    assert row.signer_serial == certificates["serial"]
    assert "CA Thử nghiệm" in row.signer_ca
    stored = file_store().get(row.storage_key)
    assert file_store().keys() == [row.storage_key]  # the raw upload is gone
    assert hashlib.sha256(stored).hexdigest() == row.sha256 and len(stored) == row.size
    assert "Trung tâm" in signing.verify(stored, certificates["roots"]).name
    assert jobs.process(row.id) == "ready"  # a second run changes nothing


def test_a_pdf_is_kept_and_a_tiff_keeps_its_pages(dossier, world):
    clerk = world.users["po_clerk"]
    first = upload(dossier, clerk, samples.pdf(pages=3))
    second = upload(dossier, clerk, samples.tiff_pages(2, dpi=100))
    for row, pages in ((first, 3), (second, 2)):
        jobs.process(row.id)
        db.session.refresh(row)
        assert row.pages == pages
        assert len(PdfReader(io.BytesIO(file_store().get(row.storage_key))).pages) == pages


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (samples.exe, "Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF"),
        (samples.pixel_bomb, "Ảnh quá lớn"),
        (lambda: b"%PDF-1.7\n" + b"\x00" * (2 * 1024 * 1024), "vượt quá giới hạn 2 MB"),
        (lambda: b"%PDF-1.4\n garbage without pages", "Tệp PDF bị hỏng"),
        (lambda: b"", "Tệp rỗng"),
    ],
    ids=["exe-renamed-pdf", "30000x30000-png", "over-the-limit", "broken-pdf", "empty"],
)
def test_refused_at_the_door_with_nothing_stored(digit_app, dossier, world, make, message):
    digit_app.config["UPLOAD_MAX_MB"] = 2
    with pytest.raises(ValidationFailed) as refused:
        upload(dossier, world.users["po_clerk"], make())
    assert message in refused.value.message and "file" in refused.value.fields
    stored_nothing()


def test_a_document_not_on_the_checklist_is_refused(dossier, world):
    with pytest.raises(ValidationFailed) as refused, transaction():
        file_service.upload(dossier, world.users["po_clerk"], document="Khác", data=samples.pdf())
    assert "document" in refused.value.fields
    stored_nothing()


def test_a_signed_result_is_verified_and_a_tampered_one_refused(
    dossier,
    world,
    certificates,  # noqa: F811
    other_certificates,  # noqa: F811
):
    dept = world.users["dept_admin"]
    good = samples.signed_pdf(certificates)
    for bad, reason in (
        (samples.tampered(good), "thay đổi sau khi ký"),
        (samples.signed_pdf(other_certificates), "tin cậy"),
        (samples.pdf(), "chưa được ký số"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            upload(dossier, dept, bad, kind="result")
        assert reason in refused.value.message
        stored_nothing()
    row = upload(dossier, dept, good, kind="result")
    assert row.state == "ready" and row.signed and row.replaces_document
    assert row.signer_serial == certificates["serial"] and "Trung tâm" in row.signer_name
    assert file_store().get(row.storage_key) == good


def test_who_may_attach_what(dossier, world):
    from services.errors import Forbidden

    for username, kind in (
        ("viewer", "document"),
        ("it_admin", "document"),
        ("po_clerk2", "document"),  # another post office: out of scope
        ("dept_admin2", "result"),
        ("po_clerk", "result"),
    ):
        with pytest.raises(Forbidden):
            upload(dossier, world.users[username], samples.pdf(), kind=kind)
    stored_nothing()


def test_the_applicants_store_offers_valid_documents_for_reuse(dossier, world):
    clerk, procedure = world.users["po_clerk"], world.procedures["publish"]
    row = upload(dossier, clerk, samples.scan(), details={"number": "12/GP", "issuer": "Sở"})
    assert store.offers(dossier.applicant_id_number, procedure) == []  # not digitized yet
    jobs.process(row.id)
    offered = store.offers(dossier.applicant_id_number, procedure)
    assert [o.file_id for o in offered] == [row.id]
    assert offered[0].number == "12/GP"
    assert offered[0].valid_until == store.add_months(office_today(), 6)
    assert store.offers("079201099999", procedure) == []  # another applicant

    later = factories.make_dossier(procedure, clerk)
    with transaction(expire=False):
        [copy] = store.reuse(later, [row.id], clerk)
    assert copy.reused and copy.storage_key == dossier_file(row.id).storage_key
    assert copy.state == "ready" and copy.sha256 == dossier_file(row.id).sha256

    expired = offered[0].valid_until + timedelta(days=1)
    assert store.offers(dossier.applicant_id_number, procedure, today=expired) == []
    third = factories.make_dossier(procedure, clerk)
    with pytest.raises(ValidationFailed) as refused, transaction():
        store.reuse(third, [row.id], clerk, today=expired)
    assert "reuse_file_ids" in refused.value.fields
    assert db.session.scalar(select(func.count(DossierFile.id))) == 2


def test_validity_is_set_per_document_type(dossier, world):
    required = db.session.scalar(select(RequiredDocument).where(RequiredDocument.name == DOC))
    required.validity_months = 12
    db.session.commit()
    row = upload(dossier, world.users["po_clerk"], samples.pdf())
    entry = db.session.scalar(select(ApplicantDocument).where(ApplicantDocument.file_id == row.id))
    assert entry.valid_until == store.add_months(office_today(), 12)


def dossier_file(file_id):
    return db.session.get(DossierFile, file_id)


def test_figures_count_digitized_reused_and_e_results(dossier, world, certificates):  # noqa: F811
    clerk = world.users["po_clerk"]
    procedure = world.procedures["publish"]
    factories.make_dossier(procedure, clerk, applicant="Người khác")  # nothing digitized
    row = upload(dossier, clerk, samples.scan())
    jobs.process(row.id)
    later = factories.make_dossier(procedure, clerk)
    with transaction():
        store.reuse(later, [row.id], clerk)
    day = dossier.received_at.date()
    values = figures.rates(world.users["it_admin"], day - timedelta(days=1), day + timedelta(1))
    assert values["received"] == 3 and values["digitized"] == 2 and values["reused"] == 1
    assert values["e_result_rate"] is None  # nothing completed: no data, not 0 %
    assert values["digitization_rate"] == pytest.approx(2 / 3)
    by = figures.rates(world.users["dept_admin2"], day, day)
    assert by["received"] == 0 and by["digitization_rate"] is None
    flags = figures.document_flags(later)
    assert flags == [
        {
            "file_id": flags[0]["file_id"],
            "document": DOC,
            "kind": "document",
            "digitized": True,
            "reused": True,
            "from_national_store": False,
            "replaces_document": False,
        }
    ]


KILLED_JOB = """
import sys, time
from app import create_app
from config import TestingConfig
from services.digitization import jobs

class Config(TestingConfig):
    SQLALCHEMY_DATABASE_URI = sys.argv[1]
    FILE_STORAGE_URL = sys.argv[2]
    SIGNING_P12_PATH = sys.argv[3]
    SIGNING_P12_PASSWORD = sys.argv[4]

app = create_app(Config)
with app.app_context():
    print("started", flush=True)
    print(jobs.process(int(sys.argv[5])), flush=True)
"""


@pytest.mark.parametrize("storage_config", ["file"], indirect=True)  # S3's PUT is atomic itself
def test_a_worker_killed_mid_conversion_leaves_no_half_file(
    digit_app,
    dossier,
    world,
    database_url,
    storage_config,
    certificates,  # noqa: F811
):
    row = upload(dossier, world.users["po_clerk"], samples.tiff_pages(8, dpi=200))
    args = [
        database_url,
        storage_config["FILE_STORAGE_URL"],
        certificates["p12"],
        samples.P12_PASSWORD,
        str(row.id),
    ]
    for delay in (0.05, 0.4, 1.0):
        worker = subprocess.Popen(  # noqa: S603  (this interpreter, our own script)
            [sys.executable, "-c", KILLED_JOB, *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert worker.stdout.readline().strip() == b"started"
        time.sleep(delay)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        db.session.expire_all()
        again = dossier_file(row.id)
        final = jobs.final_key(again)
        if again.state == "ready":
            break  # finished before the kill: whole and recorded
        assert again.state == "pending" and again.storage_key is None
        assert file_store().exists(again.raw_key)  # the upload is still there to redo
        if file_store().exists(final):  # renamed into place whole, not yet recorded
            assert PdfReader(io.BytesIO(file_store().get(final))).pages
    assert jobs.process(row.id) == "ready"
    db.session.refresh(row)
    assert row.pages == 8 and file_store().keys() == [row.storage_key]
    assert file_store().partials() == []
    stored = file_store().get(row.storage_key)
    assert hashlib.sha256(stored).hexdigest() == row.sha256


def test_each_download_is_audited(dossier, world):
    clerk = world.users["po_clerk"]
    row = upload(dossier, clerk, samples.pdf())
    jobs.process(row.id)
    with transaction():
        found = file_service.visible_file(clerk, row.id)
        data = b"".join(file_service.open_file(clerk, found))
    assert data == file_store().get(dossier_file(row.id).storage_key)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-2:] == ["file_upload", "file_download"]


@pytest.fixture
def locked_bucket(app_config, seaweed, certificates):  # noqa: F811
    """FILE_STORAGE_URL on a bucket with Object Lock on."""
    bucket = "locked"
    # Made once per session (the run on the other database finds it): prefixes keep them apart.
    with contextlib.suppress(seaweed.client.exceptions.ClientError):
        seaweed.client.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    prefix = seaweed.new_place().split("/", 1)[1]
    app_config.update(
        FILE_STORAGE_URL=f"s3://{bucket}/{prefix}",
        S3_ENDPOINT_URL=seaweed.url,
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        FILE_RETENTION_YEARS=1,
        SIGNING_P12_PATH=certificates["p12"],
        SIGNING_P12_PASSWORD=samples.P12_PASSWORD,
    )
    return bucket, prefix


def test_on_a_bucket_with_object_lock_the_pdf_is_kept_under_retention(
    locked_bucket,
    app,
    world,
    seaweed,  # noqa: F811
):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    row = upload(dossier, world.users["po_clerk"], samples.scan())
    jobs.process(row.id)
    db.session.refresh(row)
    bucket, prefix = locked_bucket
    key = f"{prefix}/{row.storage_key}"
    retention = seaweed.client.get_object_retention(Bucket=bucket, Key=key)
    assert retention["Retention"]["Mode"] == "COMPLIANCE"
    assert file_store().keys() == [row.storage_key]  # the raw upload, not retained, is gone


def test_the_command_digitizes_what_is_left_pending(dossier, world, runner):
    first = upload(dossier, world.users["po_clerk"], samples.scan())
    second = upload(dossier, world.users["po_clerk"], samples.pdf())
    result = runner.invoke(args=["digitize-pending"])
    assert result.exit_code == 0 and "Đã số hóa 2 tệp; lỗi 0." in result.output
    db.session.expire_all()
    assert {dossier_file(first.id).state, dossier_file(second.id).state} == {"ready"}
    assert "Đã số hóa 0 tệp" in runner.invoke(args=["digitize-pending"]).output
