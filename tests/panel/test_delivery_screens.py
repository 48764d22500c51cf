"""The delivery screens: ship from the dossier's page, the order's timeline and event form,
the list's filters and stuck flag, the price list."""

import re
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import event, select

from extensions import db
from models import DeliveryOrder, Dossier, PostageRate
from models.base import utcnow
from services.calendar import LOCAL_TZ
from tests import factories
from vietnam.addresses import wards


@pytest.fixture
def ready(world):
    factories.make_rates()
    dossier = factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        return_method="post",
        applicant_province_code=19,
        applicant_ward_code=wards(19)[3][0],
        applicant_street="Số 9 đường Quang Trung",
    )
    dossier.status = "result_at_counter"
    db.session.commit()
    return dossier


def _ship_form(dossier, code="EB123456785VN", **changes):
    return {
        "dossier": dossier.id,
        "tracking_code": code,
        "recipient_name": "Nguyễn Văn Thuận",
        "recipient_phone": "0912345678",
        "recipient_province_code": "19",
        "recipient_ward_code": str(wards(19)[3][0]),
        "recipient_street": "Số 9 đường Quang Trung",
        "weight_grams": "300",
        "postage": "",
        "cod_amount": "0",
        **changes,
    }


def test_the_dossier_page_offers_shipping_with_a_prefilled_form(client, login_as, ready):
    login_as("po_clerk")
    page = client.get(f"/admin/dossier/details/?id={ready.id}").get_data(as_text=True)
    assert 'id="ship-by-post"' in page and "Chuyển phát" in page
    form = client.get(f"/admin/delivery_order/new/?dossier={ready.id}").get_data(as_text=True)
    assert ready.code in form and 'value="Nguyễn Văn Thuận"' in form
    assert 'value="Số 9 đường Quang Trung"' in form and 'value="100"' in form


def test_no_ship_button_where_shipping_is_not_open(client, login_as, ready, world):
    login_as("dept_admin")
    page = client.get(f"/admin/dossier/details/?id={ready.id}").get_data(as_text=True)
    assert 'id="ship-by-post"' not in page
    ready.return_method = "counter"
    db.session.commit()
    login_as("po_clerk")
    page = client.get(f"/admin/dossier/details/?id={ready.id}").get_data(as_text=True)
    assert 'id="ship-by-post"' not in page
    other = client.get(f"/admin/delivery_order/new/?dossier={ready.id + 999}")
    assert other.status_code == 200  # an empty form: nothing to prefill


def test_shipping_from_the_form_fills_the_postage_and_links_the_dossier(client, login_as, ready):
    login_as("po_clerk")
    response = client.post("/admin/delivery_order/new/", data=_ship_form(ready))
    assert response.status_code == 302 and "/admin/delivery_order/details/" in response.location
    order = db.session.scalar(select(DeliveryOrder))
    assert order.postage == 31_000 and order.weight_grams == 300  # 251–500 g within
    db.session.expire_all()
    assert db.session.get(Dossier, ready.id).status == "in_delivery"
    page = client.get(f"/admin/dossier/details/?id={ready.id}").get_data(as_text=True)
    assert f'href="/admin/delivery_order/details/?id={order.id}"' in page
    assert "EB123456785VN" in page and 'id="ship-by-post"' not in page


def test_a_refused_shipment_names_the_fields(client, login_as, ready):
    login_as("po_clerk")
    page = client.post(
        "/admin/delivery_order/new/",
        data=_ship_form(ready, recipient_ward_code="", weight_grams="", postage=""),
    ).get_data(as_text=True)
    assert "Thông tin chuyển phát chưa hợp lệ." in page and "Cần đủ phường/xã" in page
    assert db.session.scalar(select(DeliveryOrder.id)) is None


def test_postage_answers_from_the_price_list(client, login_as, ready):
    login_as("po_clerk")
    assert client.get("/admin/delivery_order/postage/?weight=80&province=19").get_json() == {
        "postage": 26_000,
        "zone": "within",
    }
    assert (
        client.get("/admin/delivery_order/postage/?weight=80&province=1").get_json()["postage"]
        == 31_500
    )
    assert client.get("/admin/delivery_order/postage/?weight=x").status_code == 422


def test_the_order_page_shows_the_timeline_and_records_an_event(client, login_as, ready, world):
    order = factories.ship_result(ready, world.users["po_clerk"])
    login_as("po_clerk")
    page = client.get(f"/admin/delivery_order/details/?id={order.id}").get_data(as_text=True)
    assert 'id="delivery-timeline"' in page and 'id="record-event"' in page
    assert '<option value="accepted">' in page and '<option value="delivered">' not in page
    response = client.post(
        f"/admin/delivery_order/record-event/?id={order.id}",
        data={"status": "accepted", "at": "", "note": "Bưu cục trung tâm"},
    )
    page = client.get(response.location).get_data(as_text=True)
    assert "Đã ghi: Bưu cục đã nhận." in page and "Bưu cục trung tâm" in page
    refused = client.post(
        f"/admin/delivery_order/record-event/?id={order.id}",
        data={"status": "delivered", "confirm_delivered": "yes"},
    )
    assert "không thể chuyển sang" in refused.get_data(as_text=True)  # the form, as typed


def test_the_event_time_is_typed_day_first_whatever_the_browser(client, login_as, ready, world):
    order = factories.ship_result(ready, world.users["po_clerk"])
    login_as("po_clerk")
    page = client.get(f"/admin/delivery_order/details/?id={order.id}").get_data(as_text=True)
    shown = re.search(r'id="event-at"[^>]*value="([^"]*)"', page).group(1)
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", shown)  # now, as people write it
    assert 'type="datetime-local"' not in page
    when = (utcnow() - timedelta(hours=2)).astimezone(LOCAL_TZ).replace(second=0, microsecond=0)
    url = f"/admin/delivery_order/record-event/?id={order.id}"
    refused = client.post(url, data={"status": "accepted", "at": "31/02/2026 9:00"})
    assert "Thời điểm không hợp lệ" in refused.get_data(as_text=True)
    client.post(url, data={"status": "accepted", "at": when.strftime("%d/%m/%Y %H:%M")})
    db.session.expire_all()
    events = db.session.get(DeliveryOrder, order.id).events
    assert [e.at for e in events if e.status == "accepted"] == [when]


def test_readers_see_the_timeline_but_no_event_form(client, login_as, ready, world):
    order = factories.ship_result(ready, world.users["po_clerk"])
    for username in ("dept_admin", "viewer"):
        login_as(username)
        page = client.get(f"/admin/delivery_order/details/?id={order.id}").get_data(as_text=True)
        assert 'id="delivery-timeline"' in page and 'id="record-event"' not in page
        client.post(
            f"/admin/delivery_order/record-event/?id={order.id}", data={"status": "accepted"}
        )
        db.session.expire_all()
        assert db.session.get(DeliveryOrder, order.id).status == "created"
    login_as("po_clerk2")
    assert client.get(f"/admin/delivery_order/details/?id={order.id}").status_code == 404
    assert (
        client.post(
            f"/admin/delivery_order/record-event/?id={order.id}", data={"status": "accepted"}
        ).status_code
        == 404
    )


def test_the_list_filters_and_flags_stuck_parcels(client, login_as, ready, world):
    stuck = factories.ship_result(ready, world.users["po_clerk"])
    stuck.status, stuck.status_at = "out_for_delivery", utcnow() - timedelta(days=10)
    fresh_dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], return_method="post"
    )
    fresh = factories.ship_result(fresh_dossier, world.users["po_clerk"], "EB000000005VN")
    fresh.status, fresh.status_at = "out_for_delivery", utcnow()
    db.session.commit()
    login_as("po_supervisor")
    page = client.get("/admin/delivery_order/").get_data(as_text=True)
    assert page.count("stuck-flag") == 1 and "Quá 3 ngày làm việc" in page
    assert "Bị chậm" in page  # the filter's name
    only_stuck = _filtered(client, "Bị chậm", "1")
    assert "EB123456785VN" in only_stuck and "EB000000005VN" not in only_stuck
    office = _filtered(client, "Bưu điện", str(world.agencies["po"].id))
    assert "EB123456785VN" in office and "EB000000005VN" in office


def _filtered(client, label, value):
    """The list with the filter whose label is LABEL set to VALUE (Flask-Admin's flt0_<n>)."""
    view = next(
        v for v in current_app.extensions["admin"][0]._views if v.endpoint == "delivery_order"
    )
    index = next(
        i
        for i, f in enumerate(view._filters)
        if str(f.name) == label or str(f.name).startswith(label)
    )
    return client.get(f"/admin/delivery_order/?flt0_{index}={value}").get_data(as_text=True)


def test_it_staff_keep_the_price_list(client, login_as, world):
    factories.make_rates()
    login_as("it_admin")
    page = client.get("/admin/postage_rate/").get_data(as_text=True)
    assert "Trong tỉnh" in page and "Mỗi 500 g tiếp theo" in page and "26.000" in page
    response = client.post(
        "/admin/postage_rate/new/", data={"zone": "within", "up_to_grams": "1000", "price": "36000"}
    )
    assert response.status_code == 302
    assert (
        db.session.scalar(select(PostageRate.price).where(PostageRate.up_to_grams == 1000))
        == 36_000
    )
    login_as("po_clerk")
    assert client.get("/admin/postage_rate/").status_code == 200
    assert client.get("/admin/postage_rate/new/").status_code == 403


def test_the_list_is_searched_by_tracking_code_recipient_and_dossier_code(
    app, client, login_as, ready, world
):
    """The search box finds a parcel by its whole tracking code, the recipient's name
    without accents, a piece of the phone, or the dossier's code; each on an index
    (never Flask-Admin's ILIKE over the table), and a name found nowhere shows nothing."""
    first = factories.ship_result(ready, world.users["po_clerk"])
    other_dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], "Trần Thị Hà", return_method="post"
    )
    other = factories.ship_result(other_dossier, world.users["po_clerk"], "EB000000005VN")
    other.recipient_name, other.recipient_phone = "Trần Thị Hà", "0987654321"
    db.session.commit()
    assert other.search_text == "eb000000005vn tran thi ha 0987654321"  # kept on every write
    login_as("po_supervisor")

    def found(search):
        statements = []
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", listen)
        try:
            page = client.get("/admin/delivery_order/", query_string={"search": search})
        finally:
            with app.app_context():
                event.remove(db.engine, "before_cursor_execute", listen)
        assert page.status_code == 200
        reads = " ".join(s for s in statements if "FROM delivery_order" in s)
        assert "ILIKE" not in reads.upper().replace("SEARCH_TEXT LIKE", "")
        text = page.get_data(as_text=True)
        return {code for code in ("EB123456785VN", "EB000000005VN") if code in text}

    assert found("eb000000005vn") == {"EB000000005VN"}
    assert found(first.recipient_name.upper()) == {"EB123456785VN"}
    assert found("tran thi ha") == {"EB000000005VN"}
    assert found("654321") == {"EB000000005VN"}
    assert found(ready.code) == {"EB123456785VN"}
    assert found(other_dossier.code[:-3]) == {"EB123456785VN", "EB000000005VN"}  # the day's
    assert found("Nguyễn Không Có") == set()
    assert found("100%_") == set()
    page = client.get("/admin/delivery_order/").get_data(as_text=True)
    assert 'placeholder="mã bưu gửi, tên hoặc điện thoại người nhận, mã hồ sơ"' in page
