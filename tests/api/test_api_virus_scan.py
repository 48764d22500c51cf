"""Uploads (the API's, the receipt form's) pass clamd when CLAMD_URL is set: a real TCP
stand-in on 127.0.0.1 (tests/clamd.py) answers as clamd does. A virus is refused by name;
clamd down, slow, hanging up or in error refuses the upload too ("không kiểm tra được
virus"): nothing is ever kept unscanned."""

import io
import socket
import struct
import time

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Dossier
from tests import digitization as samples
from tests.api.test_api import assert_error
from tests.api.test_api_files import DOC, api_as, dossier, nothing_stored, send  # noqa: F401
from tests.clamd import EICAR, clamd, free_port  # noqa: F401
from tests.digitization import certificates, signed_file_store  # noqa: F401
from tests.panel.test_receive_form import _form


@pytest.fixture
def app_config(app_config, certificates, tmp_path):  # noqa: F811
    return signed_file_store(app_config, certificates, tmp_path)


def eicar_pdf() -> bytes:
    """A valid PDF (it passes the door's type checks) carrying the EICAR test string."""
    return samples.pdf(pages=1) + b"\n%" + EICAR + b"\n"


def test_an_infected_upload_is_refused_by_name_and_nothing_is_stored(app, api_as, dossier, clamd):  # noqa: F811
    app.config["CLAMD_URL"] = clamd.url
    error = assert_error(send(api_as("po_clerk"), dossier.code, eicar_pdf(), "don.pdf"), 422)
    assert error["message"] == "Tệp nhiễm mã độc (Eicar-Test-Signature); không lưu."
    assert error["fields"] == {"file": error["message"]}
    assert clamd.commands == [b"nINSTREAM"] and clamd.scanned == [len(eicar_pdf())]
    nothing_stored()


def test_a_clean_upload_is_scanned_then_stored(app, api_as, dossier, clamd):  # noqa: F811
    app.config["CLAMD_URL"] = clamd.url
    data = samples.pdf(pages=2)
    response = send(api_as("po_clerk"), dossier.code, data, "don.pdf")
    assert response.status_code == 201, response.get_json()
    assert clamd.scanned == [len(data)]  # every byte went through the scanner


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("down", "không kết nối được máy quét"),
        ("slow", "máy quét không trả lời kịp"),
        ("hang_up", "máy quét không trả lời kết quả"),
        ("error", "máy quét không trả lời kết quả"),
        ("too_long", "máy quét báo lỗi"),
    ],
)
def test_no_verdict_means_no_file(app, api_as, dossier, clamd, mode, reason):  # noqa: F811
    """clamd unreachable, past the time-out, closing without a verdict, answering an error or
    refusing the stream's size: the upload is refused with why, never kept unscanned."""
    app.config.update(CLAMD_URL=clamd.url, CLAMD_TIMEOUT_S=0.5)
    if mode == "down":
        app.config["CLAMD_URL"] = f"tcp://127.0.0.1:{free_port()}"
    elif mode == "too_long":
        clamd.max_stream = 1000
    else:
        clamd.mode = mode
    start = time.monotonic()
    error = assert_error(send(api_as("po_clerk"), dossier.code, samples.pdf(), "don.pdf"), 422)
    assert time.monotonic() - start < 4  # the clerk is not kept waiting on a slow scanner
    assert error["message"] == (
        f"Không kiểm tra được virus ({reason}); tệp chưa được lưu, hãy thử lại sau."
    )
    assert error["fields"] == {"file": "Chưa quét được virus."}
    nothing_stored()


def test_the_stand_in_speaks_clamds_nul_terminated_commands_too(clamd):  # noqa: F811
    """zPING and zINSTREAM, as clamd's manual recommends, answer NUL-terminated."""

    def talk(payload: bytes) -> bytes:
        with socket.create_connection(clamd.server_address, timeout=5) as conn:
            conn.sendall(payload)
            return conn.makefile("rb").read()

    assert talk(b"zPING\0") == b"PONG\0"
    chunk = struct.pack("!L", len(EICAR)) + EICAR + struct.pack("!L", 0)
    assert talk(b"zINSTREAM\0" + chunk) == b"stream: Eicar-Test-Signature FOUND\0"
    clean = struct.pack("!L", 3) + b"abc" + struct.pack("!L", 0)
    assert talk(b"nINSTREAM\n" + clean) == b"stream: OK\n"


@pytest.mark.parametrize("down", [False, True], ids=["infected", "clamd-down"])
def test_the_receipt_form_refuses_an_unscanned_or_infected_scan(
    app,
    client,
    login_as,
    world,
    clamd,  # noqa: F811
    down,
):
    """At the counter: the receipt is not made, its scan not kept, and the form says why."""
    app.config["CLAMD_URL"] = f"tcp://127.0.0.1:{free_port()}" if down else clamd.url
    login_as("po_clerk")
    form = {
        k: v
        for k, v in _form(world.procedures["publish"], return_method="counter").items()
        if not k.startswith("extra_")
    }
    response = client.post(
        "/admin/dossier/new/",
        data=form | {"scan_0": (io.BytesIO(eicar_pdf()), "don.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    expected = (
        "Không kiểm tra được virus (không kết nối được máy quét)"
        if down
        else "Tệp nhiễm mã độc (Eicar-Test-Signature); không lưu."
    )
    assert f"{DOC}: {expected}" in page
    assert db.session.scalar(select(func.count(Dossier.id))) == 0
    nothing_stored()
