"""In a real browser: a clerk ships a result from its dossier's page, the postal system's
events arrive through the API, the dossier is returned and the look-up shows the parcel."""

import json
import urllib.request
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from extensions import db
from models.base import utcnow
from services.calendar import LOCAL_TZ
from tests import factories
from tests.conftest import OUTPUT
from vietnam.addresses import wards

pytestmark = pytest.mark.browser


def _post(url, body, token=None):
    request = urllib.request.Request(  # noqa: S310 (the local live server)
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310 (the local live server)
        return json.loads(answer.read())


def _shot(page, database_url, name):
    OUTPUT.mkdir(exist_ok=True)
    engine = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    page.screenshot(path=str(OUTPUT / f"deliveries-{name}-{engine}.png"), full_page=True)


def test_a_result_goes_by_post_and_comes_home(app, world, live_server, page, database_url):
    factories.make_rates()
    dossier = factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        "Hoàng Thị Duyên",
        return_method="post",
        applicant_province_code=19,
        applicant_ward_code=wards(19)[5][0],
        applicant_street="Số 12 đường Lương Ngọc Quyến",
    )
    dossier.status = "result_at_counter"
    db.session.commit()
    code = dossier.code

    page.goto(f"{live_server}/login")
    page.fill("#username", "po_clerk")
    page.fill("#password", factories.PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.goto(f"{live_server}/admin/dossier/details/?id={dossier.id}")
    page.click("#ship-by-post")
    page.wait_for_url("**/admin/delivery_order/new/**")
    assert page.input_value("#recipient_name") == "Hoàng Thị Duyên"
    assert page.input_value("#recipient_street") == "Số 12 đường Lương Ngọc Quyến"
    page.fill("#tracking_code", "EB123456785VN")
    page.fill("#weight_grams", "300")
    expect(page.locator("#postage")).to_have_value("31000")  # from the price list
    _shot(page, database_url, "ship-form")
    page.click("input[type=submit][value='Lưu']")
    page.wait_for_url("**/admin/delivery_order/details/**")

    page.select_option("#event-status", "accepted")
    page.fill("#event-note", "Bưu cục Thái Nguyên đã nhận")
    page.click("#record-event button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "Bưu cục đã nhận" in page.locator("#delivery-timeline").inner_text()

    token = _post(
        f"{live_server}/api/v1/auth/token",
        {"username": "po_clerk", "password": factories.PASSWORD},
    )["token"]
    start = utcnow()
    statuses = ("in_transit", "out_for_delivery", "delivered")
    events = [
        {
            "tracking_code": "EB123456785VN",
            "status": status,
            "at": (start + timedelta(seconds=i + 1)).astimezone(LOCAL_TZ).isoformat(),
            "note": "Người nhận đã ký" if status == "delivered" else None,
        }
        for i, status in enumerate(statuses)
    ]
    answer = _post(f"{live_server}/api/v1/delivery-events", {"events": events}, token)
    assert [r["result"] for r in answer["results"]] == ["applied"] * 3

    page.reload()
    assert "Phát thành công" in page.locator("#delivery-timeline").inner_text()
    _shot(page, database_url, "order")
    page.goto(f"{live_server}/admin/dossier/details/?id={dossier.id}")
    assert "Đã trả kết quả" in page.locator("table").first.inner_text()
    assert "EB123456785VN" in page.locator("#dossier-deliveries").inner_text()
    _shot(page, database_url, "dossier")

    page.goto(f"{live_server}/admin/delivery_order/")
    _shot(page, database_url, "list")
    page.goto(f"{live_server}/admin/postage_rate/")
    assert "Mỗi 500 g tiếp theo" in page.locator("table.model-list").inner_text()
    _shot(page, database_url, "price-list")
    page.goto(f"{live_server}/lookup")
    page.fill("#code", code)
    page.get_by_role("button", name="Tra cứu").click()
    assert page.locator("#parcel-code").inner_text() == "EB123456785VN"
    assert "Phát thành công" in page.locator("#parcel-status").inner_text()
    _shot(page, database_url, "lookup")
