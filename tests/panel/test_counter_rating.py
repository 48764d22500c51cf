"""The counter tablet (/admin/counter-rating/): a kiosk account bound to a clerk rates
that clerk's latest receipt or return, once per stage, through the rating service."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Rating
from models.base import utcnow
from services.accounts.users import check_kiosk_binding
from services.errors import ValidationFailed
from tests import factories
from tests.print_helpers import hand_over, take


@pytest.fixture
def kiosk(world):
    return factories.make_kiosk(world)


def receive_now(world, clerk="po_clerk", **fields):
    """A dossier received a minute ago by CLERK, as at the counter."""
    return factories.make_dossier(
        world.procedures["publish"],
        world.users[clerk],
        received_at=utcnow() - timedelta(minutes=1),
        **fields,
    )


def rate(client, dossier, stage="receipt", overall="dissatisfied", **extra):
    data = {"code": dossier.code, "stage": stage, "overall": overall, **extra}
    return client.post("/admin/counter-rating/rate", data=data)


def test_the_tablet_waits_then_shows_the_clerks_dossier_with_nothing_personal(
    client, login_as, world, kiosk
):
    login_as("kiosk1")
    page = client.get("/admin/counter-rating/").get_data(as_text=True)
    assert 'id="counter-waiting"' in page
    assert client.get("/admin/counter-rating/current.json").get_json() == {"current": None}
    receive_now(world, clerk="po_supervisor")  # another clerk's dossier: not this tablet's
    assert client.get("/admin/counter-rating/current.json").get_json() == {"current": None}
    dossier = receive_now(world, applicant="Hoàng Thị Mến")
    shown = client.get("/admin/counter-rating/current.json").get_json()["current"]
    assert shown == {
        "code": dossier.code,
        "procedure": world.procedures["publish"].name,
        "stage": "receipt",
    }
    page = client.get("/admin/counter-rating/").get_data(as_text=True)
    assert dossier.code in page and "Tiếp nhận hồ sơ" in page and "Không hài lòng" in page
    assert 'src="/static/counter-rating.js?v=' in page  # its own file, kept by its content
    for personal in (dossier.applicant_name, dossier.applicant_phone, dossier.applicant_id_number):
        assert personal not in page
    # The menu offers the tablet's screen and nothing else.
    assert 'href="/admin/dossier/"' not in page and 'href="/admin/report/"' not in page


def test_a_dislike_is_recorded_once_for_the_clerk_and_opens_the_follow_up(
    client, login_as, world, kiosk
):
    dossier = receive_now(world)
    login_as("kiosk1")
    answer = rate(client, dossier, comment="Chờ lâu", attitude="satisfied")
    assert answer.status_code == 302
    rating = db.session.scalar(select(Rating))
    assert (rating.source, rating.stage, rating.overall) == ("kiosk", "receipt", "dissatisfied")
    assert rating.clerk_id == world.users["po_clerk"].id and rating.follow_up == "open"
    assert rating.attitude == "satisfied" and rating.comment == "Chờ lâu"
    page = client.get("/admin/counter-rating/").get_data(as_text=True)
    assert "Cảm ơn ông/bà đã đánh giá." in page and 'id="counter-waiting"' in page
    assert client.get("/admin/counter-rating/current.json").get_json() == {"current": None}
    again = rate(client, dossier, overall="satisfied")
    assert again.status_code == 302
    assert "đã được đánh giá ở bước này" in client.get(again.location).get_data(as_text=True)
    assert db.session.scalar(select(func.count(Rating.id))) == 1
    # The public page's rating of the same stage is refused too: once per stage.
    public = client.post(
        f"/rate/{dossier.code}?key={dossier.rating_key}",
        data={"key": dossier.rating_key, "overall": "satisfied"},
    )
    assert public.status_code == 409
    login_as("po_supervisor")
    home = client.get("/admin/").get_data(as_text=True)
    assert f'data-code="{dossier.code}"' in home


def test_the_return_is_rated_as_its_own_stage(client, login_as, world, kiosk):
    dossier = receive_now(world)
    login_as("kiosk1")
    rate(client, dossier, overall="very_satisfied")
    now = utcnow()
    hand_over(
        world, [dossier], sent=now - timedelta(minutes=50), confirmed=now - timedelta(minutes=49)
    )
    take(dossier, "complete", world.users["dept_admin"], now - timedelta(minutes=40))
    hand_over(
        world,
        [dossier],
        now - timedelta(minutes=30),
        now - timedelta(minutes=20),
        direction="to_post_office",
    )
    take(dossier, "return_at_counter", world.users["po_clerk"], now - timedelta(seconds=30))
    shown = client.get("/admin/counter-rating/current.json").get_json()["current"]
    assert shown["code"] == dossier.code and shown["stage"] == "return"
    assert rate(client, dossier, stage="return", overall="satisfied").status_code == 302
    stages = db.session.scalars(select(Rating.stage).order_by(Rating.id)).all()
    assert stages == ["receipt", "return"]


def test_only_the_clerks_recent_step_may_be_rated(client, login_as, world, kiosk):
    others = receive_now(world, clerk="po_supervisor")
    old = factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        received_at=utcnow() - timedelta(hours=3),
    )
    mine = receive_now(world)
    login_as("kiosk1")
    for dossier, stage in ((others, "receipt"), (old, "receipt"), (mine, "return")):
        answer = rate(client, dossier, stage=stage)
        assert answer.status_code == 302
        page = client.get(answer.location).get_data(as_text=True)
        assert "không còn chờ đánh giá" in page
    bad = rate(client, mine, overall="great")
    assert bad.status_code == 422 and "Chọn một trong ba mức" in bad.get_data(as_text=True)
    assert rate(client, mine, comment="a\x00b").status_code == 400
    assert db.session.scalar(select(func.count(Rating.id))) == 0  # nothing half-written


def test_the_binding_rules(world, kiosk):
    users = world.users
    for clerk, words in (
        (kiosk, "chính nó"),
        (users["po_clerk2"], "cùng một bưu điện"),
        (users["dept_admin"], "nhân viên hoặc giám sát bưu điện"),
    ):
        with pytest.raises(ValidationFailed, match=words):
            check_kiosk_binding(kiosk, clerk)
    other = factories.make_kiosk(world, clerk="po_supervisor", username="kiosk2")
    with pytest.raises(ValidationFailed, match="máy tính bảng khác"):
        check_kiosk_binding(kiosk, other)


def test_it_staff_bind_a_tablet_in_the_users_screen(client, login_as, world):
    from models import User
    from services.accounts.users import create_user

    tablet = create_user("tablet3", factories.PASSWORD, ["po_clerk"], "VNP.H55.001")
    db.session.commit()
    login_as("it_admin")
    form = client.get(f"/admin/user/edit/?id={tablet.id}").get_data(as_text=True)
    assert 'name="kiosk_clerk"' in form and "Máy tính bảng tại quầy của" in form
    data = {
        "username": tablet.username,
        "full_name": tablet.full_name,
        "agency": str(tablet.agency_id),
        "roles": [str(r.id) for r in tablet.roles],
        "active": "y",
        "kiosk_clerk": str(world.users["po_clerk2"].id),  # another post office's clerk
    }
    refused = client.post(f"/admin/user/edit/?id={tablet.id}", data=data, follow_redirects=True)
    assert "cùng một bưu điện" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, tablet.id).kiosk_clerk_id is None
    data["kiosk_clerk"] = str(world.users["po_clerk"].id)
    assert client.post(f"/admin/user/edit/?id={tablet.id}", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, tablet.id).kiosk_clerk_id == world.users["po_clerk"].id
    details = client.get(f"/admin/user/details/?id={tablet.id}").get_data(as_text=True)
    assert world.users["po_clerk"].full_name in details
