"""In Chromium: EMS reports a status code nobody mapped; IT staff add it to the mapping,
then «Áp dụng lại» the call from the inbox (confirmed), and the parcel moves."""

import hashlib
import hmac
import json
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import CarrierWebhook, DeliveryOrder
from models.base import utcnow
from services.calendar import LOCAL_TZ
from services.delivery.carriers import ensure_default_mapping
from tests import factories
from tests.browser.test_browser_clicks import assert_clean
from tests.browser_watch import Watch

pytestmark = pytest.mark.browser
SECRET = "bí-mật-trình-duyệt-0123456789"


@pytest.fixture
def app_config():
    return {"CARRIER_WEBHOOK_SECRET_EMS": SECRET}


def _call(live_server, transaction, code, name, hours_ago):
    when = (utcnow() - timedelta(hours=hours_ago)).astimezone(LOCAL_TZ)
    raw = json.dumps(
        {
            "tracking_code": "EB123456785VN",
            "order_code": "DH0001",
            "status_code": code,
            "status_name": name,
            "note": "",
            "locate": "Bưu cục Thái Nguyên",
            "datetime": when.strftime("%d/%m/%Y %H:%M:%S"),
        },
        ensure_ascii=False,
    ).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    request = urllib.request.Request(  # noqa: S310 (the local live server)
        f"{live_server}/api/v1/tracking/webhooks/ems",
        data=raw,
        headers={"Content-Type": "application/json", "ems-transaction": transaction,
                 "X-Signature": signature},
    )  # fmt: skip
    with urllib.request.urlopen(request) as answer:  # noqa: S310 (the local live server)
        return json.loads(answer.read())


def test_it_maps_a_new_code_and_applies_the_waiting_call_again(app, world, live_server, page):
    ensure_default_mapping()
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], return_method="post"
    )
    order = factories.ship_result(dossier, world.users["po_clerk"])
    assert _call(live_server, "EMS-1", "100", "Chấp nhận", 50)["code"] == "success"
    assert _call(live_server, "EMS-2", "888", "Hàng chờ chuyến thư", 40)["code"] == "success"
    factories.run_workers()  # the outbox workers apply what the calls stored
    row = db.session.scalar(select(CarrierWebhook).where(CarrierWebhook.transaction_id == "EMS-2"))
    assert row.state == "unapplied"

    page.on("dialog", lambda dialog: dialog.accept())
    watch = Watch(page, live_server)
    page.goto(f"{live_server}/login")
    page.fill("#username", "it_admin")
    page.fill("#password", factories.PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/")
    page.goto(f"{live_server}/admin/outbox/")  # the integration screen counts it, and links
    assert "1" in page.locator("#carrier-waiting strong").inner_text()
    page.locator("#carrier-waiting a").click()
    page.wait_for_url(f"{live_server}/admin/carrier_webhook/")
    assert "chưa có trong bảng ánh xạ" in page.content()
    page.goto(f"{live_server}/admin/carrier_status/new/")
    page.select_option("#carrier", "ems", force=True)  # behind select2
    page.fill("#code", "888")
    page.select_option("#status", "in_transit", force=True)
    page.fill("#note", "Hàng chờ chuyến thư")
    page.click("input[type=submit][value='Lưu']")
    page.wait_for_selector(".alert-success")

    page.goto(f"{live_server}/admin/carrier_webhook/")
    page.check(f"input.action-checkbox[value='{row.id}']")
    page.click("text=Với các dòng đã chọn")
    page.click("[data-model-action=reapply]")  # confirmed by the dialog handler
    page.wait_for_selector(".alert-success")
    assert "Đã áp dụng 1 lần gọi" in page.locator(".alert-success").inner_text()
    db.session.expire_all()
    assert db.session.get(CarrierWebhook, row.id).state == "applied"
    assert db.session.get(DeliveryOrder, order.id).status == "in_transit"
    assert_clean(page, watch)
