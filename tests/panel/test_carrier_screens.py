"""The carrier screens: IT staff keep the status mapping (post-office supervisors read it),
the webhook inbox shows each call with its reason, and «Áp dụng lại» applies a call again
once the mapping is fixed — every role checked on the server."""

import json

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, CarrierStatus, CarrierWebhook
from services.delivery.carriers import ensure_default_mapping
from services.delivery.webhooks import store
from tests import factories
from tests.api.test_carrier_webhooks import ems_body

ROLES = ("po_clerk", "po_supervisor", "dept_admin", "it_admin", "viewer")
MAPPING_READERS = {"po_supervisor", "it_admin"}


@pytest.fixture
def waiting(world):
    """A shipped parcel, accepted, and a call with a code nobody mapped yet (unapplied)."""
    from services.delivery.webhooks import apply

    ensure_default_mapping()
    db.session.commit()
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], return_method="post"
    )
    order = factories.ship_result(dossier, world.users["po_clerk"])
    for transaction, code, hours in (("EMS-A", "100", 50), ("EMS-B", "999", 40)):
        body = ems_body(code, hours, name="Hàng đang chờ chuyến thư")
        apply(store("ems", transaction, json.dumps(body).encode()).id)
    row = db.session.scalar(select(CarrierWebhook).where(CarrierWebhook.transaction_id == "EMS-B"))
    assert row.state == "unapplied"
    return order, row


@pytest.mark.parametrize("role", ROLES)
def test_the_mapping_screen_is_read_by_supervisors_and_kept_by_it(client, login_as, waiting, role):
    login_as(role)
    listing = client.get("/admin/carrier_status/")
    if role not in MAPPING_READERS:
        assert listing.status_code == 403
        return
    page = listing.get_data(as_text=True)
    assert listing.status_code == 200 and "Mã trạng thái của đơn vị vận chuyển" in page
    assert "Chấp nhận gửi" in page and "Phát thành công" in page
    created = client.post(
        "/admin/carrier_status/new/",
        data={"carrier": "ems", "code": "999", "status": "in_transit", "note": "Chờ chuyến thư"},
    )
    line = db.session.scalar(select(CarrierStatus).where(CarrierStatus.code == "999"))
    if role == "it_admin":
        assert created.status_code == 302 and line.status == "in_transit"
    else:
        assert created.status_code == 403 and line is None
        first = db.session.scalar(select(CarrierStatus.id).limit(1))
        assert client.get(f"/admin/carrier_status/edit/?id={first}").status_code == 403


def test_a_code_twice_or_a_code_with_spaces_is_refused_with_a_message(client, login_as, waiting):
    login_as("it_admin")
    page = client.post(
        "/admin/carrier_status/new/",
        data={"carrier": "ems", "code": "100", "status": "accepted"},
    ).get_data(as_text=True)
    assert db.session.scalar(select(CarrierStatus).where(CarrierStatus.note.is_(None))) is None
    assert "alert" in page
    page = client.post(
        "/admin/carrier_status/new/", data={"carrier": "ems", "code": "9 9", "status": "accepted"}
    ).get_data(as_text=True)
    assert "hãy sửa các ô báo đỏ" in page
    assert db.session.scalar(select(CarrierStatus).where(CarrierStatus.code == "9 9")) is None


@pytest.mark.parametrize("role", ROLES)
def test_only_it_opens_the_inbox(client, login_as, waiting, role):
    _order, row = waiting
    login_as(role)
    listing = client.get("/admin/carrier_webhook/")
    details = client.get(f"/admin/carrier_webhook/details/?id={row.id}")
    if role != "it_admin":
        assert listing.status_code == details.status_code == 403
        return
    page = listing.get_data(as_text=True)
    assert "Webhook đơn vị vận chuyển" in page and "Chưa áp dụng được" in page
    assert "chưa có trong bảng ánh xạ" in page and "EMS-B" in page
    shown = details.get_data(as_text=True)
    assert "Nội dung nguyên bản" in shown and "Hàng đang chờ chuyến thư" in shown


@pytest.mark.parametrize("role", ROLES)
def test_reapply_is_it_staffs_and_audited(client, login_as, waiting, role):
    order, row = waiting
    db.session.add(CarrierStatus(carrier="ems", code="999", status="in_transit", note="Chờ"))
    db.session.commit()
    login_as(role)
    response = client.post(
        "/admin/carrier_webhook/action/",
        data={"action": "reapply", "rowid": str(row.id), "url": "/admin/carrier_webhook/"},
    )
    db.session.expire_all()
    row = db.session.get(CarrierWebhook, row.id)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "reapply")).all()
    if role != "it_admin":
        assert response.status_code == 403
        assert row.state == "unapplied" and entries == []
        return
    assert response.status_code == 302
    assert row.state == "applied" and row.mapped_status == "in_transit"
    assert db.session.get(type(order), order.id).status == "in_transit"
    assert [e.actor_username for e in entries] == ["it_admin"]
    assert entries[0].entity == "carrier_webhook" and entries[0].entity_id == str(row.id)
    page = client.get("/admin/carrier_webhook/").get_data(as_text=True)
    assert "Đã áp dụng 1 lần gọi" in page


def test_reapply_leaves_calls_already_applied_alone(client, login_as, waiting):
    _order, _row = waiting
    applied = db.session.scalar(
        select(CarrierWebhook).where(CarrierWebhook.transaction_id == "EMS-A")
    )
    login_as("it_admin")
    client.post("/admin/carrier_webhook/action/", data={"action": "reapply", "rowid": applied.id})
    db.session.expire_all()
    assert db.session.get(CarrierWebhook, applied.id).attempts == 1
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reapply")) is None
