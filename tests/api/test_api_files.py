"""The files API: upload per document, list, stream in scope only; reuse at receipt."""

import hashlib
import io

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, Dossier, DossierFile
from services.digitization.storage import store as file_store
from tests import digitization as samples
from tests import factories
from tests.api.test_api import RECEIPT, Api, assert_error, get_token
from tests.digitization import certificates, signed_file_store  # noqa: F401

DOC = "Đơn đề nghị"


@pytest.fixture
def app_config(app_config, certificates, tmp_path):  # noqa: F811
    return signed_file_store(app_config, certificates, tmp_path)


@pytest.fixture
def api_as(app, world):
    yield lambda username: Api(app.test_client(), get_token(app.test_client(), username))
    factories.run_workers()  # no job outlives the test's tables


@pytest.fixture
def dossier(world):
    return factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])


def send(api, code, data, name="scan.jpg", document=DOC, **form):
    body = {"document": document, "file": (io.BytesIO(data), name), **form}
    return api.client.post(
        f"/api/v1/dossiers/{code}/files",
        data=body,
        headers=api.headers,
        content_type="multipart/form-data",
    )


def nothing_stored():
    assert db.session.scalar(select(func.count(DossierFile.id))) == 0
    assert file_store().keys() == []


def test_upload_list_and_stream(app, api_as, dossier):
    clerk = api_as("po_clerk")
    first = send(clerk, dossier.code, samples.scan(), "scan.jpg")
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["state"] == "pending" and first.get_json()["document"] == DOC
    assert send(clerk, dossier.code, samples.pdf(2), "don.pdf").status_code == 201
    factories.run_workers()

    items = clerk.get(f"/dossiers/{dossier.code}/files").get_json()["items"]
    assert [(i["pages"], i["signed"], i["reused"], i["state"]) for i in items] == [
        (1, True, False, "ready"),
        (2, True, False, "ready"),
    ]
    assert set(items[0]) >= {"id", "document", "pages", "sha256", "size", "created_at"}
    assert items[0]["created_at"].endswith("+07:00")

    response = clerk.get(f"/files/{items[1]['id']}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{dossier.code}-{items[1]["id"]}.pdf"'
    )
    assert hashlib.sha256(response.data).hexdigest() == items[1]["sha256"]
    assert len(response.data) == items[1]["size"]
    downloads = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "file_download")
    ).all()
    assert [(d.entity, d.entity_id, d.actor_username) for d in downloads] == [
        ("dossier", str(dossier.id), "po_clerk")
    ]


def test_another_agencys_file_is_404_by_id_and_by_dossier(app, api_as, dossier):
    clerk = api_as("po_clerk")
    file_id = send(clerk, dossier.code, samples.pdf()).get_json()["id"]
    factories.run_workers()
    for username in ("po_clerk2", "dept_admin2"):
        other = api_as(username)
        assert_error(other.get(f"/files/{file_id}"), 404)
        assert_error(other.get(f"/dossiers/{dossier.code}/files"), 404)
        assert_error(send(other, dossier.code, samples.pdf()), 404)
    for username in ("dept_admin", "viewer", "it_admin", "po_supervisor"):
        assert api_as(username).get(f"/files/{file_id}").status_code == 200
    assert_error(clerk.get("/files/99999"), 404)
    assert_error(clerk.get("/files/abc"), 404)
    assert_error(clerk.get("/files/1%00"), 404)
    assert db.session.scalar(select(func.count(DossierFile.id))) == 1


def test_roles_that_may_not_attach_are_refused(api_as, dossier):
    for username in ("viewer", "it_admin"):
        assert_error(send(api_as(username), dossier.code, samples.pdf()), 403)
    nothing_stored()


@pytest.mark.parametrize(
    ("make", "name", "field"),
    [
        (samples.exe, "scan.pdf", "file"),
        (samples.pixel_bomb, "to.png", "file"),
        (lambda: b"%PDF-1.7\n" + b"\x00" * (1024 * 1024 + 10), "lon.pdf", "file"),
        (lambda: b"%PDF-1.7\n" + b"\x00" * (3 * 1024 * 1024), "rat-lon.pdf", "file"),
    ],
    ids=["exe-renamed-pdf", "pixel-bomb", "just-over-the-limit", "far-over-the-limit"],
)
def test_refusals_answer_422_and_store_nothing(app, api_as, dossier, make, name, field):
    app.config["UPLOAD_MAX_MB"] = 1
    assert_error(send(api_as("po_clerk"), dossier.code, make(), name), 422, fields=(field,))
    nothing_stored()


def test_a_document_of_another_procedure_or_no_file_is_422(api_as, dossier):
    clerk = api_as("po_clerk")
    assert_error(send(clerk, dossier.code, samples.pdf(), document="Giấy khác"), 422)
    response = clerk.client.post(
        f"/api/v1/dossiers/{dossier.code}/files", data={"document": DOC}, headers=clerk.headers
    )
    assert_error(response, 422, fields=("file",))
    nothing_stored()


def test_the_department_attaches_a_signed_result(api_as, dossier, certificates):  # noqa: F811
    dept = api_as("dept_admin")
    signed = samples.signed_pdf(certificates)
    tampered = send(dept, dossier.code, samples.tampered(signed), "kq.pdf", kind="result")
    assert_error(tampered, 422, fields=("file",))
    nothing_stored()
    response = send(dept, dossier.code, signed, "kq.pdf", kind="result")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["state"] == "ready" and response.get_json()["signed"]
    assert_error(send(api_as("po_clerk"), dossier.code, signed, "kq.pdf", kind="result"), 403)


def test_a_receipt_reuses_the_applicants_valid_files(app, api_as, dossier):
    clerk = api_as("po_clerk")
    file_id = send(clerk, dossier.code, samples.scan()).get_json()["id"]
    factories.run_workers()
    refused = clerk.post("/dossiers", json=RECEIPT | {"reuse_file_ids": [file_id + 100]})
    assert_error(refused, 422, fields=("reuse_file_ids",))
    assert_error(clerk.post("/dossiers", json=RECEIPT | {"reuse_file_ids": ["1"]}), 400)
    assert db.session.scalar(select(func.count(Dossier.id))) == 1  # nothing half-written
    receipt = RECEIPT | {"applicant_id_number": dossier.applicant_id_number}
    created = clerk.post("/dossiers", json=receipt | {"reuse_file_ids": [file_id]})
    assert created.status_code == 201, created.get_json()
    items = clerk.get(f"/dossiers/{created.get_json()['code']}/files").get_json()["items"]
    assert [(i["document"], i["reused"], i["state"]) for i in items] == [(DOC, True, "ready")]
    assert clerk.get(f"/files/{items[0]['id']}").status_code == 200


def test_the_citizens_look_up_never_shows_files(app, api_as, dossier, client):
    clerk = api_as("po_clerk")
    send(clerk, dossier.code, samples.pdf())
    factories.run_workers()
    public = client.get(f"/api/v1/public/dossiers/{dossier.code}").get_json()
    assert "files" not in public and "sha256" not in str(public)
    page = client.get(f"/lookup?code={dossier.code}").get_data(as_text=True)
    assert dossier.code in page and "/files/" not in page and ".pdf" not in page
