"""Days are typed and shown dd/mm/yyyy on every screen, whatever the browser's language:
list filters, action forms, the calculator, the procedure's date fields."""

from datetime import date, datetime

import pytest

from extensions import db
from models import Dossier
from models.catalog import ExtraFieldDefinition
from services.calendar import LOCAL_TZ
from tests import factories


@pytest.fixture
def two(world):
    clerk, procedure = world.users["po_clerk"], world.procedures["publish"]
    march = factories.make_dossier(
        procedure, clerk, received_at=datetime(2026, 3, 10, 9, 30, tzinfo=LOCAL_TZ)
    )
    april = factories.make_dossier(
        procedure, clerk, received_at=datetime(2026, 4, 2, 9, 30, tzinfo=LOCAL_TZ)
    )
    db.session.commit()
    return march, april


def _list(client, query: str) -> str:
    response = client.get(f"/admin/dossier/?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    [
        "flt0_received_at_on_the_day=10/03/2026",
        "flt0_received_at_until_the_day=31/03/2026",
        "flt0_received_at_between_the_days=01/03/2026+to+31/03/2026",
        "flt0_received_at_between_the_days=2026-03-01+to+2026-03-31",  # older links still work
    ],
)
def test_list_filters_take_days_typed_dd_mm_yyyy(client, login_as, two, query):
    march, april = two
    login_as("po_supervisor")
    page = _list(client, query)
    assert march.code in page and april.code not in page


def test_a_day_that_is_not_one_is_ignored_not_misread(client, login_as, two):
    march, april = two
    login_as("po_supervisor")
    page = _list(client, "flt0_received_at_on_the_day=31/02/2026")
    assert march.code in page and april.code in page  # the filter is dropped, as Flask-Admin does


def test_action_forms_take_days_typed_dd_mm_yyyy(client, login_as, two):
    march, _ = two
    march.status = "processing"
    db.session.commit()
    login_as("dept_admin")
    page = client.get(f"/admin/dossier/details/?id={march.id}").get_data(as_text=True)
    field = page[page.index('id="result_date"') - 100 : page.index('id="result_date"') + 300]
    assert 'type="date"' not in field and 'placeholder="dd/mm/yyyy"' in field
    response = client.post(
        f"/admin/dossier/transition/?id={march.id}",
        data={
            "action": "complete",
            "version": march.version,
            "result_number": "15/GP-STTTT",
            "result_date": "20/03/2026",
            "result_outcome": "granted",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dossier, march.id).result_date == date(2026, 3, 20)


def test_the_calculator_takes_a_day_typed_dd_mm_yyyy(client, login_as, world):
    login_as("it_admin")
    page = client.get("/admin/holiday/calculator/?start_date=13/02/2026&start_time=15:30&days=1")
    text = page.get_data(as_text=True)
    assert "23/02/2026 08:00" in text and "24/02/2026 08:00" in text
    assert 'type="date"' not in text and 'type="time"' not in text


def test_no_page_asks_for_a_day_in_the_browsers_format(client, login_as, two):
    march, _ = two
    march.status = "processing"
    db.session.commit()
    login_as("po_supervisor")
    for url in (f"/admin/dossier/details/?id={march.id}", "/admin/report/", "/admin/dossier/"):
        text = client.get(url).get_data(as_text=True)
        assert 'type="date"' not in text and 'type="datetime-local"' not in text, url


def test_procedure_date_fields_are_shown_dd_mm_yyyy(client, login_as, world):
    procedure = world.procedures["publish"]
    procedure.extra_fields.append(
        ExtraFieldDefinition(key="ngay_cap", label="Ngày cấp phép", field_type="date")
    )
    dossier = factories.make_dossier(procedure, world.users["po_clerk"])
    dossier.extra_data = {"ngay_cap": "2026-02-05"}
    db.session.commit()
    login_as("po_supervisor")
    page = client.get(f"/admin/dossier/details/?id={dossier.id}").get_data(as_text=True)
    assert "Ngày cấp phép</b>: 05/02/2026" in page
    assert "2026-02-05" not in page
