"""The receipt form's ID card scan route (issue 19, item 7): gated like receiving itself."""

import pytest

from vietnam.addresses import province_name, ward_name

HOA = (
    "019192012345|091234567|Lê Thị Hoa|15081992|Nữ|"
    "Tổ 5, Phường Phan Đình Phùng, Thái Nguyên|01022022"
)


def test_the_receipt_form_has_the_scan_field(client, login_as, world):
    login_as("po_clerk")
    page = client.get("/admin/dossier/new/").get_data(as_text=True)
    assert 'id="cccd-qr"' in page and "Quét mã QR trên thẻ CCCD" in page
    assert 'name="cccd' not in page  # the card's text is never posted with the receipt


def test_a_card_fills_name_id_and_address(client, login_as, world):
    login_as("po_clerk")
    answer = client.post("/admin/dossier/cccd/", json={"text": HOA}).get_json()
    assert answer["ok"] is True and answer["notes"] == []
    fields = answer["fields"]
    assert fields["applicant_name"] == "Lê Thị Hoa"
    assert fields["applicant_id_number"] == "019192012345"
    assert fields["applicant_street"] == "Tổ 5"
    province, ward = int(fields["applicant_province_code"]), int(fields["applicant_ward_code"])
    assert province_name(province) == "Thái Nguyên"
    assert ward_name(province, ward) == "Phường Phan Đình Phùng"
    assert "sinh ngày 15/08/1992" in answer["summary"]


def test_a_card_that_disagrees_with_itself_fills_nothing(client, login_as, world):
    login_as("po_clerk")
    answer = client.post("/admin/dossier/cccd/", json={"text": HOA.replace("|Nữ|", "|Nam|")})
    body = answer.get_json()
    assert body["ok"] is False and "fields" not in body
    assert "chưa điền gì" in body["message"]
    assert any("ứng với giới tính Nữ, nhưng thẻ ghi Nam" in m for m in body["mismatches"])


@pytest.mark.parametrize("text", ["", "không phải mã QR", None, 12])
def test_what_is_not_a_card_is_answered_not_a_500(client, login_as, world, text):
    login_as("po_clerk")
    response = client.post("/admin/dossier/cccd/", json={"text": text})
    assert response.status_code in (200, 400)
    assert response.get_json()["ok"] is False and response.get_json()["message"]


@pytest.mark.parametrize("username", ["viewer", "dept_admin", "it_admin"])
def test_only_who_may_receive_reads_cards(client, login_as, world, username):
    login_as(username)
    assert client.post("/admin/dossier/cccd/", json={"text": HOA}).status_code == 403


def test_signed_out_nobody_reads_cards(client, world):
    response = client.post("/admin/dossier/cccd/", json={"text": HOA})
    assert response.status_code in (302, 401, 403)
    assert "Lê Thị Hoa" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("username", "shown"),
    [("po_clerk", True), ("po_supervisor", True), ("dept_admin", False), ("viewer", False)],
)
def test_the_home_page_offers_receiving_to_who_may_receive(
    client, login_as, world, username, shown
):
    login_as(username)
    page = client.get("/admin/").get_data(as_text=True)
    assert ('id="receive-dossier"' in page) is shown
    if shown:
        assert 'href="/admin/dossier/new/"' in page and "Tiếp nhận hồ sơ" in page
