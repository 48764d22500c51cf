"""Addresses a client could forge: the receipt's look-up link and QR code come from
PUBLIC_BASE_URL, never the request's Host header; a refused bulk action goes back to a page
of this site, never to the Referer's or the form's other host."""

import re

import pytest

from extensions import db
from tests.factories import PASSWORD
from tests.print_helpers import decode, qr_image, received, with_documents

PUBLIC = "https://motcua.thainguyen.gov.vn"


@pytest.mark.parametrize("app_config", [{"PUBLIC_BASE_URL": PUBLIC + "/"}])
def test_the_receipt_links_to_the_public_address_whatever_the_host_header(
    client, world, app_config
):
    with_documents(world.procedures["publish"], 1)
    db.session.commit()
    dossier = received(world, applicant="Đặng Thị Hương")
    forged = "http://evil.example"  # the Host header a client sent
    client.post("/login", data={"username": "po_clerk", "password": PASSWORD}, base_url=forged)
    response = client.get(f"/print/dossiers/{dossier.code}/receipt", base_url=forged)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    expected = f"{PUBLIC}/lookup?code={dossier.code}"
    assert expected in page and "evil.example" not in page
    qr = re.search(r'<svg viewBox="[\d ]+" class="qr">.*?</svg>', page, re.DOTALL)
    assert decode(qr_image(qr.group(0))) == [("QRCode", expected)]


def test_a_refused_handover_action_goes_back_to_this_site_only(client, login_as, world):
    login_as("po_clerk")
    response = client.post(
        "/admin/dossier/action/",
        data={"action": "handover", "rowid": ["999999"]},
        headers={"Referer": "https://evil.example/phish?x=1"},
    )
    assert response.status_code == 302
    assert response.location.startswith("/") and not response.location.startswith("//")
    assert "evil.example" not in response.location


def test_a_refused_handover_action_keeps_the_list_it_came_from(client, login_as, world):
    login_as("po_clerk")
    response = client.post(
        "/admin/dossier/action/",
        data={"action": "handover", "rowid": ["999999"]},
        headers={"Referer": "http://localhost/admin/dossier/?flt0_0=received"},
    )
    assert response.location == "/admin/dossier/?flt0_0=received"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_a_bulk_action_never_follows_a_url_to_another_host(client, login_as, world, target):
    login_as("po_clerk")
    response = client.post(
        "/admin/dossier/action/",
        data={"action": "handover", "rowid": ["999999"], "url": target},
        headers={"Host": "evil.example"},
    )
    assert response.status_code in (302, 400)
    assert "evil.example" not in (response.location or "")
