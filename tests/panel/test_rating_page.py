"""The citizen's rating: the page behind the receipt's QR code, and the follow-up of a
"Không hài lòng" on the supervisor's home page."""

import re

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, Rating
from services.reporting.periods import today as office_today  # the office's day, not UTC's
from tests import factories

ROLES = ("it_admin", "viewer", "po_supervisor", "po_clerk", "dept_admin", "dept_admin2")


@pytest.fixture
def dossier(world):
    return factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])


def url(dossier, key=None):
    return f"/rate/{dossier.code}?key={key or dossier.rating_key}"


def dislike(client, dossier, comment="Chờ lâu quá", **extra):
    data = {"overall": "dissatisfied", "attitude": "satisfied", "comment": comment, **extra}
    return client.post(url(dossier), data={"key": dossier.rating_key, **data})


def test_the_receipt_prints_the_rating_link_and_its_qr(client, login_as, dossier, app):
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", dossier.rating_key)
    login_as("po_clerk")
    page = client.get(f"/print/dossiers/{dossier.code}/receipt").get_data(as_text=True)
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    link = f"{base}/rate/{dossier.code}?key={dossier.rating_key}"
    assert f'<span id="rating-url">{link}</span>' in page
    assert page.count("<svg") >= 3  # the barcode, the look-up QR and the rating QR


def test_the_page_shows_nothing_personal_and_takes_one_rating_per_stage(client, dossier):
    page = client.get(url(dossier)).get_data(as_text=True)
    assert dossier.code in page and "Tiếp nhận hồ sơ" in page
    for personal in (dossier.applicant_name, dossier.applicant_phone, dossier.applicant_id_number):
        assert personal not in page
    response = dislike(client, dossier)
    assert response.status_code == 200 and "Cảm ơn ông/bà đã đánh giá" in response.get_data(True)
    again = dislike(client, dossier, comment="Lần hai")
    assert again.status_code == 409 and "đã được đánh giá" in again.get_data(as_text=True)
    ratings = db.session.scalars(select(Rating)).all()
    assert len(ratings) == 1 and ratings[0].follow_up == "open" and ratings[0].stage == "receipt"
    assert ratings[0].clerk_id == dossier.received_by_id
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "rate"))


def test_wrong_keys_bad_answers_and_nul_bytes_are_refused(client, dossier):
    wrong = "AAAAAA" if dossier.rating_key != "AAAAAA" else "BBBBBB"
    for path in (url(dossier, wrong), f"/rate/NOPE-1?key={dossier.rating_key}", url(dossier, "-")):
        response = client.get(path)
        assert response.status_code == 404 and "Không tìm thấy hồ sơ" in response.get_data(True)
    assert client.post(url(dossier, wrong), data={"overall": "satisfied"}).status_code == 404
    bad = client.post(url(dossier), data={"key": dossier.rating_key, "overall": "great"})
    assert bad.status_code == 422 and "Chọn một trong ba mức" in bad.get_data(as_text=True)
    assert dislike(client, dossier, comment="a\x00b").status_code == 400
    assert dislike(client, dossier, comment="x" * 1001).status_code == 422
    assert client.get(url(dossier) + "%00").status_code in (400, 404)
    assert db.session.scalar(select(Rating)) is None  # nothing half-written


def test_rating_is_rate_limited(app, client, dossier):
    app.config["PUBLIC_RATING_RATE_LIMIT"] = "2 per minute"
    statuses = [client.get(url(dossier)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_and_the_follow_up(client, login_as, dossier, role):
    dislike(client, dossier)
    rating = db.session.scalar(select(Rating))
    login_as(role)
    home = client.get("/admin/").get_data(as_text=True)
    shown = f'data-code="{dossier.code}"' in home
    allowed = role in ("po_supervisor", "dept_admin")  # may edit, and the dossier is theirs
    assert shown == allowed, role
    response = client.post(f"/admin/follow-up/{rating.id}", data={"status": "called_back"})
    if role in ("it_admin", "viewer", "po_clerk"):
        assert response.status_code == 403
    elif not allowed:
        assert response.status_code == 404  # another department's: as if it did not exist
    else:
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(Rating, rating.id).follow_up == "called_back"
        closed = client.post(
            f"/admin/follow-up/{rating.id}", data={"status": "closed", "note": "Đã giải thích"}
        )
        assert closed.status_code == 302
        db.session.expire_all()
        done = db.session.get(Rating, rating.id)
        assert done.follow_up == "closed" and done.follow_up_note == "Đã giải thích"
        assert f'data-code="{dossier.code}"' not in client.get("/admin/").get_data(as_text=True)
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "follow_up"))
        assert len(entries.all()) == 2


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_a_post_without_the_pages_token_is_refused(self, client, dossier):
        assert dislike(client, dossier).status_code == 400
        page = client.get(url(dossier)).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert dislike(client, dossier, csrf_token=token).status_code == 200


def test_ratings_per_agency_procedure_and_clerk_on_the_scorecard(client, login_as, dossier, world):
    dislike(client, dossier)
    login_as("viewer")
    today = office_today()
    page = client.get(f"/admin/report/scorecard?from={today:%Y-%m-01}&to={today}")
    text = page.get_data(as_text=True)
    clerk = text.split('id="ratings-clerk"', 1)[1].split("</table>", 1)[0]
    assert world.users["po_clerk"].full_name in clerk and '<td class="text-right">1</td>' in clerk
    procedure = text.split('id="ratings-procedure"', 1)[1].split("</table>", 1)[0]
    assert world.procedures["publish"].name in procedure
