"""«Đồng bộ và gửi tin» and the portal mappings: who may open and act, scope, retry, discard."""

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, OutboxMessage, PortalMapping
from models.base import utcnow
from services.integration import workers
from tests import factories

ROLES = ("it_admin", "po_supervisor", "po_clerk", "dept_admin", "viewer", "po_clerk2")


def dead_row(world, portal, clerk="po_clerk", **fields):
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users[clerk], received_at=utcnow(), **fields
    )
    portal.refused.add(dossier.code)
    workers.deliver_due()
    row = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.dossier_id == dossier.id)
    ).one()
    db.session.refresh(row)
    assert row.status == "dead"
    return dossier, row


@pytest.mark.parametrize("username", ROLES)
def test_who_may_open_and_act(client, login_as, world, portal, username):
    _, row = dead_row(world, portal)
    login_as(username)
    page = client.get("/admin/outbox/")
    mappings = client.get("/admin/portal_mapping/")
    retry = client.post("/admin/outbox/retry/", data={"id": row.id, "reason": "Đã sửa"})
    discard = client.post("/admin/outbox/discard/", data={"id": row.id, "reason": "Bỏ"})
    if username == "it_admin":
        assert page.status_code == 200 and mappings.status_code == 200
        assert retry.status_code == 302 and discard.status_code == 302
    elif username == "po_supervisor":
        assert page.status_code == 200 and f"outbox-row-{row.id}" in page.get_data(as_text=True)
        assert "retry-button" not in page.get_data(as_text=True)
        assert (mappings.status_code, retry.status_code, discard.status_code) == (403, 403, 403)
    else:
        statuses = (page.status_code, mappings.status_code, retry.status_code)
        assert statuses == (403, 403, 403), username
    db.session.expire_all()
    expected = "pending" if username == "it_admin" else "dead"
    assert db.session.get(OutboxMessage, row.id).status == expected


def test_anonymous_goes_to_the_login(client, world):
    response = client.get("/admin/outbox/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_page_shows_counts_age_errors_masked_and_the_rate(client, login_as, world, portal):
    dossier, _row = dead_row(world, portal, applicant_phone="0987654321")
    factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], received_at=utcnow()
    )
    login_as("it_admin")
    html = client.get("/admin/outbox/").get_data(as_text=True)
    assert "Đồng bộ và gửi tin" in html and dossier.code in html
    assert 'id="sink-portal"' in html and "Cổng Dịch vụ công quốc gia" in html
    assert "0987654321" not in html
    assert 'id="sync-rate-value">0.0 %' in html  # none synced of two received
    pending = client.get("/admin/outbox/?status=pending&sink=portal").get_data(as_text=True)
    assert "outbox-row-" in pending and "retry-button" not in pending
    for query in ("?status=bogus&sink=x", "?status=done", "?sink=portal"):
        assert client.get("/admin/outbox/" + query).status_code == 200


def test_a_supervisor_sees_only_the_rows_of_the_office(client, login_as, world, portal):
    _, mine = dead_row(world, portal)
    _, theirs = dead_row(world, portal, clerk="po_clerk2", applicant="Lê Thị Hoa")
    login_as("po_supervisor")
    html = client.get("/admin/outbox/").get_data(as_text=True)
    assert f"outbox-row-{mine.id}" in html and f"outbox-row-{theirs.id}" not in html


def test_retry_needs_a_reason_and_is_audited_then_delivers(client, login_as, world, portal):
    dossier, row = dead_row(world, portal)
    login_as("it_admin")
    client.post("/admin/outbox/retry/", data={"id": row.id, "reason": "   "})
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).status == "dead"
    response = client.post("/admin/outbox/retry/", data={"id": row.id, "reason": "Cổng đã sửa"})
    assert response.status_code == 302
    db.session.expire_all()
    retried = db.session.get(OutboxMessage, row.id)
    assert retried.status == "pending" and retried.note == "Cổng đã sửa"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "outbox_retry")).one()
    assert entry.entity_id == str(row.id) and "Cổng đã sửa" in entry.summary
    portal.refused.clear()
    workers.deliver_due()
    assert dossier.code in portal.dossiers
    again = client.post("/admin/outbox/retry/", data={"id": row.id, "reason": "lần nữa"})
    assert again.status_code == 302  # refused with a message: the row is done now
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).status == "done"


def test_discard_and_bad_input(client, login_as, world, portal):
    _, row = dead_row(world, portal)
    login_as("it_admin")
    assert client.post("/admin/outbox/discard/", data={"id": "x", "reason": "a"}).status_code == 302
    bad = client.post("/admin/outbox/discard/", data={"id": row.id, "reason": "a\x00b"})
    assert bad.status_code == 400
    long = client.post("/admin/outbox/discard/", data={"id": row.id, "reason": "x" * 501})
    assert long.status_code == 302
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).status == "dead"
    client.post("/admin/outbox/discard/", data={"id": row.id, "reason": "Hồ sơ nhập nhầm"})
    db.session.expire_all()
    assert db.session.get(OutboxMessage, row.id).status == "discarded"
    missing = client.post("/admin/outbox/discard/", data={"id": 99999999, "reason": "a"})
    assert missing.status_code == 404


def test_the_dossier_page_shows_its_sync_state(client, login_as, world, portal):
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], received_at=utcnow()
    )
    login_as("po_clerk")
    html = client.get(f"/admin/dossier/details/?id={dossier.id}").get_data(as_text=True)
    assert 'id="portal-sync"' in html and "Chưa đồng bộ" in html
    workers.deliver_due()
    html = client.get(f"/admin/dossier/details/?id={dossier.id}").get_data(as_text=True)
    assert "Đã đồng bộ" in html


def test_it_staff_map_codes_and_the_portal_gets_them(client, login_as, world, portal):
    login_as("it_admin")
    response = client.post(
        "/admin/portal_mapping/new/",
        data={"kind": "procedure", "ours": "1.004477", "portal": "1.004477.000.00.00.H55"},
    )
    assert response.status_code == 302
    refused = client.post(
        "/admin/portal_mapping/new/", data={"kind": "status", "ours": "received", "portal": "11"}
    )
    assert refused.status_code == 200 and "từ 1 đến 10" in refused.get_data(as_text=True)
    db.session.add(PortalMapping(kind="status", ours="received", portal="1"))
    db.session.commit()
    dossier = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], received_at=utcnow()
    )
    workers.deliver_due()
    sent = portal.dossiers[dossier.code]
    assert sent["MaTTHC"] == "1.004477.000.00.00.H55" and sent["TrangThaiHoSo"] == 1


def test_carrier_calls_waiting_are_shown_to_those_who_may_open_them(client, login_as, world):
    factories.make_carrier_webhook("EMS-W1")
    factories.make_carrier_webhook("EMS-W2", state="applied")
    login_as("it_admin")
    page = client.get("/admin/outbox/").get_data(as_text=True)
    waiting = page.split('id="carrier-waiting"', 1)[1].split("</div>", 1)[0]
    assert "<strong>1</strong>" in waiting and "/admin/carrier_webhook/" in waiting
    login_as("po_supervisor")  # reads the outbox, not the carriers' inbox
    assert 'id="carrier-waiting"' not in client.get("/admin/outbox/").get_data(as_text=True)


def test_the_rate_is_of_the_office_month_at_half_past_five_utc(app, world, portal):
    """At 17:30 UTC on 30 November the office (UTC+7) is on 1 December already: the screen
    rates December, and counts a dossier received at 00:10 office time; an hour before,
    it rates November, without it (the screen took the UTC date once, and left the
    evening's receipts out)."""
    from datetime import UTC, date, datetime

    from services.integration import screen

    received = datetime(2026, 11, 30, 17, 10, tzinfo=UTC)  # 00:10 on 1 December, office time
    factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], "Người nhận lúc nửa đêm", received
    )
    it_admin = world.users["it_admin"]
    evening = screen.page(
        it_admin, app.config, sink=None, status=None, now=datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    )
    assert (evening.period.first, evening.period.last) == (date(2026, 12, 1), date(2026, 12, 1))
    assert evening.sync == (0, 1, 0.0)
    before = screen.page(
        it_admin, app.config, sink=None, status=None, now=datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    )
    assert (before.period.first, before.period.last) == (date(2026, 11, 1), date(2026, 11, 30))
