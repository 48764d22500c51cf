"""The parcel's event form as a busy counter meets it: nothing chosen for the clerk, what was
typed kept after a refusal, a delivery only once confirmed, a delivered parcel read-only; the
ship form and its dossier picker offer only what can be shipped."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import DeliveryOrder, Dossier
from models.base import utcnow
from services.calendar import LOCAL_TZ
from tests import factories

BASE = "/admin/delivery_order"


@pytest.fixture
def order(world):
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], return_method="post"
    )
    return factories.ship_result(dossier, world.users["po_clerk"])


def _ago(hours: float) -> str:
    """A time typed in the form (Vietnam time, to the second)."""
    return (utcnow() - timedelta(hours=hours)).astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M:%S")


def _record(client, order_id, **data):
    return client.post(f"{BASE}/record-event/?id={order_id}", data=data, follow_redirects=True)


def _status(order_id):
    db.session.expire_all()
    return db.session.get(DeliveryOrder, order_id).status


def test_the_form_opens_on_a_placeholder_not_a_status(client, login_as, order):
    login_as("po_clerk")
    page = client.get(f"{BASE}/details/?id={order.id}").get_data(as_text=True)
    assert '<option value="" selected>Chọn trạng thái</option>' in page
    assert page.count(" selected>") == 1
    refused = _record(client, order.id, status="", note="x")
    assert "Vui lòng chọn trạng thái mới của bưu gửi." in refused.get_data(as_text=True)
    assert _status(order.id) == "created"


def test_a_refused_event_keeps_what_was_typed_then_the_correction_records(client, login_as, order):
    login_as("po_clerk")
    for hours, status in ((5, "accepted"), (4, "out_for_delivery")):  # straight to the postman
        _record(client, order.id, status=status, at=_ago(hours))
        assert _status(order.id) == status
    typed = _ago(3)
    refused = _record(client, order.id, status="failed", at=typed, note="  ")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "vui lòng ghi rõ lý do" in page
    assert '<option value="failed" selected>' in page and f'value="{typed}"' in page
    assert _status(order.id) == "out_for_delivery"
    page = _record(client, order.id, status="failed", at=typed, note="Vắng nhà").get_data(
        as_text=True
    )
    assert "Đã ghi: Phát không thành công." in page and _status(order.id) == "failed"
    refused = _record(client, order.id, status="delivered", note="Chị Hoa ký nhận")
    page = refused.get_data(as_text=True)
    assert "Vui lòng xác nhận phát thành công trước khi ghi." in page
    assert ">Chị Hoa ký nhận</textarea>" in page


def test_delivering_needs_the_confirmation_and_leaves_no_stale_reason(client, login_as, order):
    login_as("po_clerk")
    _record(client, order.id, status="accepted", at=_ago(5))
    _record(client, order.id, status="out_for_delivery", at=_ago(4))
    _record(client, order.id, status="failed", note="Vắng nhà", at=_ago(3))
    _record(client, order.id, status="out_for_delivery", at=_ago(2))
    page = client.get(f"{BASE}/details/?id={order.id}").get_data(as_text=True)
    assert 'data-confirm-delivered="Ghi nhận bưu gửi đã phát thành công?' in page
    _record(client, order.id, status="delivered")
    assert _status(order.id) == "out_for_delivery"
    _record(client, order.id, status="delivered", confirm_delivered="yes", note="Đã ký")
    assert _status(order.id) == "delivered"
    assert db.session.get(Dossier, order.dossier_id).status == "returned"
    page = client.get(f"{BASE}/details/?id={order.id}").get_data(as_text=True)
    reason_row = re.search(r"Lý do phát không thành công</th><td>(.*?)</td>", page)
    assert reason_row and reason_row.group(1).strip() == ""
    assert "Vắng nhà" in page  # still in the timeline, where it happened


def test_a_delivered_parcels_recipient_and_postage_are_read_only(client, login_as, order):
    order.status = "delivered"
    db.session.commit()
    login_as("po_supervisor")
    opened = client.get(f"{BASE}/edit/?id={order.id}", follow_redirects=True)
    assert "không thể sửa người nhận và cước phí" in opened.get_data(as_text=True)
    client.post(
        f"{BASE}/edit/?id={order.id}",
        data={"recipient_name": "Người khác", "postage": "1", "version_seen": order.version},
    )
    db.session.expire_all()
    kept = db.session.get(DeliveryOrder, order.id)
    assert kept.recipient_name != "Người khác" and kept.postage == 26_000


def test_one_dossiers_ship_form_has_no_save_and_add_another(client, login_as, world):
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], return_method="post"
    )
    dossier.status = "result_at_counter"
    db.session.commit()
    login_as("po_clerk")
    form = client.get(f"{BASE}/new/?dossier={dossier.id}").get_data(as_text=True)
    assert dossier.code in form and 'name="_add_another"' not in form


def test_the_dossier_picker_offers_only_shippable_dossiers(client, login_as, world):
    clerk = world.users["po_clerk"]
    procedure = world.procedures["publish"]
    ready = factories.make_dossier(procedure, clerk, "Có thể gửi", return_method="post")
    ready.status = "result_at_counter"
    at_counter = factories.make_dossier(procedure, clerk, "Trả tại quầy")
    at_counter.status = "result_at_counter"
    factories.make_dossier(procedure, clerk, "Mới nhận", return_method="post")
    db.session.commit()
    login_as("po_clerk")
    lookup = client.get(f"{BASE}/ajax/lookup/?name=dossier&query={ready.code[:6]}").get_json()
    assert [row[0] for row in lookup] == [ready.id]
    posted = client.post(f"{BASE}/new/", data={"dossier": at_counter.id})
    assert posted.status_code == 200  # the form again: the field finds no such dossier
    assert db.session.scalar(select(DeliveryOrder.id)) is None
    login_as("dept_admin")
    assert client.get(f"{BASE}/ajax/lookup/?name=dossier&query=0").status_code in (403, 200)
