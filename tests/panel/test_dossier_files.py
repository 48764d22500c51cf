"""The dossier page's digitized files and the receipt form's reuse offer, through the panel."""

import io

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Dossier, DossierFile
from services.digitization.storage import store as file_store
from tests import digitization as samples
from tests import factories
from tests.digitization import certificates, signed_file_store  # noqa: F401
from tests.panel.test_receive_form import _form

DOC = "Đơn đề nghị"


@pytest.fixture
def app_config(app_config, certificates, tmp_path):  # noqa: F811
    return signed_file_store(app_config, certificates, tmp_path)


@pytest.fixture
def dossier(app, world):
    yield factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    factories.run_workers()


def post_file(client, dossier, data, name="scan.jpg", **form):
    return client.post(
        f"/admin/dossier/files/upload/?id={dossier.id}",
        data={"document": DOC, "kind": "document", "file": (io.BytesIO(data), name), **form},
        content_type="multipart/form-data",
    )


def test_the_clerk_uploads_and_sees_the_pages(app, client, login_as, dossier):
    login_as("po_clerk")
    page = client.get(f"/admin/dossier/details/?id={dossier.id}").get_data(as_text=True)
    assert 'id="dossier-files"' in page and "Chưa có tệp số hóa nào." in page
    response = post_file(client, dossier, samples.pdf(2), "don.pdf", originality="original")
    assert response.status_code == 302 and response.location.endswith("#dossier-files")
    factories.run_workers()
    page = client.get(f"/admin/dossier/details/?id={dossier.id}").get_data(as_text=True)
    assert "2 trang" in page and "đã ký số" in page and "Bản chính" in page
    row = db.session.scalar(select(DossierFile))
    opened = client.get(f"/admin/dossier/files/{row.id}?inline=1")
    assert opened.status_code == 200 and opened.mimetype == "application/pdf"
    assert opened.headers["Content-Disposition"].startswith("inline; filename=")


def test_a_refused_upload_is_explained_and_stores_nothing(client, login_as, dossier):
    login_as("po_clerk")
    response = post_file(client, dossier, samples.exe(), "scan.pdf")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF" in page
    assert db.session.scalar(select(func.count(DossierFile.id))) == 0
    assert file_store().keys() == []


def test_another_agency_gets_404_for_the_file_and_the_upload(app, client, login_as, dossier):
    login_as("po_clerk")
    post_file(client, dossier, samples.pdf())
    factories.run_workers()
    file_id = db.session.scalar(select(DossierFile.id))
    for username in ("po_clerk2", "dept_admin2"):
        login_as(username)
        assert client.get(f"/admin/dossier/files/{file_id}").status_code == 404
        assert post_file(client, dossier, samples.pdf()).status_code == 404
    login_as("viewer")
    assert client.get(f"/admin/dossier/files/{file_id}").status_code == 200
    assert post_file(client, dossier, samples.pdf()).status_code == 403
    assert db.session.scalar(select(func.count(DossierFile.id))) == 1


def test_the_next_receipt_offers_and_reuses_the_document(app, client, login_as, dossier, world):
    login_as("po_clerk")
    post_file(client, dossier, samples.scan())
    factories.run_workers()
    procedure = world.procedures["publish"]
    offers = client.get(
        f"/admin/dossier/reuse-offers/?procedure={procedure.id}"
        f"&id_number={dossier.applicant_id_number}"
    ).get_json()
    [offer] = offers["items"]
    assert offer["document"] == DOC and offer["pages"] == 1
    assert offers["labels"]["reuse"] == "Dùng lại"
    other = client.get(f"/admin/dossier/reuse-offers/?procedure={procedure.id}&id_number=0791")
    assert other.get_json()["items"] == []

    holder = dossier.applicant_id_number
    form = _form(procedure, applicant_id_number=holder, return_method="counter")
    form = {k: v for k, v in form.items() if not k.startswith("extra_")}
    response = client.post("/admin/dossier/new/", data=form | {"reuse_file_ids": offer["file_id"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    new = db.session.scalar(select(Dossier).order_by(Dossier.id.desc()))
    [copy] = db.session.scalars(select(DossierFile).where(DossierFile.dossier_id == new.id)).all()
    assert copy.reused and copy.state == "ready"
    page = client.get(f"/admin/dossier/details/?id={new.id}").get_data(as_text=True)
    assert "dùng lại" in page


def test_the_receipt_form_takes_a_scan_per_document(app, client, login_as, world):
    login_as("po_clerk")
    procedure = world.procedures["publish"]
    form = {k: v for k, v in _form(procedure, return_method="counter").items()}
    form = {k: v for k, v in form.items() if not k.startswith("extra_")}
    refused = client.post(
        "/admin/dossier/new/",
        data=form | {"scan_0": (io.BytesIO(samples.exe()), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 200
    assert "Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Dossier.id))) == 0
    assert db.session.scalar(select(func.count(DossierFile.id))) == 0
    assert file_store().keys() == []

    big = 3 * 1024 * 1024  # over the 2 MB of other forms, under the upload limit
    scan = samples.pdf(1) + b"\n%" + b"0" * big
    response = client.post(
        "/admin/dossier/new/",
        data=form | {"scan_0": (io.BytesIO(scan), "don.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    factories.run_workers()
    [row] = db.session.scalars(select(DossierFile)).all()
    db.session.refresh(row)
    assert row.document == DOC and row.state == "ready" and row.pages == 1 and row.signed
