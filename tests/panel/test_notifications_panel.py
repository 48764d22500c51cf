"""The applicant's channels at the counter, in the API and on the dossier's messages page;
the template editor's server-side check and preview."""

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, Dossier, NotificationTemplate, OutboxMessage
from services.integration.notify import templates
from tests import factories
from tests.api.test_api import RECEIPT, api_as  # noqa: F401 (the fixture)
from tests.panel.test_receive_form import _form, procedure  # noqa: F401 (the fixture)


def _dossier() -> Dossier:
    db.session.expire_all()
    return db.session.scalars(select(Dossier).order_by(Dossier.id.desc())).first()


def test_the_receipt_form_offers_the_channels(client, login_as, procedure):  # noqa: F811
    login_as("po_clerk")
    page = client.get("/admin/dossier/new/").get_data(as_text=True)
    for value, label in (("sms", "Tin nhắn SMS"), ("email", "Thư điện tử"), ("zalo", "Zalo")):
        assert f'value="{value}"' in page and label in page
    assert "notify.js" in page


def test_the_clerk_ticks_sms_and_email_at_receipt(client, login_as, procedure):  # noqa: F811
    login_as("po_clerk")
    response = client.post("/admin/dossier/new/", data=_form(procedure, notify=["sms", "email"]))
    assert response.status_code == 302, response.get_data(as_text=True)
    dossier = _dossier()
    assert dossier.notify_channels == ["sms", "email"]
    sinks = db.session.scalars(
        select(OutboxMessage.sink).where(OutboxMessage.kind == "notify").order_by(OutboxMessage.id)
    ).all()
    assert sinks == ["notify_sms", "notify_email"]  # written with the receipt, sent after it
    page = client.get(response.location).get_data(as_text=True)
    assert 'id="dossier-messages-link"' in page and "Tin nhắn SMS, Thư điện tử" in page


def test_no_tick_no_message(client, login_as, procedure):  # noqa: F811
    login_as("po_clerk")
    client.post("/admin/dossier/new/", data=_form(procedure))
    assert _dossier().notify_channels is None
    assert db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.kind == "notify")) is None


def test_email_without_an_address_is_refused_in_vietnamese(client, login_as, procedure):  # noqa: F811
    login_as("po_clerk")
    form = _form(procedure, notify=["email"], applicant_email=None)
    page = client.post("/admin/dossier/new/", data=form).get_data(as_text=True)
    assert "cần địa chỉ email" in page
    assert db.session.scalar(select(Dossier.id)) is None


def test_the_api_takes_notify_and_defaults_to_sms_by_post(api_as):  # noqa: F811
    api = api_as("po_clerk")
    body = api.post("/dossiers", {**RECEIPT, "return_method": "counter"}).get_json()
    assert body["notify"] == []
    body = api.post("/dossiers", {**RECEIPT, "return_method": "post"}).get_json()
    assert body["notify"] == ["sms"]
    chosen = {**RECEIPT, "notify": ["zalo", "email"], "applicant_email": "a@mail.vn"}
    body = api.post("/dossiers", chosen).get_json()
    assert body["notify"] == ["email", "zalo"]
    wrong = api.post("/dossiers", {**RECEIPT, "notify": ["fax"]})
    assert wrong.status_code == 422 and "notify" in wrong.get_json()["error"]["fields"]
    wrong = api.post("/dossiers", {**RECEIPT, "notify": "sms"})
    assert wrong.status_code == 400 and "notify" in wrong.get_json()["error"]["fields"]
    wrong = api.post("/dossiers", {**RECEIPT, "notify": ["sms\x00"]})
    assert wrong.status_code == 400


@pytest.fixture
def dossier(world):
    return factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        applicant_email="thuan@example.vn",
        notify_channels=["sms"],
    )


def test_the_messages_page_lists_and_changes_the_choice(client, login_as, dossier):
    login_as("po_clerk")
    factories.run_workers()  # development mode: recorded, not sent
    page = client.get(f"/admin/dossier/messages/?id={dossier.id}").get_data(as_text=True)
    assert "09xxxxx678" in page and "Ghi lại (chế độ phát triển)" in page
    assert 'id="consent-form"' in page
    refused = client.post(
        f"/admin/dossier/messages/consent/?id={dossier.id}", data={"notify": ["email"]}
    )
    assert refused.status_code == 302
    assert "Hãy ghi lý do" in client.get(refused.location).get_data(as_text=True)
    response = client.post(
        f"/admin/dossier/messages/consent/?id={dossier.id}",
        data={"notify": ["email"], "reason": "Người nộp đổi sang nhận thư"},
    )
    assert "Người nộp nhận tin qua: Thư điện tử." in client.get(response.location).get_data(
        as_text=True
    )
    assert _dossier().notify_channels == ["email"]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "notify_consent")
    ).one()
    assert "Người nộp đổi sang nhận thư" in entry.summary
    assert entry.changes == {"before": {"notify": ["sms"]}, "after": {"notify": ["email"]}}


def test_out_of_scope_messages_answer_404_and_readers_cannot_change(client, login_as, dossier):
    login_as("po_clerk2")
    assert client.get(f"/admin/dossier/messages/?id={dossier.id}").status_code == 404
    login_as("viewer")
    page = client.get(f"/admin/dossier/messages/?id={dossier.id}").get_data(as_text=True)
    assert 'id="consent-form"' not in page
    response = client.post(
        f"/admin/dossier/messages/consent/?id={dossier.id}",
        data={"notify": [], "reason": "x"},
    )
    assert "không được đổi kênh" in client.get(response.location).get_data(as_text=True)
    assert _dossier().notify_channels == ["sms"]


@pytest.fixture
def sms_template(app):
    templates.ensure_defaults()
    db.session.commit()
    return db.session.scalars(
        select(NotificationTemplate).where(
            NotificationTemplate.event == "received", NotificationTemplate.channel == "sms"
        )
    ).one()


def test_it_edits_a_template_and_the_server_refuses_a_long_or_accented_sms(
    client, login_as, sms_template
):
    login_as("it_admin")
    url = f"/admin/notification_template/edit/?id={sms_template.id}"
    page = client.get(url).get_data(as_text=True)
    assert "{ma_ho_so}" in page and 'id="sms-counter"' in page and "Xem trước" in page
    form = {"active": "y", "body": "Hồ sơ {ma_ho_so} đã tiếp nhận", "provider_template": ""}
    page = client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert "không dấu" in page
    form["body"] = "Ho so {ma_ho_so} " + "x" * 150
    page = client.post(url, data=form, follow_redirects=True).get_data(as_text=True)
    assert "quá 160 ký tự" in page
    db.session.expire_all()
    assert "Hồ sơ" not in sms_template.body and "x" * 150 not in sms_template.body
    form["body"] = "Ho so {ma_ho_so} da nhan. Hen tra {hen_tra}."
    assert client.post(url, data=form).status_code == 302
    db.session.expire_all()
    assert sms_template.body == form["body"]


def test_the_preview_answers_the_sample_and_the_problems(client, login_as, sms_template):
    login_as("it_admin")
    answer = client.post(
        "/admin/notification_template/preview/",
        data={"channel": "sms", "body": "Ho so {ma_ho_so} đã nhận"},
    ).get_json()
    assert answer["text"].startswith("Ho so 000.00.15.H55-260305-0012")
    assert "đ ã" in answer["problems"]["body"]
    login_as("po_clerk")
    assert client.post("/admin/notification_template/preview/", data={}).status_code == 403
