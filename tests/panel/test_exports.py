"""Exports open correctly in Excel on Windows: CSV with a BOM and IDs as text, XLSX text cells;
every format formula-safe."""

import io

import openpyxl
import pytest

from extensions import db
from models import Dossier
from tests import factories


@pytest.fixture
def dossier(world):
    d = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    d.applicant_name = '=HYPERLINK("http://evil","x")'
    d.applicant_id_number = "019301004567"
    d.applicant_phone = "0983123456"
    db.session.commit()
    return d


def test_csv_has_a_bom_and_keeps_ids_and_phones_as_text(client, login_as, dossier):
    login_as("po_clerk")
    response = client.get("/admin/dossier/export/csv/")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "Mã hồ sơ" in text.splitlines()[0]
    assert '"=""0983123456"""' in text  # Excel shows 0983123456, not 983123456
    assert "'=HYPERLINK" in text


def test_xlsx_has_text_cells_and_no_formula(client, login_as, dossier):
    login_as("po_clerk")
    response = client.get("/admin/dossier/export/xlsx/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    rows = list(book.active.iter_rows(values_only=True))
    assert "Mã hồ sơ" in rows[0]
    cells = [c for row in rows[1:] for c in row]
    assert "0983123456" in cells  # a text cell: the leading zero is kept
    assert not any(isinstance(c, str) and c.startswith("=") for c in cells)
    assert any(isinstance(c, str) and c.startswith("'=HYPERLINK") for c in cells)
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)
    assert db.session.get(Dossier, dossier.id) is not None
