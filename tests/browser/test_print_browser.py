"""Printing in a real browser: Chromium's PDF of each form, read back as text and pixels.

The "In" buttons of the dossier, handover and delivery pages are clicked; each form
is printed with its own @page size; pdftotext (poppler-utils) reads the PDF's text,
pdftoppm renders it to PNG (saved under test-output/ to be looked at) and zxing-cpp
reads the barcodes off that picture as a scanner would.
"""

import shutil
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from tests import factories
from tests.conftest import OUTPUT
from tests.print_helpers import at, decode, hand_over, received, take, with_documents

pytestmark = pytest.mark.browser
A4_POINTS = (595.28, 841.89)  # 210 × 297 mm; Chromium rounds to whole CSS pixels


def sign_in(page, live_server, username):
    page.goto(f"{live_server}/login")
    page.fill("#username", username)
    page.fill("#password", factories.PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/admin/")


def open_print(page, selector):
    """Click the print button SELECTOR (it opens a new tab) and wait for fonts."""
    with page.context.expect_page() as opened:
        page.click(selector)
    sheet = opened.value
    sheet.wait_for_load_state()
    sheet.evaluate("document.fonts.ready.then(() => true)")
    return sheet


def poppler(tool: str, *args: str, data: bytes | None = None) -> bytes:
    """Run a poppler-utils TOOL (Debian's package; .ci/run installs it) and return its output."""
    path = shutil.which(tool)
    assert path, f"{tool} is missing: apt-get install poppler-utils"
    return subprocess.run([path, *args], input=data, capture_output=True, check=True).stdout  # noqa: S603


def to_pdf(sheet, name, database_url) -> bytes:
    """The PDF Chromium prints (page size from the CSS), saved with its PNG pages."""
    pdf = sheet.pdf(prefer_css_page_size=True, print_background=True)
    OUTPUT.mkdir(exist_ok=True)
    engine = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    path = OUTPUT / f"print-{name}-{engine}.pdf"
    path.write_bytes(pdf)
    poppler("pdftoppm", "-png", "-r", "110", str(path), str(path.with_suffix("")))
    return pdf


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext keeps the reading order; pages split on form feeds)."""
    return poppler("pdftotext", "-layout", "-", "-", data=pdf).decode("utf-8").split("\f")[:-1]


def pdf_fonts(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "form.pdf"
        source.write_bytes(pdf)
        return poppler("pdffonts", str(source)).decode()


def page_image(pdf: bytes, number: int = 1, dpi: int = 200) -> Image.Image:
    """Page NUMBER of PDF rendered by pdftoppm at DPI, as a scanner would see the paper."""
    with tempfile.TemporaryDirectory() as tmp:
        source, root = Path(tmp) / "form.pdf", Path(tmp) / "page"
        source.write_bytes(pdf)
        pages = ("-f", str(number), "-l", str(number), "-singlefile")
        poppler("pdftoppm", "-png", "-r", str(dpi), *pages, str(source), str(root))
        return Image.open(root.with_suffix(".png")).copy()


def sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size, A4_POINTS when within half a millimetre of A4."""

    def named(width, height):
        close = abs(width - A4_POINTS[0]) < 1.5 and abs(height - A4_POINTS[1]) < 1.5
        return A4_POINTS if close else (width, height)

    return [
        named(float(p.mediabox.width), float(p.mediabox.height))
        for p in PdfReader(BytesIO(pdf)).pages
    ]


def test_receipt_with_ten_documents_prints_on_one_a4_page(
    app, world, live_server, page, database_url
):
    with_documents(world.procedures["publish"], 10)
    world.procedures["publish"].fee = 1_250_000
    dossier = received(world, applicant="Nguyễn Thị Thanh Hương", applicant_email="huong@mail.vn")
    sign_in(page, live_server, "po_clerk")
    page.goto(f"{live_server}/admin/dossier/details/?id={dossier.id}")
    sheet = open_print(page, "[data-print-form=receipt]")
    assert sheet.url.endswith(f"/print/dossiers/{dossier.code}/receipt")
    assert sheet.evaluate("document.fonts.check('13pt Tinos', 'Độc lập - Tự do - Hạnh phúc')")
    sheet.screenshot(path=str(OUTPUT / "print-receipt-on-screen.png"))
    pdf = to_pdf(sheet, "receipt-10-documents", database_url)

    assert sizes(pdf) == [A4_POINTS]  # exactly one A4 page
    (text,) = pdf_text(pdf)
    assert dossier.code in text and "Nguyễn Thị Thanh Hương" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Giấy tờ số 10" in text and "1.250.000 ₫" in text
    assert "Tinos" in pdf_fonts(pdf)  # the app's own font, embedded
    read = decode(page_image(pdf))  # as a scanner reads the paper
    found = dict(read)
    assert found["Code128"] == dossier.code
    qr_codes = {value for kind, value in read if kind == "QRCode"}
    base = app.config["PUBLIC_BASE_URL"]
    assert f"{base}/lookup?code={dossier.code}" in qr_codes
    assert f"{base}/rate/{dossier.code}?key={dossier.rating_key}" in qr_codes  # the rating

    sheet.evaluate("window.print = () => { window.printed = true; }")
    sheet.click("#print-button")
    assert sheet.evaluate("window.printed") is True


def test_handover_of_sixty_dossiers_prints_every_code_on_numbered_pages(
    app, world, live_server, page, database_url
):
    dossiers = [
        received(world, applicant=f"Người nộp số {n}", when=at(10, 8, n % 60)) for n in range(60)
    ]
    batch = hand_over(world, dossiers, at(10, 16))
    sign_in(page, live_server, "po_clerk")
    page.goto(f"{live_server}/admin/handover/details/?id={batch.id}")
    pdf = to_pdf(open_print(page, "#print-handover"), "handover", database_url)

    pages = pdf_text(pdf)
    assert len(pages) >= 2 and set(sizes(pdf)) == {A4_POINTS}
    for number, text in enumerate(pages, start=1):
        assert f"Trang {number}/{len(pages)}" in text
    every = "\n".join(pages)
    assert all(d.code in every for d in dossiers)
    assert "Tổng số: 60 hồ sơ" in every
    assert dict(decode(page_image(pdf)))["Code128"] == batch.code


def test_every_dossier_form_prints_from_its_button(app, world, live_server, page, database_url):
    dossier = received(world, applicant="Hoàng Văn Đức")
    hand_over(world, [dossier], at(10, 10), at(10, 14))
    dept = world.users["dept_admin"]
    take(dossier, "request_supplement", dept, at(11, 9), note="Bổ sung bản sao giấy phép cũ")
    take(dossier, "supplement_received", world.users["po_clerk"], at(12, 9))
    take(dossier, "apologize", dept, at(25, 9), note="Chờ ý kiến thẩm định", new_due_at=at(31, 9))
    take(dossier, "stop", dept, at(26, 9), note="Người nộp đề nghị dừng giải quyết")
    sign_in(page, live_server, "dept_admin")
    page.goto(f"{live_server}/admin/dossier/details/?id={dossier.id}")
    forms = page.locator("[data-print-form]").evaluate_all(
        "links => links.map(a => a.dataset.printForm)"
    )
    assert forms == ["stop", "receipt", "supplement", "apology", "control-slip"]
    page.locator("#dossier-print").screenshot(path=str(OUTPUT / "dossier-print-buttons.png"))
    expected = {
        "receipt": "GIẤY TIẾP NHẬN HỒ SƠ",
        "supplement": "Bổ sung bản sao giấy phép cũ",
        "apology": "Chờ ý kiến thẩm định",
        "stop": "Người nộp đề nghị dừng giải quyết",
        "control-slip": "Đúng hạn",
    }
    for form in forms:
        pdf = to_pdf(open_print(page, f"[data-print-form={form}]"), form, database_url)
        pages = pdf_text(pdf)
        assert len(pages) == 1 and sizes(pdf) == [A4_POINTS], form
        assert dossier.code in pages[0] and expected[form] in pages[0], form


def test_delivery_label_prints_from_its_button(app, world, live_server, page, database_url):
    dossier = received(world, applicant="Phạm Thị Lan")
    order = factories.make_delivery(dossier, world.agencies["po"])
    sign_in(page, live_server, "po_clerk")
    page.goto(f"{live_server}/admin/delivery_order/details/?id={order.id}")
    pdf = to_pdf(open_print(page, "#print-label"), "label", database_url)
    (text,) = pdf_text(pdf)
    assert "EB123456785VN" in text and "Phạm Thị Lan" in text and dossier.code in text
    codes = {text for _format, text in decode(page_image(pdf, dpi=300))}
    assert {"EB123456785VN", dossier.code} <= codes
