"""The print pages over HTTP: who may open them, 404s, the Vietnamese layout, the buttons."""

import re

import pytest

from extensions import db
from tests import factories
from tests.print_helpers import (
    at,
    code128_image,
    decode,
    hand_over,
    qr_image,
    received,
    take,
    with_documents,
)


@pytest.fixture
def dossier(world):
    with_documents(world.procedures["publish"], 2)
    world.procedures["publish"].fee = 1_250_000
    db.session.commit()
    return received(world, applicant="Đặng Thị Hương")


def receipt_url(dossier):
    return f"/print/dossiers/{dossier.code}/receipt"


def test_signed_out_goes_to_the_login_page(client, world, dossier):
    batch = hand_over(world, [dossier], at(10, 10))
    order = factories.make_delivery(dossier, world.agencies["po"])
    for url in (
        receipt_url(dossier),
        f"/print/dossiers/{dossier.code}/apology",
        f"/print/handovers/{batch.code}",
        f"/print/delivery-orders/{order.tracking_code}/label",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


def test_receipt_page(client, login_as, dossier):
    login_as("po_clerk")
    response = client.get(receipt_url(dossier))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="vi">' in page
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM",
        "Thái Nguyên, ngày 10 tháng 3 năm 2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        "Đặng Thị Hương",
        "09:30 ngày 10/03/2026",
        "09:30 ngày 24/03/2026",
        "1.250.000 ₫",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Người dùng po_clerk",
    ):
        assert text in page, text
    assert page.count('<tr><td class="center">') == 2  # the two documents handed in
    assert "navbar" not in page and "bootstrap" not in page  # no panel chrome
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from another host
    assert "/static/print.css" in page


def test_barcode_and_qr_on_the_receipt_read_back(app, client, login_as, dossier):
    login_as("po_clerk")
    page = client.get(receipt_url(dossier)).get_data(as_text=True)
    barcode = re.search(r'<svg class="barcode".*?</svg>', page, re.DOTALL).group(0)
    qr = re.search(r'<svg viewBox="[\d ]+" class="qr">.*?</svg>', page, re.DOTALL)
    assert decode(code128_image(barcode)) == [("Code128", dossier.code)]
    lookup = f"/lookup?code={dossier.code}"
    assert decode(qr_image(qr.group(0))) == [("QRCode", app.config["PUBLIC_BASE_URL"] + lookup)]
    assert client.get(lookup).status_code == 200  # the QR leads to the public look-up


def test_always_vietnamese_whatever_the_panel_language(client, login_as, dossier):
    login_as("po_clerk")
    client.post("/language", data={"lang": "en"})
    assert "Dossiers" in client.get("/admin/dossier/").get_data(as_text=True)
    page = client.get(receipt_url(dossier)).get_data(as_text=True)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page and "Receipt" not in page


def test_404_before_the_event(client, login_as, dossier):
    login_as("dept_admin")
    for form in ("supplement", "refusal", "apology", "stop", "control-slip", "other"):
        assert client.get(f"/print/dossiers/{dossier.code}/{form}").status_code == 404, form
    assert client.get("/print/dossiers/000.00.15.H55-260310-9999/receipt").status_code == 404
    for url in (
        "/print/dossiers/%00/receipt",
        "/print/handovers/BG%00",
        "/print/handovers/" + "9" * 99,
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/print/delivery-orders/EB%0012/label").status_code == 404


def test_each_form_once_its_event_happened(client, login_as, world, dossier):
    hand_over(world, [dossier], at(10, 10), at(10, 14))
    take(dossier, "request_supplement", world.users["dept_admin"], at(11, 9), note="Thiếu ảnh 3x4")
    take(dossier, "supplement_received", world.users["po_clerk"], at(12, 9))
    take(dossier, "apologize", world.users["dept_admin"], at(25, 9), note="Chờ xác minh",
         new_due_at=at(31, 9))  # fmt: skip
    take(dossier, "stop", world.users["dept_admin"], at(26, 9), note="Người nộp xin dừng")
    login_as("dept_admin")
    expected = {
        "supplement": ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Thiếu ảnh 3x4"),
        "apology": ("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "09:00 ngày 31/03/2026"),
        "stop": ("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Người nộp xin dừng"),
        "control-slip": ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Đúng hạn"),
    }
    for form, texts in expected.items():
        response = client.get(f"/print/dossiers/{dossier.code}/{form}")
        assert response.status_code == 200, form
        page = response.get_data(as_text=True)
        assert all(text in page for text in texts), form
        assert "Sở Thông tin và Truyền thông" in page
    assert client.get(f"/print/dossiers/{dossier.code}/refusal").status_code == 404


def test_another_agencys_records_answer_404(client, login_as, world, dossier):
    batch = hand_over(world, [dossier], at(10, 10))
    order = factories.make_delivery(dossier, world.agencies["po"])
    urls = (
        receipt_url(dossier),
        f"/print/handovers/{batch.code}",
        f"/print/delivery-orders/{order.tracking_code}/label",
    )
    for user in ("po_clerk2", "dept_admin2"):
        login_as(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    for user in ("po_clerk", "dept_admin", "viewer", "it_admin"):
        login_as(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)


def test_handover_record_page(client, login_as, world, dossier):
    other = received(world, applicant="Vũ Minh Khôi")
    batch = hand_over(world, [dossier, other], at(10, 15), at(11, 8), missing=(other.code,))
    login_as("dept_admin")
    page = client.get(f"/print/handovers/{batch.code}").get_data(as_text=True)
    for text in (
        "BIÊN BẢN BÀN GIAO HỒ SƠ",
        "Hôm nay, vào lúc 15:00 ngày 10/03/2026",
        "Tổng số: <b>2</b> hồ sơ",
        "Bên nhận đã nhận: <b>1</b> hồ sơ; thiếu: <b>1</b> hồ sơ",
        dossier.code,
        other.code,
        "BÊN GIAO",
        "BÊN NHẬN",
    ):
        assert text in page, text
    barcode = re.search(r'<svg class="barcode".*?</svg>', page, re.DOTALL).group(0)
    assert decode(code128_image(barcode)) == [("Code128", batch.code)]
    batch.status = "draft"
    db.session.commit()
    assert client.get(f"/print/handovers/{batch.code}").status_code == 404


def test_delivery_label_page(client, login_as, world, dossier):
    order = factories.make_delivery(dossier, world.agencies["po"])
    order.cod_amount = 1_250_000
    db.session.commit()
    login_as("po_supervisor")
    page = client.get(f"/print/delivery-orders/{order.tracking_code}/label").get_data(as_text=True)
    for text in ("EB123456785VN", "Đặng Thị Hương", "0912345678", dossier.code, "1.250.000 ₫"):
        assert text in page, text
    first = re.search(r'<svg class="barcode".*?</svg>', page, re.DOTALL).group(0)
    assert decode(code128_image(first)) == [("Code128", "EB123456785VN")]
    assert client.get("/print/delivery-orders/EE000000000VN/label").status_code == 404


def test_print_buttons_on_the_dossier_page(client, login_as, world, dossier):
    login_as("po_clerk")
    details = f"/admin/dossier/details/?id={dossier.id}"
    page = client.get(details).get_data(as_text=True)
    assert re.findall(r'data-print-form="([a-z-]+)"', page) == ["receipt"]
    assert "In giấy tiếp nhận và hẹn trả" in page
    assert f'href="{receipt_url(dossier)}"' in page
    client.post(
        f"/admin/dossier/transition/?id={dossier.id}",
        data={"action": "refuse", "note": "Hồ sơ không đúng thủ tục", "version": dossier.version},
    )
    page = client.get(details).get_data(as_text=True)
    assert re.findall(r'data-print-form="([a-z-]+)"', page) == ["refusal"]
    assert re.search(r'btn-primary"\s+href="[^"]+/refusal"', page)  # offered right away


def test_print_buttons_on_the_handover_and_delivery_pages(client, login_as, world, dossier):
    batch = hand_over(world, [dossier], at(10, 10))
    order = factories.make_delivery(dossier, world.agencies["po"])
    login_as("po_clerk")
    page = client.get(f"/admin/handover/details/?id={batch.id}").get_data(as_text=True)
    assert "In biên bản" in page and f"/print/handovers/{batch.code}" in page
    page = client.get(f"/admin/delivery_order/details/?id={order.id}").get_data(as_text=True)
    assert "In nhãn" in page and f"/print/delivery-orders/{order.tracking_code}/label" in page


def test_every_form_of_the_demo_data_prints_or_answers_404(app, client):
    """Seeded dossiers in every status (history written by the seed, not the services):
    each form the dossier's page offers prints, every other one answers 404, none a 500."""
    from sqlalchemy import select

    from demo.seed import DEMO_PASSWORD_DEFAULT, seed_demo
    from models import DeliveryOrder, Dossier, Handover
    from services.printing import dossier_forms
    from views.print import TEMPLATES

    seed_demo()
    client.post("/login", data={"username": "viewer", "password": DEMO_PASSWORD_DEFAULT})
    dossiers = {d.status: d for d in db.session.scalars(select(Dossier).order_by(Dossier.id))}
    assert len(dossiers) == 10  # one of each status at least
    for dossier in dossiers.values():
        offered = set(dossier_forms.available_forms(dossier))
        handed_over = dossier.status not in ("received", "not_accepted", "withdrawn")
        assert ("control-slip" in offered) == handed_over or dossier.status == "withdrawn"
        assert ("receipt" in offered) == (dossier.status != "not_accepted")
        for form in TEMPLATES:
            answer = client.get(f"/print/dossiers/{dossier.code}/{form}").status_code
            assert answer == (200 if form in offered else 404), (dossier.status, form)
    for batch in db.session.scalars(select(Handover).limit(5)):
        assert client.get(f"/print/handovers/{batch.code}").status_code == 200
    for order in db.session.scalars(select(DeliveryOrder).limit(5)):
        assert client.get(f"/print/delivery-orders/{order.tracking_code}/label").status_code == 200


def test_a_move_with_no_batch_in_the_log_still_counts_on_the_control_slip(world, dossier):
    from services.dossiers import workflow
    from services.printing.control_slip import control_slip

    move = workflow.SYSTEM_MOVES["handover_to_department"]
    workflow.move(dossier, "handover_to_department", move, world.users["dept_admin"], now=at(11, 9))
    db.session.commit()
    (row,) = control_slip(dossier).rows
    assert (row.giver_agency, row.receiver_agency) == (
        "Bưu điện tỉnh",
        "Sở Thông tin và Truyền thông",
    )
    assert (row.receiver, row.received_at, row.timeliness) == (
        "Người dùng dept_admin",
        at(11, 9),
        "late",
    )


def test_the_return_slip_with_its_rating_qr(app, client, login_as, world, dossier):
    hand_over(world, [dossier], at(10, 10), at(10, 14))
    take(dossier, "complete", world.users["dept_admin"], at(16, 15))
    hand_over(world, [dossier], at(16, 16), at(17, 8), direction="to_post_office")
    login_as("po_clerk")
    url = f"/print/dossiers/{dossier.code}/return-slip"
    assert client.get(url).status_code == 404  # not returned yet
    take(dossier, "return_at_counter", world.users["po_clerk"], at(18, 10, 5))
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in (
        "PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
        "Thái Nguyên, ngày 18 tháng 3 năm 2026",
        "10:05 ngày 18/03/2026",
        "15/GP-STTTT",
        "Đặng Thị Hương (Chính người nộp hồ sơ)",
        "NGƯỜI TRẢ KẾT QUẢ",
        "Người dùng po_clerk",
    ):
        assert text in page, text
    rating = f"{app.config['PUBLIC_BASE_URL']}/rate/{dossier.code}?key={dossier.rating_key}"
    assert f'<span id="rating-url">{rating}</span>' in page
    qrs = re.findall(r'<svg viewBox="[\d ]+" class="qr">.*?</svg>', page, re.DOTALL)
    assert decode(qr_image(qrs[0])) == [("QRCode", rating)]
    circular = re.search(r'<svg viewBox="[\d ]+" class="qr-circular01">.*?</svg>', page, re.DOTALL)
    text = decode(qr_image(circular.group(0)))[0][1]
    assert dossier.code in text and "PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ" in text
    # The rating page behind it rates the return.
    assert "Trả kết quả" in client.get(f"/rate/{dossier.code}?key={dossier.rating_key}").get_data(
        as_text=True
    )
    details = client.get(f"/admin/dossier/details/?id={dossier.id}").get_data(as_text=True)
    assert "return-slip" in re.findall(r'data-print-form="([a-z-]+)"', details)
    assert re.search(r'btn-primary"\s+href="[^"]+/return-slip"', details)  # offered first
