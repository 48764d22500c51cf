"""Formula injection through every export: text a user typed that a spreadsheet would run
(=, +, -, @, tab, CR in front) stays text in every column of every list's CSV and XLSX,
relation columns (agency, creator, dossier, roles) included, and in the report books."""

import csv
import io
import re

import openpyxl
import pytest

from extensions import db
from services import audit
from tests import factories
from tests.print_helpers import at, hand_over

EVIL_AGENCY = "=cmd|' /C calc'!A0"
EVIL_NAME = '+1+HYPERLINK("http://evil")'
EVIL_RECIPIENT = "-2+3"
EVIL_SUMMARY = "@SUM(A1:A9)"
STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_LITERAL = re.compile(r'="\+?\d{6,}"')  # the CSV's long digits kept as text


@pytest.fixture
def poisoned(world):
    """Text a user could type, in rows every export shows directly or through a relation."""
    world.agencies["po"].name = EVIL_AGENCY
    world.users["po_clerk"].full_name = EVIL_NAME
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    hand_over(world, [dossier], at(10, 10))
    order = factories.make_delivery(dossier, world.agencies["po"])
    order.recipient_name = EVIL_RECIPIENT
    audit.record("edit", "dossier", dossier.id, summary=EVIL_SUMMARY)
    db.session.commit()


def _csv_cells(body: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]


def _xlsx_cells(body: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(body))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula at all
    return [c.value for c in cells]


def _runnable(cells, csv_file: bool) -> list[str]:
    return [
        c
        for c in cells
        if isinstance(c, str)
        and c.startswith(STARTS)
        and not (csv_file and TEXT_LITERAL.fullmatch(c))
    ]


@pytest.mark.parametrize(
    ("user", "path", "evil"),
    [
        ("po_supervisor", "/admin/handover/export/{}/", EVIL_AGENCY),  # from_agency
        ("po_supervisor", "/admin/handover/export/{}/", EVIL_NAME),  # created_by
        ("po_supervisor", "/admin/delivery_order/export/{}/", EVIL_AGENCY),  # post_office
        ("po_supervisor", "/admin/delivery_order/export/{}/", EVIL_RECIPIENT),
        ("it_admin", "/admin/user/export/{}/", EVIL_AGENCY),  # agency
        ("it_admin", "/admin/user/export/{}/", EVIL_NAME),
        ("it_admin", "/admin/audit_log/export/{}/", EVIL_SUMMARY),
    ],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_no_export_cell_is_a_formula(client, login_as, poisoned, user, path, evil, kind):
    login_as(user)
    response = client.get(path.format(kind))
    assert response.status_code == 200
    body = response.get_data()
    cells = _csv_cells(body) if kind == "csv" else _xlsx_cells(body)
    assert not _runnable(cells, kind == "csv")
    assert any(isinstance(c, str) and evil in c for c in cells), (evil, cells)


def test_the_tracking_book_keeps_formula_shaped_text_as_text(client, login_as, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    dossier.applicant_name = EVIL_NAME
    db.session.commit()
    login_as("po_supervisor")
    day = dossier.received_at.date().isoformat()
    response = client.get(f"/admin/report/tracking-book.xlsx?from={day}&to={day}")
    assert response.status_code == 200
    cells = _xlsx_cells(response.get_data())
    assert not _runnable(cells, False)
    assert "'" + EVIL_NAME in cells
