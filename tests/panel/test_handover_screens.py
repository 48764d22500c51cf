"""The handover screens through the test client: what each side sees and may do."""

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Handover
from tests import factories


@pytest.fixture
def received(world):
    clerk = world.users["po_clerk"]
    return [
        factories.make_dossier(world.procedures["publish"], clerk, f"Người {n}") for n in range(2)
    ]


def test_scan_answers_why_not_in_json(client, login_as, world, received):
    batch = factories.make_handover(received[:1], world.users["po_clerk"])
    login_as("po_clerk")
    ok = client.get(f"/admin/handover/scan/?code={received[1].code}").get_json()
    assert ok == {"ok": True, "id": received[1].id, "code": received[1].code}
    taken = client.get(f"/admin/handover/scan/?code={received[0].code}").get_json()
    assert not taken["ok"] and batch.code in taken["message"]
    unknown = client.get("/admin/handover/scan/?code=KHONG-CO").get_json()
    assert not unknown["ok"] and "Không tìm thấy hồ sơ KHONG-CO" in unknown["message"]
    login_as("po_clerk2")  # another office's dossier looks unknown
    other = client.get(f"/admin/handover/scan/?code={received[1].code}").get_json()
    assert not other["ok"] and "Không tìm thấy" in other["message"]


def test_the_bulk_action_refuses_with_the_reason_and_creates_nothing(
    client, login_as, world, received
):
    factories.make_handover(received[:1], world.users["po_clerk"])
    login_as("po_clerk")
    response = client.post(
        "/admin/dossier/action/",
        data={"action": "handover", "rowid": [d.id for d in received]},
        follow_redirects=True,
    )
    assert "đã nằm trong lô BG-" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Handover.id))) == 1
    login_as("viewer")
    response = client.post(
        "/admin/dossier/action/", data={"action": "handover", "rowid": [received[1].id]}
    )
    assert response.status_code in (302, 403)
    assert db.session.scalar(select(func.count(Handover.id))) == 1


def test_only_the_receiver_gets_the_confirm_screen(client, login_as, world, received):
    batch = factories.make_handover(received, world.users["po_clerk"])
    login_as("po_clerk")
    response = client.get(f"/admin/handover/confirm/?id={batch.id}", follow_redirects=True)
    assert "Chỉ bên nhận mới xác nhận được lô đã gửi." in response.get_data(as_text=True)
    login_as("dept_admin2")
    assert client.get(f"/admin/handover/confirm/?id={batch.id}").status_code == 404
    login_as("dept_admin")
    page = client.get(f"/admin/handover/confirm/?id={batch.id}").get_data(as_text=True)
    assert all(d.code in page for d in received)
    item = next(i for i in batch.items if i.dossier_id == received[0].id)
    response = client.post(
        f"/admin/handover/confirm/?id={batch.id}",
        data={
            "missing": received[0].code,
            f"note-{item.id}": "Không có trong túi",
            "version": batch.version,
            "note": "Thiếu một",
        },
    )
    assert response.status_code == 302
    db.session.refresh(batch)
    assert (batch.status, batch.has_missing) == ("confirmed", True)


def test_cancel_needs_the_sending_supervisor(client, login_as, world, received):
    batch = factories.make_handover(received, world.users["po_clerk"])
    login_as("po_clerk")
    assert (
        client.post(f"/admin/handover/cancel/?id={batch.id}", data={"reason": "x"}).status_code
        == 403
    )
    login_as("po_supervisor")
    page = client.get(f"/admin/handover/details/?id={batch.id}").get_data(as_text=True)
    assert 'id="cancel-batch"' in page
    client.post(f"/admin/handover/cancel/?id={batch.id}", data={"reason": "Lập nhầm"})
    db.session.refresh(batch)
    assert (batch.status, batch.cancel_reason) == ("cancelled", "Lập nhầm")


def test_dept_queue_groups_results_by_post_office(client, login_as, world, received):
    from datetime import date

    from services.dossiers import workflow

    factories.confirm_handover(
        factories.make_handover(received, world.users["po_clerk"]), world.users["dept_admin"]
    )
    result = workflow.Result(number="1/GP", date=date(2026, 3, 11), outcome="granted")
    workflow.transition(received[0], "complete", world.users["dept_admin"], result=result)
    db.session.commit()
    login_as("dept_admin")
    page = client.get("/admin/handover/queue/").get_data(as_text=True)
    assert "Kết quả chờ bàn giao cho bưu điện" in page
    assert "Bên nhận: Bưu điện tỉnh" in page
    assert received[0].code in page and received[1].code not in page


@pytest.mark.parametrize(
    ("username", "queues"),
    [
        ("po_clerk", ["to_hand_over", "incoming", "at_counter", "overdue"]),
        ("dept_admin", ["to_hand_over", "incoming", "overdue"]),
        ("viewer", ["overdue"]),
        ("it_admin", ["overdue"]),
    ],
)
def test_home_page_work_queues_per_role(client, login_as, world, received, username, queues):
    factories.make_handover(received[:1], world.users["po_clerk"])
    login_as(username)
    page = client.get("/admin/").get_data(as_text=True)
    shown = [
        q
        for q in ("to_hand_over", "incoming", "at_counter", "overdue")
        if f'data-queue="{q}"' in page
    ]
    assert shown == queues
    if username == "po_clerk":
        assert 'href="/admin/handover/queue/"' in page
    if username == "dept_admin":
        assert 'href="/admin/handover/incoming/"' in page


def test_dossier_page_offers_no_action_while_in_an_open_batch(client, login_as, world, received):
    batch = factories.make_handover(received[:1], world.users["po_clerk"])
    login_as("po_clerk")
    page = client.get(f"/admin/dossier/details/?id={received[0].id}").get_data(as_text=True)
    assert 'id="dossier-actions"' not in page and batch.code in page
    free = client.get(f"/admin/dossier/details/?id={received[1].id}").get_data(as_text=True)
    assert 'id="dossier-actions"' in free
    response = client.post(
        f"/admin/dossier/transition/?id={received[0].id}",
        data={"action": "refuse", "note": "Thiếu đơn"},
        follow_redirects=True,
    )
    assert batch.code in response.get_data(as_text=True)
    db.session.refresh(received[0])
    assert received[0].status == "received"


def test_missing_needs_a_reason_and_the_page_keeps_what_was_typed(
    client, login_as, world, received
):
    batch = factories.make_handover(received, world.users["po_clerk"])
    item = next(i for i in batch.items if i.dossier_id == received[0].id)
    login_as("dept_admin")
    page = client.get(f"/admin/handover/confirm/?id={batch.id}").get_data(as_text=True)
    assert 'id="scan-code"' in page and "data-check-batch" in page
    response = client.post(
        f"/admin/handover/confirm/?id={batch.id}",
        data={"missing": received[0].code, f"note-{item.id}": "  ", "note": "Lô sáng nay"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Vui lòng ghi lý do cho hồ sơ đánh dấu thiếu: {received[0].code}." in page
    assert "is-invalid" in page and "Lô sáng nay" in page
    assert f'value="{received[0].code}" checked' in page
    db.session.refresh(batch)
    assert batch.status == "sent" and received[0].status == "received"
