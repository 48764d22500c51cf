"""One receipt rule-set for the counter form and the API; every invalid field named at once."""

import json
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, Dossier, ExtraFieldDefinition
from models.base import utcnow
from services.calendar import LOCAL_TZ
from services.dossiers import receipt
from tests import factories
from tests.api.test_api import RECEIPT, assert_error
from tests.api.test_api import api_as as api_as  # the fixture
from tests.panel.test_receive_form import _form
from tests.services.test_migrations import empty_database as empty_database  # the fixture

YEARS_BACK = "2024-03-11T09:00:00+07:00"
# Beyond the clerks' working days, within RECEIPT_BACKDATE_MAX_DAYS (60): a supervisor's case.
WEEKS_BACK = (utcnow().astimezone(LOCAL_TZ) - timedelta(days=28)).replace(
    hour=9, minute=0, second=0, microsecond=0
)
REASON = "Hồ sơ nhận trong đợt mất điện, nhập bổ sung"


@pytest.fixture
def procedure(world):
    """«publish» with a required number and a required choice, by post not allowed."""
    publish = world.procedures["publish"]
    publish.extra_fields = [
        ExtraFieldDefinition(
            key="so_ban", label="Số lượng bản in", field_type="number", required=True
        ),
        ExtraFieldDefinition(
            key="kho", label="Khổ giấy", field_type="choice", required=True, choices="A4\nA5"
        ),
    ]
    publish.postal_return = False
    publish.fee = 50_000
    db.session.commit()
    return publish


def count_dossiers() -> int:
    return db.session.scalar(select(func.count(Dossier.id)))


def local(value: datetime) -> str:
    return value.astimezone(LOCAL_TZ).isoformat(timespec="seconds")


# -- the API -------------------------------------------------------------------
def test_api_receipt_without_the_documents_is_refused_like_the_form(api_as, procedure):
    body = {**RECEIPT, "return_method": "counter", "extra": {"so_ban": 3, "kho": "A4"}}
    error = assert_error(
        api_as("po_clerk").post("/dossiers", {**body, "documents": []}), 422, fields=["documents"]
    )
    assert error["fields"]["documents"] == "Chưa nộp đủ giấy tờ: Đơn đề nghị."
    assert count_dossiers() == 0
    created = api_as("po_clerk").post("/dossiers", body).get_json()
    assert created["documents"] == ["Đơn đề nghị"]  # stored as handed in
    assert created["fee_amount"] == 50_000  # the fee comes from the procedure
    assert db.session.scalar(select(Dossier.documents_checked)) == ["Đơn đề nghị"]


def test_api_names_every_invalid_receipt_field_at_once(api_as, procedure):
    body = {
        **RECEIPT,
        "applicant_name": " ",
        "applicant_phone": "0123",
        "documents": ["Giấy tờ không có trong danh mục"],
        "extra": {"so_ban": "nhiều"},
        "return_method": "post",
        "received_at": YEARS_BACK,
        "applicant_email": "not-an-email",
    }
    error = assert_error(api_as("po_clerk").post("/dossiers", body), 422, "validation_failed")
    assert set(error["fields"]) == {
        "applicant_name",
        "applicant_phone",
        "applicant_email",
        "documents",
        "extra.so_ban",
        "extra.kho",
        "return_method",
        "received_at",
    }
    assert error["fields"]["return_method"] == "Thủ tục này không trả kết quả qua bưu chính."
    assert count_dossiers() == 0


def test_api_format_errors_and_rule_errors_come_in_one_answer(api_as, procedure):
    body = {**RECEIPT, "received_at": "10/03/2026", "documents": [], "return_method": "counter"}
    error = assert_error(api_as("po_clerk").post("/dossiers", body), 422)
    assert {"received_at", "documents", "extra.so_ban", "extra.kho"} <= set(error["fields"])
    assert "ISO 8601" in error["fields"]["received_at"]


def test_complete_without_a_result_names_every_result_field(api_as, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    dossier.status = "processing"
    db.session.commit()
    api = api_as("dept_admin")
    url = f"/dossiers/{dossier.code}/transitions"
    error = assert_error(api.post(url, {"action": "complete"}), 422)
    assert set(error["fields"]) == {"result.number", "result.date", "result.outcome"}
    bad = {"action": "complete", "result": {"date": "20/03/2026", "outcome": "maybe"}}
    error = assert_error(api.post(url, bad), 422)
    assert set(error["fields"]) == {"result.number", "result.date", "result.outcome"}
    assert "YYYY-MM-DD" in error["fields"]["result.date"]  # the format, not "required"
    error = assert_error(api.post(url, {"action": "apologize"}), 422)
    assert set(error["fields"]) == {"note", "new_due_at"}
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == "processing"


# -- how far back a receipt may be dated ----------------------------------------
def test_the_window_counts_working_days_back(app, world):
    monday = datetime(2026, 3, 16, 10, 0, tzinfo=LOCAL_TZ)
    assert receipt.earliest_receipt_day(monday, 3) == date(2026, 3, 11)  # Wednesday
    factories.make_override(date(2026, 3, 12))  # a provincial day off inside the window
    assert receipt.earliest_receipt_day(monday, 3) == date(2026, 3, 10)
    assert receipt.earliest_receipt_day(monday, 0) == date(2026, 3, 16)


def test_a_clerk_may_enter_paper_from_three_working_days_back_not_four(api_as, world):
    today = utcnow().astimezone(LOCAL_TZ)
    earliest = receipt.earliest_receipt_day(utcnow(), 3)
    inside = datetime.combine(earliest, today.timetz()).replace(hour=9, minute=0)
    outside = inside - timedelta(days=1)
    while outside.weekday() >= 5:  # any day before the window, weekends aside
        outside -= timedelta(days=1)
    clerk = api_as("po_clerk")
    assert clerk.post("/dossiers", {**RECEIPT, "received_at": local(inside)}).status_code == 201
    error = assert_error(clerk.post("/dossiers", {**RECEIPT, "received_at": local(outside)}), 422)
    assert f"từ ngày {earliest:%d/%m/%Y}" in error["fields"]["received_at"]
    future = local(utcnow() + timedelta(hours=2))
    error = assert_error(clerk.post("/dossiers", {**RECEIPT, "received_at": future}), 422)
    assert error["fields"]["received_at"] == "Thời điểm tiếp nhận không được ở tương lai."


def test_a_clerk_receipt_dated_years_back_is_refused_even_with_a_reason(api_as, world):
    body = {**RECEIPT, "received_at": YEARS_BACK, "received_at_reason": REASON}
    error = assert_error(api_as("po_clerk").post("/dossiers", body), 422, fields=["received_at"])
    assert "giám sát viên" in error["fields"]["received_at"]
    assert count_dossiers() == 0


def test_a_supervisor_enters_an_old_receipt_with_a_reason_that_is_kept(api_as, world):
    supervisor = api_as("po_supervisor")
    body = {**RECEIPT, "received_at": local(WEEKS_BACK)}
    error = assert_error(supervisor.post("/dossiers", body), 422)
    assert set(error["fields"]) == {"received_at_reason"}
    created = supervisor.post("/dossiers", {**body, "received_at_reason": REASON}).get_json()
    assert created["received_at"] == local(WEEKS_BACK)
    detail = supervisor.get(f"/dossiers/{created['code']}").get_json()
    assert REASON in detail["history"][0]["note"]
    assert f"{WEEKS_BACK:%d/%m/%Y}" in detail["history"][0]["note"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "dossier"))
    assert entry.changes["after"]["received_at_reason"] == REASON
    assert entry.actor_username == "po_supervisor" and REASON in entry.summary


def test_no_one_dates_a_receipt_beyond_the_hard_limit(api_as, client, login_as, procedure):
    """Issue 19: a supervisor with a reason cannot reopen a closed period either."""
    today = utcnow().astimezone(LOCAL_TZ).date()
    floor = today - timedelta(days=60)
    too_old = datetime.combine(floor - timedelta(days=1), WEEKS_BACK.timetz())
    body = {**RECEIPT, "received_at": local(too_old), "received_at_reason": REASON}
    for username in ("po_supervisor", "po_clerk"):
        error = assert_error(api_as(username).post("/dossiers", body), 422)
        assert error["fields"]["received_at"] == (
            f"Không thể nhập hồ sơ tiếp nhận trước ngày {floor:%d/%m/%Y} "
            "(quá 60 ngày trước hôm nay), kể cả giám sát viên: kỳ báo cáo đã khóa."
        )
    login_as("po_supervisor")
    form = _form(procedure, return_method="counter", received_at=f"{too_old:%Y-%m-%d %H:%M:%S}")
    page = client.post("/admin/dossier/new/", data={**form, "received_at_reason": REASON})
    assert "kể cả giám sát viên" in _field_error(page.get_data(as_text=True), "received_at")
    assert count_dossiers() == 0
    at_floor = datetime.combine(floor, WEEKS_BACK.timetz())
    body |= {"received_at": local(at_floor), "return_method": "counter"}
    body["extra"] = {"so_ban": "1", "kho": "A4"}
    created = api_as("po_supervisor").post("/dossiers", body)
    assert created.status_code == 201, created.get_json()


@pytest.mark.parametrize("app_config", [{"RECEIPT_BACKDATE_MAX_DAYS": 10}])
def test_the_hard_limit_is_a_setting(api_as, world, app_config):
    body = {**RECEIPT, "received_at": local(WEEKS_BACK), "received_at_reason": REASON}
    error = assert_error(api_as("po_supervisor").post("/dossiers", body), 422)
    assert "quá 10 ngày trước hôm nay" in error["fields"]["received_at"]


@pytest.mark.parametrize("app_config", [{"RECEIPT_BACKDATE_WORKING_DAYS": 0}])
def test_the_number_of_working_days_is_configurable(api_as, world, app_config):
    yesterday = local(utcnow() - timedelta(days=1))
    error = assert_error(
        api_as("po_clerk").post("/dossiers", {**RECEIPT, "received_at": yesterday}), 422
    )
    assert "không quá 0 ngày làm việc" in error["fields"]["received_at"]


def test_only_the_grid_grants_backdating(world):
    from permissions import DEFAULT_MATRIX

    assert "receive_backdated" in DEFAULT_MATRIX["po_supervisor"]["dossier"]
    assert "receive_backdated" not in DEFAULT_MATRIX["po_clerk"]["dossier"]


# -- the counter form ------------------------------------------------------------
def _field_error(page: str, field: str) -> str:
    """The message Flask-Admin shows under FIELD."""
    found = re.search(
        rf'id="{field}"[^>]*>(?:(?!form-group).)*?<div class="invalid-feedback">(.*?)</div>',
        page,
        re.S,
    )
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip() if found else ""


def _procedure_errors(page: str) -> dict:
    found = re.search(r'data-errors="([^"]*)"', page)
    return json.loads(found.group(1).replace("&#34;", '"').replace("&quot;", '"'))


def test_the_form_names_every_invalid_field_next_to_it(client, login_as, procedure):
    login_as("po_clerk")
    form = _form(
        procedure,
        applicant_name="",
        applicant_phone="0123",
        documents=[],
        extra_so_ban="nhiều",
        extra_kho="A3",
        extra_ngay=None,
        received_at="2024-03-11 09:00:00",
    )
    page = client.post("/admin/dossier/new/", data=form).get_data(as_text=True)
    assert "Trường này là bắt buộc." in _field_error(page, "applicant_name")
    assert "Số điện thoại phải là số di động 10 chữ số" in _field_error(page, "applicant_phone")
    assert _field_error(page, "return_method") == "Thủ tục này không trả kết quả qua bưu chính."
    assert "giám sát viên" in _field_error(page, "received_at")
    assert _procedure_errors(page) == {
        "documents": "Chưa nộp đủ giấy tờ: Đơn đề nghị.",
        "extra.so_ban": "Phải là một số.",
        "extra.kho": "Chọn một giá trị trong danh sách: A4, A5",
    }
    summary = re.sub(r"\s+", " ", page)
    for named in ("Số lượng bản in: Phải là một số.", "Khổ giấy: Chọn", "Chưa nộp đủ giấy tờ"):
        assert named in summary
    assert count_dossiers() == 0


def test_the_form_refuses_a_clerk_receipt_dated_weeks_back(client, login_as, procedure):
    login_as("po_clerk")
    form = _form(procedure, return_method="counter", received_at=f"{WEEKS_BACK:%Y-%m-%d %H:%M:%S}")
    form["received_at_reason"] = REASON
    page = client.post("/admin/dossier/new/", data=form).get_data(as_text=True)
    message = _field_error(page, "received_at")
    assert message.startswith("Chỉ được nhập hồ sơ tiếp nhận từ ngày")
    assert count_dossiers() == 0


def test_a_supervisor_backdates_through_the_form_with_a_reason(client, login_as, procedure):
    login_as("po_supervisor")
    form = _form(procedure, return_method="counter", received_at=f"{WEEKS_BACK:%Y-%m-%d %H:%M:%S}")
    page = client.post("/admin/dossier/new/", data=form).get_data(as_text=True)
    assert "vui lòng ghi lý do nhập muộn" in _field_error(page, "received_at_reason")
    assert count_dossiers() == 0
    response = client.post("/admin/dossier/new/", data={**form, "received_at_reason": REASON})
    assert response.status_code == 302
    dossier = db.session.scalar(select(Dossier))
    assert dossier.received_at == WEEKS_BACK
    assert dossier.fee_amount == 50_000 and dossier.documents_checked == ["Đơn đề nghị"]
    assert REASON in dossier.history[0].note
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "dossier"))
    assert entry.changes["after"]["received_at_reason"] == REASON
    assert entry.ip_address == "127.0.0.1"


def test_editing_keeps_the_by_post_rule(client, login_as, procedure, world):
    dossier = factories.make_dossier(procedure, world.users["po_clerk"])
    login_as("po_supervisor")
    page = client.get(f"/admin/dossier/edit/?id={dossier.id}").get_data(as_text=True)
    assert 'name="received_at"' not in page  # fixed at receipt
    version = re.search(r'name="version_seen"[^>]*value="(\d+)"', page).group(1)
    response = client.post(
        f"/admin/dossier/edit/?id={dossier.id}",
        data={
            "applicant_name": dossier.applicant_name,
            "return_method": "post",
            "version_seen": version,
        },
    )
    page = response.get_data(as_text=True)
    assert _field_error(page, "return_method") == "Thủ tục này không trả kết quả qua bưu chính."
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).return_method == "counter"


def test_the_panel_names_every_missing_result_field(client, login_as, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    dossier.status = "processing"
    db.session.commit()
    login_as("dept_admin")
    response = client.post(
        f"/admin/dossier/transition/?id={dossier.id}",
        data={"action": "complete", "version": str(dossier.version), "result_date": "hôm qua"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    for message in (
        "Vui lòng nhập số văn bản kết quả.",
        "Ngày của văn bản kết quả không hợp lệ (dd/mm/yyyy).",
        "Kết quả phải là chấp thuận",
    ):
        assert message in page
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).status == "processing"


def test_the_migration_grants_backdating_to_existing_supervisors(empty_database):
    """An installation whose roles predate the action gets it for po_supervisor only."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from tests.conftest import make_config

    app = create_app(make_config(empty_database))
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            for name in ("po_clerk", "po_supervisor"):
                conn.execute(text("INSERT INTO role (name, label) VALUES (:n, :n)"), {"n": name})
        upgrade()
        with db.engine.connect() as conn:
            granted = conn.execute(
                text(
                    "SELECT r.name FROM permission p JOIN role r ON r.id = p.role_id "
                    "WHERE p.action = 'receive_backdated'"
                )
            ).all()
        db.engine.dispose()
    assert granted == [("po_supervisor",)]


def test_shipping_keeps_the_by_post_rule(world, procedure):
    from services.dossiers import workflow
    from services.errors import Conflict

    procedure.postal_return = True
    dossier = factories.make_dossier(procedure, world.users["po_clerk"], return_method="post")
    dossier.status = "result_at_counter"
    procedure.postal_return = False  # IT staff withdrew it since
    db.session.commit()
    with pytest.raises(Conflict, match="không trả kết quả qua bưu chính"):
        workflow.ship(dossier, world.users["po_clerk"], tracking_code="EB123456785VN")


def test_a_typing_mistake_in_the_year_is_explained_not_a_500(client, login_as, procedure):
    login_as("po_supervisor")
    form = _form(procedure, return_method="counter", received_at="0001-01-01 00:00:00")
    page = client.post("/admin/dossier/new/", data={**form, "received_at_reason": REASON})
    assert page.status_code == 200
    assert "Năm tiếp nhận phải từ 2000" in _field_error(page.get_data(as_text=True), "received_at")
    assert count_dossiers() == 0
