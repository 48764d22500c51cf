"""The dossier's details page as a clerk meets it: no empty blocks, the paused clock, and a
refused action that keeps what was typed."""

from datetime import date, datetime

import pytest

from extensions import db
from models import Handover
from services.calendar import LOCAL_TZ
from tests import factories
from tests.services.test_return_collector import result_at_counter


@pytest.fixture
def dossier(world):
    d = factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        received_at=datetime(2026, 3, 10, 9, 30, tzinfo=LOCAL_TZ),
    )
    d.status = "processing"
    db.session.commit()
    return d


def _details(client, dossier):
    return client.get(f"/admin/dossier/details/?id={dossier.id}").get_data(as_text=True)


def test_no_result_rows_before_a_result_then_the_result(client, login_as, dossier):
    login_as("viewer")  # no action form (which has the same labels) on the page
    assert "Số văn bản kết quả" not in _details(client, dossier)
    dossier.result_number, dossier.result_date = "15/GP-STTTT", date(2026, 3, 20)
    dossier.result_outcome, dossier.status = "granted", "result_ready"
    db.session.commit()
    page = _details(client, dossier)
    assert "Số văn bản kết quả" in page and "15/GP-STTTT" in page


def test_a_paused_clock_is_said_while_waiting_for_a_supplement(client, login_as, dossier):
    login_as("po_clerk")
    assert 'id="clock-paused"' not in _details(client, dossier)
    dossier.status = "supplement_requested"
    db.session.commit()
    page = _details(client, dossier)
    assert 'id="clock-paused"' in page and "thời hạn giải quyết tạm dừng" in page


def test_a_refused_action_keeps_what_was_typed(client, login_as, dossier):
    login_as("dept_admin")
    response = client.post(
        f"/admin/dossier/transition/?id={dossier.id}",
        data={
            "action": "complete",
            "version": dossier.version,
            "result_number": "",  # missing: the service refuses
            "result_date": "2026-03-20",
            "result_outcome": "refused",
            "result_summary": "Hồ sơ không đủ điều kiện cấp phép",
        },
    )
    page = client.get(response.location).get_data(as_text=True)
    assert 'class="alert alert-danger' in page or "alert-error" in page
    assert 'class="collapse show' in page  # the form is open again
    assert "Hồ sơ không đủ điều kiện cấp phép" in page
    assert 'value="2026-03-20"' in page
    assert 'value="refused" selected' in page
    assert "Hồ sơ không đủ điều kiện cấp phép" not in _details(client, dossier)  # shown once


def test_confirmations_say_what_happens_to_which_dossier(client, login_as, dossier):
    login_as("dept_admin")
    page = _details(client, dossier)
    assert f"Dừng giải quyết hồ sơ {dossier.code}? Không thể hoàn tác." in page
    assert "Xác nhận: " not in page


def test_timeliness_late_and_overdue_read_differently(client, login_as, dossier):
    dossier.status, dossier.timeliness = "returned", "late"
    db.session.commit()
    login_as("dept_admin")
    page = client.get("/admin/dossier/").get_data(as_text=True)
    assert "Trễ hạn" in page


def test_no_programmer_text_on_handover_and_delivery_details(client, login_as, world):
    rows = factories.make_one_of_each(world)
    login_as("it_admin")
    pages = [
        client.get(f"/admin/{resource}/details/?id={rows[resource]}").get_data(as_text=True)
        for resource in ("handover", "delivery_order", "dossier")
    ]
    for page in pages:
        assert "&lt;HandoverItem" not in page and "&lt;DeliveryEvent" not in page
        assert ">False<" not in page and ">True<" not in page
        assert "Phiên bản" not in page
        assert "fa-minus-circle" not in page  # the "stop" icon Flask-Admin draws for False
    handover = db.session.get(Handover, rows["handover"])
    assert handover.items[0].dossier.code in pages[0]
    assert "Không" in pages[0]  # no missing dossier in this batch


def test_return_at_counter_records_who_collected_it(client, login_as, world):
    dossier = result_at_counter(world)
    login_as("po_clerk")
    page = _details(client, dossier)
    assert 'name="collected_by"' in page and "Chọn người nhận kết quả" in page
    url = f"/admin/dossier/transition/?id={dossier.id}"
    form = {"action": "return_at_counter", "collected_by": "authorised"}
    form |= {"collector_name": "Trần Văn Bình", "collector_id_number": "019201012399"}
    page = client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert "Vui lòng nhập số giấy ủy quyền." in page
    assert 'value="Trần Văn Bình"' in page  # what was typed is kept
    db.session.refresh(dossier)
    assert dossier.status == "result_at_counter"
    form["collector_authorisation"] = "12/GUQ"
    page = client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    db.session.refresh(dossier)
    assert (dossier.status, dossier.collector_authorisation) == ("returned", "12/GUQ")
    timeline = page[page.index('id="dossier-timeline"') :]
    assert "Người nhận: Người được ủy quyền — Trần Văn Bình" in timeline
    assert "giấy ủy quyền số 12/GUQ" in timeline
