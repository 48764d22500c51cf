"""Fewer clicks with dossier codes (issue 19, item 7): any case, an exact code opens the dossier."""

import pytest

from tests import factories


@pytest.fixture
def received(world):
    clerk = world.users["po_clerk"]
    return [
        factories.make_dossier(world.procedures["publish"], clerk, f"Người {n}") for n in range(2)
    ]


@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_a_search_for_one_whole_code_opens_that_dossier(client, login_as, received, case):
    login_as("po_clerk")
    response = client.get("/admin/dossier/", query_string={"search": f" {case(received[1].code)} "})
    assert response.status_code == 302
    assert response.location.endswith(f"/admin/dossier/details/?id={received[1].id}")


def test_the_start_of_a_code_or_a_name_still_lists(client, login_as, received):
    login_as("po_clerk")
    prefix = received[0].code.rsplit("-", 1)[0].lower()
    page = client.get("/admin/dossier/", query_string={"search": prefix})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert received[0].code in text and received[1].code in text
    assert client.get("/admin/dossier/", query_string={"search": "Người 1"}).status_code == 200


def test_a_code_outside_the_scope_opens_nothing(client, login_as, received):
    login_as("po_clerk2")  # another post office: the dossier must not even be hinted at
    response = client.get("/admin/dossier/", query_string={"search": received[0].code})
    assert response.status_code == 200
    assert f"details/?id={received[0].id}" not in response.get_data(as_text=True)


def test_the_scanner_accepts_a_lower_case_code(client, login_as, received):
    login_as("po_clerk")
    answer = client.get(f"/admin/handover/scan/?code={received[1].code.lower()}").get_json()
    assert answer == {"ok": True, "id": received[1].id, "code": received[1].code}


def test_the_public_lookup_accepts_a_lower_case_code(client, received):
    page = client.get("/lookup", query_string={"code": received[0].code.lower()})
    assert received[0].code in page.get_data(as_text=True)
    api = client.get(f"/api/v1/public/dossiers/{received[0].code.lower()}")
    assert api.status_code == 200 and api.get_json()["code"] == received[0].code
