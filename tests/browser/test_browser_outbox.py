"""In Chromium: IT staff find a row the portal refused on «Đồng bộ và gửi tin», send it again
with a reason, and the dossier's page then says it is synced."""

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, OutboxMessage
from models.base import utcnow
from services.integration import workers
from tests import factories, fake_portal
from tests.browser_watch import Watch
from tests.conftest import OUTPUT

pytestmark = pytest.mark.browser


@pytest.fixture
def portal():
    server = fake_portal.FakePortal().start()
    yield server
    server.stop()


@pytest.fixture
def app_config(portal):
    return {
        "PORTAL_URL": portal.url,
        "PORTAL_UNIT_CODE": fake_portal.UNIT,
        "PORTAL_USERNAME": fake_portal.USERNAME,
        "PORTAL_PASSWORD": fake_portal.PASSWORD,
        "PORTAL_TIMEOUT_SECONDS": 2,
    }


def sign_in(page, live_server, username):
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", factories.PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/**")


def test_a_dead_row_is_retried_and_the_dossier_synced(app, live_server, page, world, portal):
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], received_at=utcnow()
    )
    portal.refused.add(dossier.code)
    workers.deliver_due()
    row_id = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.status == "dead"))
    assert row_id is not None
    portal.refused.clear()  # the portal's side was mended

    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    watch = Watch(page, live_server)
    sign_in(page, live_server, "it_admin")
    page.goto(f"{live_server}/admin/outbox/")
    watch.check_page()
    row = page.locator(f"#outbox-row-{row_id}")
    row.wait_for()
    assert dossier.code in row.inner_text() and "400" in row.inner_text()
    assert page.locator("#sink-portal .count-dead").inner_text() == "1"
    page.fill(f"#reason-{row_id}", "Cổng đã sửa dữ liệu")
    row.locator(".retry-button").click()
    page.wait_for_url("**/admin/outbox/?status=dead")
    page.locator(".alert-success").wait_for()
    assert questions == [f"Gửi lại tin #{row_id}?"]
    assert page.locator(f"#outbox-row-{row_id}").count() == 0
    watch.check_page()

    workers.deliver_due()  # the app's loop or a worker would, in production
    assert dossier.code in portal.dossiers
    page.goto(f"{live_server}/admin/outbox/?status=done")
    page.locator(f"#outbox-row-{row_id}").wait_for()
    page.click(f"#outbox-row-{row_id} a")  # the dossier's code
    page.wait_for_url("**/admin/dossier/details/**")
    assert "Đã đồng bộ" in page.locator("#portal-sync").inner_text()
    watch.check_page()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "outbox-dossier-synced.png"), full_page=True)
    assert watch.take() == []
    db.session.expire_all()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "outbox_retry")).one()
    assert "Cổng đã sửa dữ liệu" in entry.summary
