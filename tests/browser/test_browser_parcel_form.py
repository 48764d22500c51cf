"""In a real browser, the parcel's event form: nothing pre-selected, a refused event keeps
what was typed and the correction records, and "delivered" asks before it is recorded."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from extensions import db
from models import DeliveryOrder
from models.base import utcnow
from services.calendar import LOCAL_TZ
from tests import factories

pytestmark = pytest.mark.browser


def _ago(hours: float) -> str:
    return (utcnow() - timedelta(hours=hours)).astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M:%S")


def _record(page, status, hours_ago, note=""):
    page.select_option("#event-status", status)
    page.fill("#event-at", _ago(hours_ago))
    page.fill("#event-note", note)
    page.click("#record-event button[type=submit]")


def test_a_refused_event_is_corrected_and_delivering_asks_first(world, live_server, page):
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], return_method="post"
    )
    order_id = factories.ship_result(dossier, world.users["po_clerk"]).id

    page.goto(f"{live_server}/login")
    page.fill("#username", "po_clerk")
    page.fill("#password", factories.PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.goto(f"{live_server}/admin/delivery_order/details/?id={order_id}")
    expect(page.locator("#event-status")).to_have_value("")
    assert page.locator("#event-status option").first.inner_text() == "Chọn trạng thái"

    _record(page, "accepted", 6)
    expect(page.locator(".alert-success")).to_contain_text("Bưu cục đã nhận")
    _record(page, "out_for_delivery", 5)  # straight to the postman, as the feed may
    expect(page.locator(".alert-success")).to_contain_text("Đang phát")

    typed = _ago(4)
    page.select_option("#event-status", "failed")
    page.fill("#event-at", typed)
    page.click("#record-event button[type=submit]")  # no reason given: refused
    expect(page.locator(".alert-danger")).to_contain_text("vui lòng ghi rõ lý do")
    expect(page.locator("#event-status")).to_have_value("failed")
    expect(page.locator("#event-at")).to_have_value(typed)
    page.fill("#event-note", "Vắng nhà, đã gọi điện hẹn lại")
    page.click("#record-event button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("Phát không thành công")
    expect(page.locator("#delivery-timeline")).to_contain_text("Vắng nhà, đã gọi điện hẹn lại")

    _record(page, "out_for_delivery", 3)
    expect(page.locator(".alert-success")).to_contain_text("Đang phát")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    _record(page, "delivered", 2, "Chị Hoa ký nhận")
    assert "Đây là bước cuối" in questions[0]
    db.session.expire_all()
    assert db.session.get(DeliveryOrder, order_id).status == "out_for_delivery"
    expect(page.locator("#event-note")).to_have_value("Chị Hoa ký nhận")  # nothing lost

    page.once("dialog", lambda dialog: answer(dialog, True))
    page.click("#record-event button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("Phát thành công")
    db.session.expire_all()
    order = db.session.get(DeliveryOrder, order_id)
    assert order.status == "delivered" and order.failure_reason is None
    assert page.locator("#record-event").count() == 0  # final: nothing more to record
