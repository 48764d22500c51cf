"""In a real browser: dossiers go to the department in a scanned batch, are confirmed with
one missing, and a result comes back to the counter. Screenshots in test-output/."""

from datetime import date

import pytest

from extensions import db
from models import Dossier, Handover
from services.dossiers import workflow
from tests import factories
from tests.conftest import OUTPUT

pytestmark = pytest.mark.browser


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", factories.PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/**")


def shot(page, name, database_url):
    OUTPUT.mkdir(exist_ok=True)
    engine = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    page.screenshot(path=str(OUTPUT / f"handover-{name}-{engine}.png"), full_page=True)


def scan(page, code):
    page.fill("#scan-code", code)
    page.press("#scan-code", "Enter")


@pytest.fixture
def desk(world):
    """Four dossiers at po_clerk's counter and one the department already processes."""
    clerk, publish = world.users["po_clerk"], world.procedures["publish"]
    waiting = [factories.make_dossier(publish, clerk, f"Người nộp {n}") for n in range(4)]
    taken = factories.make_dossier(publish, clerk, "Đã bàn giao")
    factories.confirm_handover(factories.make_handover([taken], clerk), world.users["dept_admin"])
    return waiting, taken


def test_scan_send_confirm_with_one_missing_and_bring_a_result_back(
    app, live_server, page, world, desk, database_url
):
    waiting, taken = desk
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    sign_in(page, live_server, "po_clerk")
    page.click("[data-queue='to_hand_over']")  # the home page's work queue
    page.wait_for_url("**/admin/handover/queue/")
    scan(page, waiting[0].code)
    scan(page, taken.code)  # already processing: refused with its reason
    scan(page, waiting[1].code)
    log = page.locator("#scan-log")
    log.locator("li", has_text="đang xử lý").wait_for()
    assert f"{waiting[0].code}: đã thêm vào lô." in log.inner_text()
    assert f"{waiting[1].code}: đã thêm vào lô." in log.inner_text()
    page.check(f"tr[data-code='{waiting[2].code}'] input.pick")  # one more, ticked by hand
    assert page.locator(".selected-count").first.inner_text() == "3"
    shot(page, "queue", database_url)
    page.click("button.send-batch")
    page.wait_for_url("**/admin/handover/details/**")
    assert "Đã gửi lô BG-" in page.locator(".alert-success").inner_text()
    code = page.locator("#batch-items").inner_text()
    assert waiting[3].code not in code and waiting[0].code in code

    sign_in(page, live_server, "dept_admin")
    page.click("[data-queue='incoming']")
    page.click("#incoming-batches a.btn")
    page.check(f"tr[data-code='{waiting[1].code}'] input.missing-box")
    page.fill(f"tr[data-code='{waiting[1].code}'] input[name^='note-']", "Không có trong túi")
    shot(page, "confirm", database_url)
    questions.clear()
    page.click("#confirm-button")
    page.wait_for_url("**/admin/handover/details/**")
    assert questions and "Có 1 hồ sơ được đánh dấu thiếu" in questions[0]
    shot(page, "details", database_url)
    db.session.expire_all()
    statuses = {d.code: db.session.get(Dossier, d.id).status for d in waiting[:3]}
    assert statuses == {
        waiting[0].code: "processing",
        waiting[1].code: "received",
        waiting[2].code: "processing",
    }

    # Later the department records a result and hands it back from the dossier list.
    result = workflow.Result(number="15/GP", date=date(2026, 3, 12), outcome="granted")
    dossier = db.session.get(Dossier, waiting[0].id)
    workflow.transition(dossier, "complete", world.users["dept_admin"], result=result)
    db.session.commit()
    piece = waiting[0].code.split(".", 2)[2]  # a whole code would open the dossier itself
    page.goto(f"{live_server}/admin/dossier/?search={piece}")
    page.check(f"input.action-checkbox[value='{waiting[0].id}']")
    page.click("a.dropdown-toggle:has-text('Với các dòng đã chọn')")
    page.click("a.dropdown-item:text-is('Bàn giao')")
    page.wait_for_url("**/admin/handover/details/**")
    assert "Đã gửi lô BG-" in page.locator(".alert-success").inner_text()

    sign_in(page, live_server, "po_clerk")
    assert page.locator("[data-queue='incoming'] .queue-count").inner_text() == "1"
    shot(page, "home", database_url)
    page.click("[data-queue='incoming']")
    page.click("#incoming-batches a.btn")
    page.click("#confirm-button")
    page.wait_for_url("**/admin/handover/details/**")
    db.session.expire_all()
    assert db.session.get(Dossier, waiting[0].id).status == "result_at_counter"
    page.goto(f"{live_server}/admin/dossier/details/?id={waiting[0].id}")
    assert page.locator("#dossier-handovers tbody tr").count() == 2
    shot(page, "dossier", database_url)


def test_supervisor_selects_all_then_cancels_the_batch(
    app, live_server, page, world, desk, database_url
):
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, "po_supervisor")
    page.goto(f"{live_server}/admin/handover/queue/")
    page.check("input.select-all")
    assert page.locator(".selected-count").first.inner_text() == "4"
    page.click("button.send-batch")
    page.wait_for_url("**/admin/handover/details/**")
    page.fill("#reason", "Lập nhầm: thiếu chữ ký")
    page.click("#cancel-batch button[type=submit]")
    page.locator(".alert-success", has_text="Đã hủy lô").wait_for()
    db.session.expire_all()
    batch = db.session.query(Handover).filter_by(status="cancelled").one()
    assert batch.cancel_reason == "Lập nhầm: thiếu chữ ký"
    page.goto(f"{live_server}/admin/handover/queue/")
    assert page.locator("input.pick").count() == 4  # the dossiers wait again


def test_the_receiver_scans_the_batch_names_a_stranger_and_confirms(
    app, live_server, page, world, desk, database_url
):
    waiting, taken = desk
    batch = factories.make_handover(waiting[:3], world.users["po_clerk"])
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    sign_in(page, live_server, "dept_admin")
    page.goto(f"{live_server}/admin/handover/confirm/?id={batch.id}")
    scan(page, waiting[0].code)
    scan(page, waiting[2].code.lower())  # a scanner set to lower case still finds it
    scan(page, taken.code)  # a real dossier, but not in this batch
    scan(page, waiting[0].code)
    log = page.locator("#scan-log")
    log.locator("li.scan-stranger").wait_for()
    assert f"Mã {taken.code} không thuộc lô này." in log.locator("li.scan-stranger").inner_text()
    assert f"{waiting[0].code}: có trong lô, đã đánh dấu đã kiểm." in log.inner_text()
    assert f"{waiting[0].code} đã được đánh dấu rồi." in log.inner_text()
    for dossier, ticked in ((waiting[0], True), (waiting[1], False), (waiting[2], True)):
        row = page.locator(f"tr[data-code='{dossier.code}']")
        assert row.locator("input.seen-box").is_checked() is ticked
    assert page.locator(".checked-count").inner_text() == "2"
    # the unscanned one is marked missing: its reason is asked for before anything is sent
    row = page.locator(f"tr[data-code='{waiting[1].code}']")
    row.locator("input.missing-box").check()
    page.click("#confirm-button")
    assert questions == [] and page.url.endswith(f"/admin/handover/confirm/?id={batch.id}")
    row.locator("input[name^='note-']").fill("Không có trong túi hồ sơ")
    shot(page, "confirm-scanned", database_url)
    page.click("#confirm-button")
    page.wait_for_url("**/admin/handover/details/**")
    assert questions and "Có 1 hồ sơ được đánh dấu thiếu" in questions[0]
    db.session.expire_all()
    assert db.session.get(Handover, batch.id).status == "confirmed"
    statuses = [db.session.get(Dossier, d.id).status for d in waiting[:3]]
    assert statuses == ["processing", "received", "processing"]
