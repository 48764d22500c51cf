"""In Chromium: the clerk ticks SMS and email at receipt, the department asks for a supplement,
the message reaches the fake SMS gateway and the SMTP server and shows on the dossier's
messages page; IT staff edit a template, with the live 160-character count and the preview
in Vietnamese, and the server refusing an accented SMS."""

import pytest
from sqlalchemy import select

from extensions import db
from models import Dossier, NotificationTemplate
from services.integration.notify import templates
from tests import factories
from tests.browser.test_browser_outbox import sign_in
from tests.browser_watch import Watch
from tests.conftest import OUTPUT
from tests.fake_gateways import SMS_PASSWORD, SMS_USER

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(sms, smtp):
    return {
        "SMS_GATEWAY_URL": sms.url,
        "SMS_USERNAME": SMS_USER,
        "SMS_PASSWORD": SMS_PASSWORD,
        "SMTP_URL": smtp.url,
        "NOTIFY_TIMEOUT_SECONDS": 5,
    }


def choose_return_method(page, label: str) -> None:
    """Through Select2's own widget, as the clerk does."""
    page.click("#s2id_return_method")
    page.locator(".select2-drop-active .select2-result-label", has_text=label).click()


def receive_with_sms_and_email(page, live_server, watch):
    page.goto(f"{live_server}/admin/dossier/new/")
    page.click(".select2-container >> nth=0")
    page.keyboard.type("1.004477")
    page.wait_for_selector(".select2-result-label")
    page.keyboard.press("Enter")
    page.wait_for_selector("#documents-checklist input[type=checkbox]")
    page.check("#documents-checklist input[type=checkbox] >> nth=0")
    page.fill("#applicant_name", "Lường Thị Mai")
    page.fill("#applicant_phone", "0912345678")
    page.fill("#applicant_email", "mai.luong@mail.vn")
    assert page.is_checked("input[name=notify][value=email]")  # an address: email offered
    assert not page.is_checked("input[name=notify][value=sms]")
    choose_return_method(page, "Qua bưu chính")  # by post: SMS offered
    assert page.is_checked("input[name=notify][value=sms]")
    choose_return_method(page, "Tại quầy")
    assert not page.is_checked("input[name=notify][value=sms]")
    page.check("input[name=notify][value=sms]")  # the clerk's own tick stays
    choose_return_method(page, "Qua bưu chính")
    choose_return_method(page, "Tại quầy")
    assert page.is_checked("input[name=notify][value=sms]")
    assert not page.is_checked("input[name=notify][value=zalo]")
    watch.check_page()
    page.click("input[type=submit][value='Lưu']")
    page.wait_for_url("**/admin/dossier/details/**")
    db.session.expire_all()
    return db.session.scalars(select(Dossier)).one()


def test_messages_at_receipt_and_supplement_then_a_template_edited(
    app, live_server, page, world, sms, smtp
):
    templates.ensure_defaults()
    db.session.commit()
    watch = Watch(page, live_server)
    sign_in(page, live_server, "po_clerk")
    dossier = receive_with_sms_and_email(page, live_server, watch)
    assert dossier.notify_channels == ["sms", "email"]
    link = page.locator("#dossier-messages-link")
    assert "Tin nhắn SMS, Thư điện tử" in link.inner_text()
    factories.run_workers()  # the app's loop or a worker would, in production
    assert len(sms.received) == 1 and len(smtp.messages) == 1

    handover = factories.make_handover([dossier], world.users["po_clerk"])
    factories.confirm_handover(handover, world.users["dept_admin"])
    page.context.clear_cookies()
    sign_in(page, live_server, "dept_admin")
    page.goto(f"{live_server}/admin/dossier/details/?id={dossier.id}")
    page.click("button[data-target='#form-request_supplement']")
    form = page.locator("#form-request_supplement.show")  # opened, its animation over
    form.wait_for()
    page.fill("#note-request_supplement", "Thiếu bản sao giấy phép cũ")
    form.locator("button[type=submit]").click()
    page.locator(".alert-success").wait_for()
    watch.check_page()
    factories.run_workers()
    assert len(sms.received) == 2
    assert f"Ho so {dossier.code} can bo sung" in sms.received[1]["message"]
    assert len(smtp.messages) == 2 and "cần bổ sung" in str(smtp.messages[1][1]["Subject"])

    page.click("#dossier-messages-link")
    page.wait_for_url("**/admin/dossier/messages/**")
    rows = page.locator("#dossier-messages .message-row")
    assert rows.count() == 4
    assert "Yêu cầu bổ sung" in rows.nth(0).inner_text()
    assert "09xxxxx678" in page.locator("#dossier-messages").inner_text()
    assert "m***@mail.vn" in page.locator("#dossier-messages").inner_text()
    page.uncheck("#consent-email")
    page.fill("#consent-reason", "Người nộp không dùng thư điện tử nữa")
    page.click("#consent-save")
    page.locator(".alert-success").wait_for()
    assert "Người nộp nhận tin qua: Tin nhắn SMS." in page.locator(".alert-success").inner_text()
    watch.check_page()

    page.context.clear_cookies()
    sign_in(page, live_server, "it_admin")
    page.goto(f"{live_server}/admin/outbox/")
    page.select_option("#filter-channel", "sms")
    page.click("#messages-show")
    page.wait_for_url("**channel=sms**")
    assert page.locator("#message-rows tbody tr").count() == 2
    watch.check_page()

    template_id = db.session.scalar(
        select(NotificationTemplate.id).where(
            NotificationTemplate.event == "supplement_requested",
            NotificationTemplate.channel == "sms",
        )
    )
    page.goto(f"{live_server}/admin/notification_template/edit/?id={template_id}")
    counter = page.locator("#sms-counter")
    assert "/160 ký tự" in counter.inner_text()
    page.fill("#body", "Hồ sơ {ma_ho_so} cần bổ sung")
    assert "Ký tự không gửi được qua SMS:" in counter.inner_text()
    assert "ồ" in counter.inner_text() and "text-danger" in counter.get_attribute("class")
    page.fill("#body", "Ho so {ma_ho_so} " + "x" * 130)
    assert counter.inner_text().startswith("167/160 ký tự")
    assert "text-danger" in counter.get_attribute("class")
    page.fill("#body", "Ho so {ma_ho_so} can bo sung. LH {sdt_trung_tam}")
    assert "text-danger" not in counter.get_attribute("class")
    page.click("#preview-button")
    preview = page.locator("#preview-text")
    preview.filter(has_text="000.00.15.H55-260305-0012").wait_for()
    assert preview.inner_text() == "Ho so 000.00.15.H55-260305-0012 can bo sung. LH 02083856789"
    page.fill("#body", "Hồ sơ {ma_ho_so} cần bổ sung")
    page.click("#preview-button")
    page.locator("#preview-problems").filter(has_text="không dấu").wait_for()
    page.evaluate("document.querySelector('form.admin-form').noValidate = true")
    page.click("input[type=submit][value='Lưu']")
    page.locator(".alert-danger").filter(has_text="không dấu").wait_for()
    page.fill("#body", "Ho so {ma_ho_so} can bo sung giay to. LH {sdt_trung_tam}")
    page.click("input[type=submit][value='Lưu']")
    page.locator(".alert-success").wait_for()
    watch.check_page()
    db.session.expire_all()
    saved = db.session.get(NotificationTemplate, template_id)
    assert saved.body == "Ho so {ma_ho_so} can bo sung giay to. LH {sdt_trung_tam}"
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "notification-template.png"), full_page=True)
    assert watch.take() == []
