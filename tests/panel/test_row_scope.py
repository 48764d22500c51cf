"""Row-level scope: a user of agency A never reads or writes agency B's rows.

Out-of-scope rows answer 404, exactly like rows that do not exist.
"""

from datetime import datetime

import pytest
from sqlalchemy import func, select, update

from extensions import db
from models import DeliveryOrder, Dossier, Handover, Permission, ProcedureType, Role
from services.accounts.users import create_user
from services.calendar import LOCAL_TZ
from services.delivery.shipping import SHIPPABLE
from tests import factories
from vietnam.addresses import wards


@pytest.fixture
def two_sides(world):
    """Agency A: dept + po (dossier A). Agency B: dept2 + po2 (dossier B)."""
    create_user("po_supervisor2", factories.PASSWORD, ["po_supervisor"], "VNP.H55.002")
    when = datetime(2026, 3, 10, 9, 0, tzinfo=LOCAL_TZ)
    a = factories.make_dossier(
        world.procedures["publish"], world.users["po_clerk"], "Người A", when
    )
    b = factories.make_dossier(
        world.procedures["karaoke"], world.users["po_clerk2"], "Người B", when
    )
    ho_a = factories.make_handover([a], world.users["po_clerk"])
    ho_b = factories.make_handover([b], world.users["po_clerk2"])
    d_a = factories.make_delivery(a, world.agencies["po"], "EB123456785VN")
    d_b = factories.make_delivery(b, world.agencies["po2"], "EB000000005VN")
    return {"dossier": (a, b), "handover": (ho_a, ho_b), "delivery_order": (d_a, d_b)}


SEES_A_NOT_B = {
    "dossier": ("po_clerk", "po_supervisor", "dept_admin"),
    "handover": ("po_clerk", "po_supervisor", "dept_admin"),
    "delivery_order": ("po_clerk", "po_supervisor", "dept_admin"),
}


@pytest.mark.parametrize("resource", sorted(SEES_A_NOT_B))
def test_details_of_another_agencys_row_is_404(app, two_sides, resource):
    own, other = two_sides[resource]
    for username in SEES_A_NOT_B[resource]:
        client = _client(app, username)
        assert client.get(f"/admin/{resource}/details/?id={own.id}").status_code == 200
        assert client.get(f"/admin/{resource}/details/?id={other.id}").status_code == 404
        assert client.get(f"/admin/{resource}/details/?id=999999").status_code == 404


@pytest.mark.parametrize("resource", sorted(SEES_A_NOT_B))
def test_lists_and_exports_leave_out_other_agencies(app, two_sides, resource):
    own, other = two_sides[resource]
    own_text, other_text = _label(own), _label(other)
    for username in SEES_A_NOT_B[resource]:
        client = _client(app, username)
        page = client.get(f"/admin/{resource}/").get_data(as_text=True)
        assert own_text in page and other_text not in page
        export = client.get(f"/admin/{resource}/export/csv/")
        if export.status_code == 200:
            assert own_text in export.get_data(as_text=True)
            assert other_text not in export.get_data(as_text=True)
        else:
            assert export.status_code == 403


def test_it_admin_and_viewer_see_every_agency(app, two_sides):
    for username in ("it_admin", "viewer"):
        client = _client(app, username)
        page = client.get("/admin/dossier/").get_data(as_text=True)
        assert "Người A" in page and "Người B" in page


def test_editing_another_agencys_dossier_is_404_and_changes_nothing(app, two_sides):
    own, other = two_sides["dossier"]
    client = _client(app, "dept_admin")
    assert client.get(f"/admin/dossier/edit/?id={other.id}").status_code == 404
    response = client.post(
        f"/admin/dossier/edit/?id={other.id}",
        data={"applicant_name": "Đã bị sửa", "return_method": "counter"},
    )
    assert response.status_code == 404
    edited = client.post(
        f"/admin/dossier/edit/?id={own.id}",
        data={"applicant_name": "Người A đã sửa", "return_method": "counter"},
    )
    assert edited.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dossier, other.id).applicant_name == "Người B"
    assert db.session.get(Dossier, own.id).applicant_name == "Người A đã sửa"


def test_editing_another_offices_delivery_order_is_404(app, two_sides):
    own, other = two_sides["delivery_order"]
    client = _client(app, "po_supervisor")
    assert client.get(f"/admin/delivery_order/edit/?id={own.id}").status_code == 200
    assert client.get(f"/admin/delivery_order/edit/?id={other.id}").status_code == 404
    assert (
        client.post(
            f"/admin/delivery_order/edit/?id={other.id}", data={"recipient_name": "X"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("resource", sorted(SEES_A_NOT_B))
def test_no_role_deletes_records_of_public_service(app, two_sides, resource):
    own, _other = two_sides[resource]
    model = type(own)
    for username in ("po_supervisor", "dept_admin", "it_admin"):
        client = _client(app, username)
        response = client.post(f"/admin/{resource}/delete/", data={"id": own.id})
        assert response.status_code == 403
        client.post(f"/admin/{resource}/action/", data={"action": "delete", "rowid": own.id})
    assert db.session.scalar(select(func.count()).select_from(model)) == 2


def test_ajax_update_never_reaches_another_agencys_row(app, two_sides):
    _own, other = two_sides["dossier"]
    client = _client(app, "dept_admin")
    response = client.post(
        "/admin/dossier/ajax/update/", data={"list_form_pk": other.id, "applicant_name": "X"}
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Dossier, other.id).applicant_name == "Người B"


def test_ajax_lookup_is_scoped_and_capped(app, world, two_sides):
    own, other = two_sides["dossier"]
    for n in range(30):
        factories.make_dossier(world.procedures["publish"], world.users["po_clerk"], f"Thêm {n}")
    # the ship form's picker lists only results waiting at the counter to go by post
    db.session.execute(update(Dossier).values(**SHIPPABLE))
    db.session.commit()
    client = _client(app, "po_clerk")
    found = client.get(
        "/admin/delivery_order/ajax/lookup/?name=dossier&query=H55&limit=1000"
    ).get_json()
    codes = [label for _id, label in found]
    assert other.code not in codes
    assert len(found) == 20  # capped, whatever the client asks
    exact = client.get(f"/admin/delivery_order/ajax/lookup/?name=dossier&query={other.code}")
    assert exact.get_json() == []
    assert own.code in str(
        client.get(f"/admin/delivery_order/ajax/lookup/?name=dossier&query={own.code}").get_json()
    )


def test_a_clerk_receives_only_for_their_own_post_office(app, world):
    client = _client(app, "po_clerk2")
    response = client.post(
        "/admin/dossier/new/",
        data={
            "procedure_type": world.procedures["publish"].id,
            "channel": "counter",
            "return_method": "counter",
            "applicant_name": "Người Nộp Mới",
            "documents": ["Đơn đề nghị"],
        },
    )
    assert response.status_code == 302
    dossier = db.session.scalar(select(Dossier).where(Dossier.applicant_name == "Người Nộp Mới"))
    assert dossier.post_office_id == world.agencies["po2"].id


def test_a_clerk_cannot_ship_another_offices_dossier(app, world, two_sides):
    _own, other = two_sides["dossier"]
    client = _client(app, "po_clerk")
    form = {
        "dossier": other.id,
        "post_office": world.agencies["po"].id,
        "tracking_code": "EB000000014VN",
        "recipient_name": "Người B",
        "recipient_phone": "0912345678",
        "recipient_province_code": "19",
        "recipient_ward_code": str(wards(19)[0][0]),
        "recipient_street": "Số 2 đường Minh Cầu",
        "postage": "25000",
        "cod_amount": "0",
    }
    response = client.post("/admin/delivery_order/new/", data=form)
    assert response.status_code == 200  # the form again, with the error on the dossier
    assert "Lựa chọn không hợp lệ hoặc bạn không có quyền chọn." in response.get_data(as_text=True)
    own = two_sides["dossier"][0]  # still "received": its result cannot be shipped yet
    response = client.post(
        "/admin/delivery_order/new/",
        data={**form, "dossier": own.id, "post_office": world.agencies["po2"].id},
    )
    assert "đang ở trạng thái «đã tiếp nhận»" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(DeliveryOrder.id))) == 2


def test_a_department_cannot_send_another_departments_results(app, world, two_sides):
    """The batch's agencies come from the dossiers and the user: out of scope is unknown."""
    other = two_sides["dossier"][1]
    client = _client(app, "dept_admin")
    response = client.post("/admin/handover/send/", data={"dossier_id": other.id})
    assert response.status_code == 302
    page = client.get("/admin/handover/queue/").get_data(as_text=True)
    assert f"Không tìm thấy hồ sơ {other.id} trong phạm vi của bạn." in page
    assert db.session.scalar(select(func.count(Handover.id))) == 2


def test_a_department_edits_only_its_own_procedure_types(app, world):
    role = db.session.scalar(select(Role).where(Role.name == "dept_admin"))
    role.permissions.append(Permission(resource="procedure_type", action="edit"))
    db.session.commit()
    client = _client(app, "dept_admin")
    own, other = world.procedures["publish"], world.procedures["karaoke"]
    for procedure, expected_name in ((own, "Tên mới"), (other, other.name)):
        client.post(
            f"/admin/procedure_type/edit/?id={procedure.id}",
            data={
                "code": procedure.code,
                "name": "Tên mới",
                "field": procedure.field,
                "agency": procedure.agency_id,
                "processing_days": 5,
                "fee": 0,
                "online_level": "none",
            },
        )
        db.session.expire_all()
        assert db.session.get(ProcedureType, procedure.id).name == expected_name


def _client(app, username):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def _label(row):
    return getattr(row, "code", None) or getattr(row, "tracking_code", None)
