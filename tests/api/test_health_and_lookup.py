"""Public pages: the health check and the citizen's dossier look-up."""

from tests import factories
from tests.conftest import make_config


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    from app import create_app

    url = f"sqlite:///{tmp_path / 'missing-dir' / 'app.db'}"
    app = create_app(make_config(url))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] != "ok"


def test_lookup_shows_status_and_appointment_but_nothing_personal(client, world):
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], applicant="Nguyễn Văn Thuận"
    )
    page = client.get(f"/lookup?code={dossier.code.lower()}").get_data(as_text=True)
    assert dossier.code in page
    assert "Đã tiếp nhận" in page
    assert "24/03/2026 09:30" in page
    assert "Nguyễn Văn Thuận" not in page
    assert dossier.applicant_phone not in page


def test_lookup_of_an_unknown_code_says_so(client, world):
    page = client.get("/lookup?code=NOPE-1").get_data(as_text=True)
    assert "Không có hồ sơ nào mang mã này." in page


def test_lookup_page_is_rate_limited(app, client, world):
    app.config["PUBLIC_LOOKUP_RATE_LIMIT"] = "2 per minute"
    statuses = [client.get("/lookup?code=X").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
