"""In Chromium: the clerk scans two documents, the next receipt of the same applicant reuses
them with one click each, the department attaches its signed result, and the printed
receipt carries the Circular 01 QR code in its top-left corner."""

import json
import time

import pytest

from extensions import db
from models import Dossier, DossierFile
from tests import digitization as samples
from tests import factories
from tests.browser.test_print_browser import page_image, to_pdf
from tests.browser_watch import Watch
from tests.digitization import certificates, signed_file_store  # noqa: F401
from tests.print_helpers import decode, with_documents

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config, certificates, tmp_path):  # noqa: F811
    return signed_file_store(app_config, certificates, tmp_path)


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", factories.PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/")


def upload(page, document, name, mime, data, kind=None):
    if kind:
        page.select_option("#file-kind", kind)
    if document:
        page.select_option("#file-document", label=document)
    page.set_input_files("#file-input", {"name": name, "mimeType": mime, "buffer": data})
    with page.expect_navigation():
        page.click("#file-submit")


ID_NUMBER = "019201012345"


def receive(page, live_server, id_number, offers=0):
    """Open the receipt form, pick the procedure, fill the applicant (ID last)."""
    page.goto(f"{live_server}/admin/dossier/new/")
    page.click(".select2-container >> nth=0")
    page.keyboard.type("1.004477")
    page.wait_for_selector(".select2-result-label")
    page.keyboard.press("Enter")
    page.wait_for_selector("#documents-checklist input[type=checkbox]")
    for box in page.locator("#documents-checklist input[type=checkbox]").all():
        box.check()
    page.fill("#applicant_name", "Nguyễn Văn Thuận")
    page.fill("#applicant_phone", "0912345678")
    page.fill("#applicant_street", "Số 5 đường Phan Đình Phùng")
    page.wait_for_selector("#applicant_ward_code option >> nth=1", state="attached")
    page.select_option("#applicant_ward_code", index=1, force=True)  # under select2's dress
    page.fill("#applicant_id_number", id_number)
    if offers:
        page.wait_for_selector(f"#reuse-offers .reuse-offer >> nth={offers - 1}")


def save(page):
    with page.expect_navigation():
        page.click("input[type=submit][value='Lưu']")
    assert "/admin/dossier/details/" in page.url, page.inner_text("body")[:2000]


def wait_ready(app, page, count):
    """Let the background jobs finish, then reload until COUNT files show as ready."""
    factories.run_workers()
    for _ in range(20):
        page.reload()
        if page.locator("#file-list li[data-state=ready]").count() == count:
            return
        time.sleep(0.3)
    raise AssertionError(page.inner_text("#dossier-files"))


def test_scan_reuse_result_and_the_qr_in_the_corner(
    app,
    world,
    live_server,
    page,
    database_url,
    certificates,  # noqa: F811
):
    watch = Watch(page, live_server)
    first_name, second_name = with_documents(world.procedures["publish"], 2)
    sign_in(page, live_server, "po_clerk")

    # The receipt: a JPEG scan of the first document, a PDF of the second.
    receive(page, live_server, ID_NUMBER)
    page.set_input_files("#scan-0", {"name": "don.jpg", "mimeType": "image/jpeg",
                                     "buffer": samples.scan()})  # fmt: skip
    page.set_input_files("#scan-1", {"name": "bang-ke.pdf", "mimeType": "application/pdf",
                                     "buffer": samples.pdf(3)})  # fmt: skip
    watch.check_page()  # the receipt form, its scan inputs labelled
    save(page)
    dossier = db.session.query(Dossier).order_by(Dossier.id.desc()).first()
    wait_ready(app, page, 2)
    files = page.inner_text("#file-list")
    assert "1 trang" in files and "3 trang" in files and "đã ký số" in files
    watch.check_page()  # the dossier page with its files card
    # A better copy of the first document, scanned later on the dossier page.
    upload(page, first_name, "don-ban-chinh.png", "image/png", samples.scan(fmt="PNG"))
    assert "Đã đính kèm tệp" in page.content()
    wait_ready(app, page, 3)

    # The next dossier of the same applicant: typing the ID offers both, one click each.
    receive(page, live_server, ID_NUMBER, offers=2)
    for button in page.locator("#reuse-offers .reuse-offer button").all():
        button.click()
    assert page.locator("#reuse-offers button:disabled").count() == 2
    assert page.locator("#documents-checklist input:checked").count() == 2
    save(page)
    assert page.locator("#file-list .file-reused").count() == 2
    db.session.expire_all()
    later = db.session.query(Dossier).order_by(Dossier.id.desc()).first()
    assert later.id != dossier.id
    reused = db.session.query(DossierFile).filter_by(dossier_id=later.id).all()
    assert len(reused) == 2 and all(f.reused for f in reused)
    assert {f.document for f in reused} == {first_name, second_name}

    # The department attaches its signed result to the first dossier.
    sign_in(page, live_server, "dept_admin")
    page.goto(f"{live_server}/admin/dossier/details/?id={dossier.id}")
    upload(page, None, "ket-qua.pdf", "application/pdf", samples.signed_pdf(certificates), "result")
    assert "Kết quả điện tử" in page.inner_text("#file-list")

    # The printed receipt: the Circular 01 QR sits in the top-left corner of the paper.
    sign_in(page, live_server, "po_clerk")
    page.goto(f"{live_server}/print/dossiers/{dossier.code}/receipt")
    page.evaluate("document.fonts.ready.then(() => true)")
    pdf = to_pdf(page, "receipt-circular01-qr", database_url)
    image = page_image(pdf, dpi=300)
    width, height = image.size
    corner = image.crop((0, 0, width // 4, height // 8))
    found = [text for kind, text in decode(corner) if kind == "QRCode"]
    assert len(found) == 1, found
    assert json.loads(found[0]) == {
        "MaHoSo": dossier.code,
        "MaTTHC": "1.004477",
        "SoGiayToChuHoSo": dossier.applicant_id_number,
        "TenGiayTo": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    }
    assert watch.take() == []
