"""Holes a review found: each test is an attack or a careless input that must now fail safely."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models import DeliveryOrder, Dossier, Handover, Role, User
from services.calendar import LOCAL_TZ
from tests import factories
from vietnam.addresses import wards

HUGE = "99999999999999999999"


@pytest.fixture
def dossier(world):
    return factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        received_at=datetime(2026, 3, 10, 9, 30, tzinfo=LOCAL_TZ),
    )


def _user_form(user, role_ids, agency_id):
    return {
        "username": user.username,
        "full_name": user.full_name,
        "agency": agency_id,
        "roles": role_ids,
        "active": "y",
    }


def _delivery_form(dossier_id, post_office_id, tracking_code, postage="0"):
    return {
        "dossier": dossier_id,
        "post_office": post_office_id,
        "tracking_code": tracking_code,
        "recipient_name": "Người nhận",
        "recipient_phone": "0912345678",
        "recipient_province_code": "19",
        "recipient_ward_code": str(wards(19)[0][0]),
        "recipient_street": "Số 1 đường Hoàng Văn Thụ",
        "postage": postage,
        "cod_amount": "0",
    }


def _role_id(name):
    return db.session.scalar(select(Role.id).where(Role.name == name))


def test_roles_must_fit_the_agency_so_nobody_mixes_it_with_workflow(client, login_as, world):
    login_as("it_admin")
    viewer = world.users["viewer"]
    page = client.post(
        f"/admin/user/edit/?id={viewer.id}",
        data=_user_form(
            viewer, [_role_id("viewer"), _role_id("dept_admin")], world.agencies["lead"].id
        ),
    ).get_data(as_text=True)
    assert "không dùng cho cơ quan loại «lãnh đạo»" in page
    db.session.expire_all()
    assert db.session.get(User, viewer.id).role_names == {"viewer"}


def test_nobody_changes_their_own_roles_or_agency(client, login_as, world):
    me = login_as("it_admin")
    page = client.post(
        f"/admin/user/edit/?id={me.id}",
        data=_user_form(me, [_role_id("it_admin"), _role_id("viewer")], world.agencies["it"].id),
    ).get_data(as_text=True)
    assert "Bạn không thể tự đổi vai trò hoặc cơ quan của chính mình." in page


def test_it_and_leaders_cannot_be_granted_workflow_actions(client, login_as, world):
    login_as("it_admin")
    role = db.session.scalar(select(Role).where(Role.name == "it_admin"))
    kept = [f"{p.resource}:{p.action}" for p in role.permissions]
    response = client.post(
        f"/admin/role/permissions/?id={role.id}", data={"perm": [*kept, "dossier:complete"]}
    )
    assert "không tham gia xử lý hồ sơ" in response.get_data(as_text=True)
    bogus = client.post(f"/admin/role/permissions/?id={role.id}", data={"perm": [*kept, "x:y"]})
    assert "quyền không tồn tại" in bogus.get_data(as_text=True)
    renamed = client.post(
        f"/admin/role/edit/?id={role.id}", data={"name": "it_admin_x", "label": "IT"}
    )
    assert "Không được đổi mã của vai trò có sẵn." in renamed.get_data(as_text=True)


def test_a_handover_is_never_typed_in(client, login_as, world):
    """The old create form (direction, from, to) is gone: it leads to the queue instead."""
    login_as("po_clerk")
    response = client.post(
        "/admin/handover/new/",
        data={
            "direction": "to_department",
            "from_agency": world.agencies["po"].id,
            "to_agency": world.agencies["dept"].id,
        },
    )
    assert response.status_code == 302 and response.location.endswith("/admin/handover/queue/")
    assert db.session.scalar(select(func.count(Handover.id))) == 0


def test_a_delivery_order_cannot_be_moved_to_another_office(client, login_as, world, dossier):
    order = factories.make_delivery(dossier, world.agencies["po"])
    login_as("po_supervisor")
    form = client.get(f"/admin/delivery_order/edit/?id={order.id}").get_data(as_text=True)
    assert 'name="post_office"' not in form  # the office that shipped it is not a field
    client.post(
        f"/admin/delivery_order/edit/?id={order.id}",
        data=_delivery_form(
            dossier.id, world.agencies["po2"].id, order.tracking_code, postage="25000"
        ),
    )
    db.session.expire_all()
    assert db.session.get(DeliveryOrder, order.id).post_office_id == world.agencies["po"].id


@pytest.mark.parametrize("target", ["http:evil.example", "https://evil.example/", "//evil"])
def test_foreign_return_urls_are_refused(client, login_as, world, target):
    login_as("it_admin")
    assert client.get(f"/admin/agency/edit/?id=1&url={target}").status_code == 400


def test_an_apology_cannot_push_the_date_out_of_reach(client, login_as, dossier):
    dossier.status = "processing"
    db.session.commit()
    login_as("dept_admin")
    response = client.post(
        f"/admin/dossier/transition/?id={dossier.id}",
        data={"action": "apologize", "note": "x", "new_due_date": "9999-12-31"},
    )
    assert "không được quá một năm" in client.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    [
        f"/admin/dossier/details/?id={HUGE}",
        f"/admin/dossier/edit/?id={HUGE}",
        f"/admin/user/reset-password/?id={HUGE}",
        "/admin/dossier/details/?id=1.5",
        "/admin/dossier/details/?id=%D9%A1",
    ],
)
def test_impossible_ids_are_not_found(client, login_as, world, path):
    login_as("it_admin" if "user" in path else "dept_admin")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        f"page={HUGE}",
        "flt0_received_at_on_the_day=9999-12-31",
        "flt0_received_at_from_the_day=0001-01-01",
        "flt0_received_at_between_the_days=0001-01-01+to+9999-12-31",
        f"flt0_procedure_equals={HUGE}",
        "flt0_procedure_equals=abc",
        "flt0_status_equals=no-such-status",
    ],
)
def test_wild_list_arguments_never_crash(client, login_as, world, query):
    login_as("po_clerk")
    assert client.get(f"/admin/dossier/?{query}").status_code == 200


def test_wild_lookup_and_bulk_arguments_never_crash(client, login_as, world):
    login_as("po_clerk")
    lookup = f"/admin/delivery_order/ajax/lookup/?name=dossier&query=1&offset={HUGE}&limit=-5"
    assert client.get(lookup).status_code == 200
    login_as("it_admin")
    for rowid in ("abc", HUGE):
        response = client.post("/admin/user/action/", data={"action": "deactivate", "rowid": rowid})
        assert response.status_code == 302


def test_bad_dossier_form_values_are_refused_not_crashed(client, login_as, world, dossier):
    login_as("dept_admin")
    base = {"return_method": "counter", "applicant_name": "Tên", "version_seen": dossier.version}
    for changes, message in (
        ({"applicant_province_code": "abc"}, "Lựa chọn không hợp lệ"),
        ({"applicant_name": "   "}, "Trường này là bắt buộc."),
    ):
        page = client.post(f"/admin/dossier/edit/?id={dossier.id}", data={**base, **changes})
        assert page.status_code == 200 and message in page.get_data(as_text=True), changes
    # Control characters are refused at the door (views/guard.py), before any validator.
    page = client.post(
        f"/admin/dossier/edit/?id={dossier.id}", data={**base, "applicant_name": "a\x00b"}
    )
    assert page.status_code == 400 and "Ký tự không hợp lệ" in page.get_data(as_text=True)
    procedure = world.procedures["publish"]
    procedure.postal_return = False
    db.session.commit()
    page = client.post(
        f"/admin/dossier/edit/?id={dossier.id}", data={**base, "return_method": "post"}
    ).get_data(as_text=True)
    assert "Thủ tục này không trả kết quả qua bưu chính." in page
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).return_method == "counter"


def test_out_of_range_money_is_refused_in_vietnamese(client, login_as, world, dossier):
    order = factories.make_delivery(dossier, world.agencies["po"])
    login_as("po_supervisor")
    page = client.post(
        f"/admin/delivery_order/edit/?id={order.id}",
        data=_delivery_form(
            dossier.id,
            world.agencies["po"].id,
            order.tracking_code,
            postage="99999999999999999999999",
        ),
    ).get_data(as_text=True)
    assert "Số phải nằm trong khoảng" in page
    assert "Python int" not in page


def test_a_garbled_version_is_refused_not_ignored(client, login_as, dossier):
    dossier.status = "processing"
    db.session.commit()
    login_as("dept_admin")
    response = client.post(
        f"/admin/dossier/transition/?id={dossier.id}", data={"action": "withdraw", "version": "abc"}
    )
    assert "hãy tải lại trang" in client.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == "processing"


def test_exports_write_blank_not_none(client, login_as, dossier):
    login_as("po_clerk")
    export = client.get("/admin/dossier/export/csv/").get_data(as_text=True)
    assert "None" not in export and "Đã tiếp nhận" in export


def test_creating_a_delivery_order_ships_the_result(client, login_as, world, dossier):
    dossier.status, dossier.return_method = "result_at_counter", "post"
    db.session.commit()
    login_as("po_clerk")
    response = client.post(
        "/admin/delivery_order/new/",
        data=_delivery_form(dossier.id, world.agencies["po2"].id, "EB000000014VN", postage="25000"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    shipped = db.session.get(Dossier, dossier.id)
    assert shipped.status == "in_delivery" and shipped.history[-1].action == "ship"
    order = db.session.scalar(select(DeliveryOrder))
    assert order.post_office_id == world.agencies["po"].id  # the clerk's own office
    again = client.post(
        "/admin/delivery_order/new/",
        data=_delivery_form(dossier.id, world.agencies["po"].id, "EB000000005VN"),
    )
    assert "đang ở trạng thái «đang chuyển phát»" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(DeliveryOrder.id))) == 1


def test_a_result_for_the_counter_is_not_shipped(client, login_as, world, dossier):
    dossier.status = "result_at_counter"  # return_method stays "counter"
    db.session.commit()
    login_as("po_clerk")
    page = client.post(
        "/admin/delivery_order/new/",
        data=_delivery_form(dossier.id, world.agencies["po"].id, "EB000000014VN"),
    ).get_data(as_text=True)
    assert "không đăng ký nhận kết quả qua bưu chính" in page
    assert db.session.scalar(select(func.count(DeliveryOrder.id))) == 0
