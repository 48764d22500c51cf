"""Messages to applicants through the outbox, against a real SMTP server (aiosmtpd) and real
HTTP gateways on 127.0.0.1 (SMS brandname, Zalo ZNS), with scripted failures."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import NotificationLog, OutboxMessage
from models.base import utcnow
from services.calendar import LOCAL_TZ
from services.dossiers import consent, workflow
from services.errors import ValidationFailed
from services.integration.notify import deliver as notify_deliver
from services.integration.notify import log as message_log
from services.integration.notify import templates
from services.transactions import transaction
from tests import factories
from tests.fake_gateways import (
    SMS_PASSWORD,
    SMS_USER,
    ZALO_TOKEN,
    SmtpServer,
    pdf_text,
)

ID_NUMBER, NAME, STREET = "019201012345", "Trần Thị Bích Ngọc", "Số 17 ngõ 42 đường Phan Đình Phùng"


def provider_config(sms, zalo, smtp, **overrides) -> dict:
    return {
        "SMS_GATEWAY_URL": sms.url,
        "SMS_USERNAME": SMS_USER,
        "SMS_PASSWORD": SMS_PASSWORD,
        "SMS_BRANDNAME": "BUUDIEN-TN",
        "ZALO_ZNS_URL": zalo.url,
        "ZALO_ACCESS_TOKEN": ZALO_TOKEN,
        "SMTP_URL": smtp.url,
        "MAIL_FROM": "motcua@buudien-tn.vn",
        "NOTIFY_TIMEOUT_SECONDS": 2,
        "OUTBOX_BACKOFF_SECONDS": 0.01,
        **overrides,
    }


@pytest.fixture
def app_config(sms, zalo, smtp):
    return provider_config(sms, zalo, smtp)


def received(world, channels=("sms", "email"), **fields):
    fields.setdefault("applicant_email", "ngoc.tran@mail.vn")
    return factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk"],
        applicant=NAME,
        received_at=utcnow(),
        applicant_id_number=ID_NUMBER,
        applicant_street=STREET,
        notify_channels=list(channels) or None,
        **fields,
    )


def to_processing(dossier, world):
    with transaction():
        workflow.move(
            dossier,
            "handover_to_department",
            workflow.SYSTEM_MOVES["handover_to_department"],
            world.users["dept_admin"],
        )


def ask_supplement(dossier, world):
    with transaction():
        workflow.transition(
            dossier, "request_supplement", world.users["dept_admin"], note="Thiếu bản sao CCCD"
        )


def logs(**where) -> list[NotificationLog]:
    db.session.expire_all()
    query = select(NotificationLog).order_by(NotificationLog.id)
    for name, value in where.items():
        query = query.where(getattr(NotificationLog, name) == value)
    return list(db.session.scalars(query))


def outbox_rows(sink: str) -> list[OutboxMessage]:
    db.session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.sink == sink).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def test_each_event_goes_on_the_chosen_channels_only(world, sms, zalo, smtp):
    dossier = received(world)
    assert factories.run_workers() >= 2
    assert [b["phone"] for b in sms.received] == ["0912345678"]
    assert sms.received[0]["message"].startswith(f"Ho so {dossier.code} da duoc tiep nhan")
    assert len(sms.received[0]["message"]) <= 160
    assert sms.received[0]["request_id"].startswith("notify_sms:")
    assert sms.received[0]["brandname"] == "BUUDIEN-TN"
    assert zalo.received == []  # not chosen
    [(to, message)] = smtp.messages
    assert to == ["ngoc.tran@mail.vn"]
    assert message["Subject"] == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    [receipt] = message.iter_attachments()
    assert receipt.get_filename() == f"giay-tiep-nhan-{dossier.code}.pdf"
    assert receipt.get_content_type() == "application/pdf"
    text = pdf_text(receipt.get_payload(decode=True))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and dossier.code in text
    assert dossier.procedure_type.name in " ".join(text.split())
    to_processing(dossier, world)  # no message for a handover
    ask_supplement(dossier, world)
    factories.run_workers()
    assert len(sms.received) == 2 and "can bo sung" in sms.received[1]["message"]
    assert len(smtp.messages) == 2
    sent = logs(result="sent")
    assert [(r.event, r.channel) for r in sent] == [
        ("received", "sms"),
        ("received", "email"),
        ("supplement_requested", "sms"),
        ("supplement_requested", "email"),
    ]
    assert {r.recipient for r in sent} == {"09xxxxx678", "n***@mail.vn"}
    assert all(r.provider_message_id for r in sent)
    factories.run_workers()
    assert len(sms.received) == 2 and len(smtp.messages) == 2  # none twice


def test_zalo_carries_the_outbox_key_as_tracking_id(world, zalo):
    dossier = received(world, channels=("zalo",))
    factories.run_workers()
    [body] = zalo.received
    assert body["phone"] == "84912345678"
    assert body["template_id"] == "zns_received"
    assert body["template_data"]["ma_ho_so"] == dossier.code
    [row] = outbox_rows("notify_zalo")
    assert body["tracking_id"] == row.idempotency_key
    assert zalo.headers[0]["access_token"] == ZALO_TOKEN


def test_withdrawn_consent_stops_the_next_message_even_when_queued(world, sms, smtp):
    dossier = received(world)
    factories.run_workers()
    to_processing(dossier, world)
    ask_supplement(dossier, world)  # rows queued for SMS and email
    with transaction():
        consent.change(
            dossier, ["email"], "Người nộp gọi điện xin thôi nhận SMS", world.users["po_clerk"]
        )
    factories.run_workers()
    assert len(sms.received) == 1  # the receipt only
    assert len(smtp.messages) == 2
    [skipped] = logs(result="skipped")
    assert (skipped.event, skipped.channel) == ("supplement_requested", "sms")


def test_a_step_after_withdrawal_writes_no_row(world, sms):
    dossier = received(world, channels=("sms",))
    with transaction():
        consent.change(dossier, [], "Không muốn nhận tin", world.users["po_clerk"])
    factories.run_workers()
    to_processing(dossier, world)
    ask_supplement(dossier, world)
    assert len(outbox_rows("notify_sms")) == 1  # the receipt's, skipped at send time
    assert sms.received == []


def test_consent_change_needs_a_reason_a_phone_and_the_right(world):
    dossier = received(world, channels=())
    with pytest.raises(ValidationFailed, match="lý do"):
        consent.change(dossier, ["sms"], " ", world.users["po_clerk"])
    with pytest.raises(ValidationFailed, match="email"):
        no_mail = received(world, channels=(), applicant_email=None)
        consent.change(no_mail, ["email"], "Muốn nhận thư", world.users["po_clerk"])
    with pytest.raises(ValidationFailed, match="không có"):
        consent.change(dossier, ["fax"], "x", world.users["po_clerk"])
    from services.errors import Forbidden

    with pytest.raises(Forbidden):
        consent.change(dossier, ["sms"], "x", world.users["viewer"])


@pytest.fixture
def quiet_now(app):
    """Quiet hours that hold now (a one-hour window around the local time)."""
    local = utcnow().astimezone(LOCAL_TZ)
    start = (local - timedelta(minutes=30)).strftime("%H:%M")
    end = (local + timedelta(minutes=30)).strftime("%H:%M")
    app.config["SMS_QUIET_HOURS"] = f"{start}-{end}"
    return datetime.combine(
        (local + timedelta(minutes=30)).date(),
        datetime.strptime(end, "%H:%M").time(),
        tzinfo=LOCAL_TZ,
    )


def test_quiet_hours_defer_sms_to_their_end_and_not_email(world, sms, smtp, quiet_now):
    received(world)
    factories.run_workers()
    assert sms.received == [] and len(smtp.messages) == 1
    [row] = outbox_rows("notify_sms")
    assert row.status == "pending" and row.attempts == 0
    assert row.next_attempt_at == quiet_now
    assert "Giờ yên lặng" in row.last_error


def test_quiet_hours_by_default_are_nine_pm_to_seven_am():
    config = {"SMS_QUIET_HOURS": "21:00-07:00"}
    late = datetime(2026, 3, 10, 22, 15, tzinfo=LOCAL_TZ)
    early = datetime(2026, 3, 11, 6, 59, tzinfo=LOCAL_TZ)
    day = datetime(2026, 3, 11, 7, 0, tzinfo=LOCAL_TZ)
    morning = datetime(2026, 3, 11, 7, 0, tzinfo=LOCAL_TZ)
    assert notify_deliver.quiet_until(late, config) == morning
    assert notify_deliver.quiet_until(early, config) == morning
    assert notify_deliver.quiet_until(day, config) is None


def test_per_phone_rate_limit_defers_the_rest(app, world, sms):
    app.config["SMS_PER_PHONE_PER_HOUR"] = 2
    for _ in range(3):
        received(world, channels=("sms",))
    factories.run_workers()
    assert len(sms.received) == 2
    waiting = [r for r in outbox_rows("notify_sms") if r.status == "pending"]
    assert len(waiting) == 1 and "một giờ" in waiting[0].last_error
    assert waiting[0].next_attempt_at > utcnow() + timedelta(minutes=5)


@pytest.mark.parametrize("failure", [500, 503, 429])
def test_transient_gateway_errors_are_retried(world, sms, failure):
    sms.fail(failure, times=2)
    received(world, channels=("sms",))
    for _ in range(5):
        factories.run_workers()
        db.session.execute(
            OutboxMessage.__table__.update()
            .values(next_attempt_at=utcnow())
            .where(OutboxMessage.status == "pending")
        )
        db.session.commit()
    assert len(sms.received) == 1
    [row] = outbox_rows("notify_sms")
    assert row.status == "done" and row.attempts == 2
    [entry] = logs()
    assert entry.result == "sent" and entry.unsure == 0  # refusals are no duplicates


def test_a_refusal_is_terminal(world, sms, zalo):
    sms.fail("refused")
    zalo.fail("refused")
    received(world, channels=("sms", "zalo"))
    factories.run_workers()
    assert {r.status for r in outbox_rows("notify_sms") + outbox_rows("notify_zalo")} == {"dead"}
    assert {r.result for r in logs()} == {"failed"}
    assert sms.received == [] and zalo.received == []


def test_an_expired_zalo_token_is_retried_not_dropped(app, world, zalo):
    app.config["ZALO_ACCESS_TOKEN"] = "expired"
    received(world, channels=("zalo",))
    factories.run_workers()
    [row] = outbox_rows("notify_zalo")
    assert row.status == "pending" and "-124" in row.last_error


def test_a_slow_answer_is_an_unsure_attempt_sent_at_most_once_more(app, world, sms):
    app.config["OUTBOX_BACKOFF_SECONDS"] = 60  # the test says when the next attempt comes
    sms.hold = 3  # recorded, then answered after the client's 2 s
    received(world, channels=("sms",))
    factories.run_workers()
    assert len(sms.received) == 1
    [entry] = logs()
    assert entry.result == "sending"  # no answer: it may have gone
    sms.hold = 0
    for _ in range(3):
        db.session.execute(
            OutboxMessage.__table__.update()
            .values(next_attempt_at=utcnow())
            .where(OutboxMessage.status == "pending")
        )
        db.session.commit()
        factories.run_workers()
    assert len(sms.received) == 2  # at most one duplicate
    assert len(set(sms.keys())) == 1  # the same request_id: a deduping gateway drops it
    [entry] = logs()
    assert entry.result == "sent" and entry.unsure == 1


def test_two_unsure_attempts_stop_rather_than_risk_a_third(app, world, sms):
    app.config["OUTBOX_BACKOFF_SECONDS"] = 60
    sms.hold = 3
    received(world, channels=("sms",))
    for _ in range(4):
        db.session.execute(
            OutboxMessage.__table__.update()
            .values(next_attempt_at=utcnow())
            .where(OutboxMessage.status == "pending")
        )
        db.session.commit()
        factories.run_workers()
    assert len(sms.received) == 2
    [row] = outbox_rows("notify_sms")
    assert row.status == "dead" and "trùng" in row.last_error


def test_a_worker_lost_after_our_commit_sends_nothing_again(world, sms):
    received(world, channels=("sms",))
    factories.run_workers()
    [row] = outbox_rows("notify_sms")
    # As if the worker died after writing the log but before the outbox row was finished.
    db.session.execute(
        OutboxMessage.__table__.update()
        .values(status="pending", next_attempt_at=utcnow(), done_at=None)
        .where(OutboxMessage.id == row.id)
    )
    db.session.commit()
    factories.run_workers()
    assert len(sms.received) == 1
    assert outbox_rows("notify_sms")[0].status == "done"


def test_smtp_refusals_are_classified(world, smtp):
    smtp.refuse = "451 4.3.0 Thử lại sau"
    received(world, channels=("email",))
    factories.run_workers()
    [row] = outbox_rows("notify_email")
    assert row.status == "pending" and "451" in row.last_error
    smtp.refuse = "550 5.1.1 Không có hộp thư"
    db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=utcnow()))
    db.session.commit()
    factories.run_workers()
    assert outbox_rows("notify_email")[0].status == "dead"
    assert smtp.messages == []


def test_wrong_smtp_password_is_retried_and_never_logged(app, world, smtp):
    app.config["SMTP_URL"] = smtp.url.replace("smtp-secret-pw", "wrong-pw")
    received(world, channels=("email",))
    factories.run_workers()
    [row] = outbox_rows("notify_email")
    assert row.status == "pending" and "máy chủ thư" in row.last_error
    assert "wrong-pw" not in row.last_error and "wrong-pw" not in str(logs()[0].detail)


def test_no_personal_id_name_or_street_in_any_body_or_log(world, sms, zalo, smtp):
    dossier = received(world, channels=("sms", "email", "zalo"))
    to_processing(dossier, world)
    ask_supplement(dossier, world)
    with transaction():
        workflow.transition(dossier, "supplement_received", world.users["dept_admin"])
        workflow.transition(
            dossier,
            "apologize",
            world.users["dept_admin"],
            note=f"Chờ xác minh tại {STREET}",
            new_due_at=dossier.due_at + timedelta(days=5),
        )
    factories.run_workers()
    sent = sms.texts() + zalo.texts() + smtp.texts() + smtp.bodies()
    assert len(sms.received) == 3 and len(zalo.received) == 3 and len(smtp.messages) == 3
    columns = NotificationLog.__table__.columns
    log_text = [
        str(value)
        for row in db.session.execute(select(*columns)).all()
        for value in row
        if value is not None
    ]
    assert log_text
    for text in sent + log_text:
        for secret in (ID_NUMBER, NAME, STREET, SMS_PASSWORD, ZALO_TOKEN, "smtp-secret-pw"):
            assert secret not in text, (secret, text[:200])


def test_development_mode_records_what_it_would_send(app, world, client, login_as):
    for key in ("SMS_GATEWAY_URL", "SMTP_URL", "ZALO_ZNS_URL"):
        app.config[key] = None
    dossier = received(world, channels=("sms", "email"))
    factories.run_workers()
    recorded = logs(result="recorded")
    assert len(recorded) == 2
    assert dossier.code in recorded[0].preview and recorded[0].provider_message_id.startswith(
        "dev-"
    )
    login_as("it_admin")
    page = client.get("/admin/outbox/?channel=sms&result=recorded").get_data(as_text=True)
    assert "notify-dev-mode" in page and dossier.code in page
    assert "n***@mail.vn" not in page  # filtered to SMS
    page = client.get("/admin/outbox/?channel=email").get_data(as_text=True)
    assert "n***@mail.vn" in page and "09xxxxx678" not in page


def test_sms_templates_are_refused_when_too_long_or_accented():
    with pytest.raises(ValidationFailed, match="quá 160"):
        templates.check("sms", "Ho so {ma_ho_so} " + "x" * 140, None)
    with pytest.raises(ValidationFailed, match="không dấu"):
        templates.check("sms", "Hồ sơ {ma_ho_so} đã tiếp nhận", None)
    with pytest.raises(ValidationFailed, match="so_cccd"):
        templates.check("sms", "Ho so {ma_ho_so} {so_cccd}", None)
    with pytest.raises(ValidationFailed, match="tiêu đề"):
        templates.check("email", "Hồ sơ {ma_ho_so}", "")
    templates.check("email", "Hồ sơ {ma_ho_so} đã được tiếp nhận", "Hồ sơ {ma_ho_so}")


def test_every_default_sms_fits_one_segment_in_gsm7():
    from models.notification import EVENTS
    from models.notification_texts import default_row

    for event in EVENTS:
        for channel in ("sms", "email", "zalo"):
            row = default_row(event.value, channel)
            assert templates.problems(channel, row["body"], row["subject"]) == {}, event


def test_preview_fills_the_sample_and_counts():
    shown = templates.preview("sms", "Ho so {ma_ho_so}, hen tra {hen_tra}", None)
    assert shown["text"] == "Ho so 000.00.15.H55-260305-0012, hen tra 16:00 12/03/2026"
    assert shown["length"] == len("Ho so , hen tra ") + 30 + 16
    assert shown["problems"] == {}


def test_the_log_is_purged_after_its_days(app, world):
    received(world, channels=("sms",))
    app.config["SMS_GATEWAY_URL"] = None
    factories.run_workers()
    assert len(logs()) == 1
    with transaction():
        assert message_log.purge(now=utcnow() + timedelta(days=364)) == 0
    with transaction():
        assert message_log.purge(now=utcnow() + timedelta(days=366)) == 1
    assert logs() == []


def test_masking():
    assert message_log.mask_phone("0912345123") == "09xxxxx123"
    assert message_log.mask_email("hoa@mail.vn") == "h***@mail.vn"


def test_result_parcel_and_refusal_steps(app, world, sms):
    from datetime import date

    from services.delivery import events as delivery_events
    from services.delivery.events import Event

    app.config["SMS_PER_PHONE_PER_HOUR"] = 0  # one phone for all: no limit here
    clerk, dept = world.users["po_clerk"], world.users["dept_admin"]
    at_counter = received(world, channels=("sms",))
    by_post = received(world, channels=("sms",), return_method="post")
    for dossier in (at_counter, by_post):
        factories.confirm_handover(factories.make_handover([dossier], clerk), dept)
        result = workflow.Result(number="12/GP", date=date(2026, 3, 12), outcome="granted")
        with transaction():
            workflow.transition(dossier, "complete", dept, result=result)
        back = factories.make_handover([dossier], dept, direction="to_post_office")
        factories.confirm_handover(back, clerk)
    order = factories.ship_result(by_post, clerk, tracking_code="EB123456785VN")
    steps = ("accepted", "in_transit", "out_for_delivery", "delivered")
    for hours, status in zip((30, 20, 10, 1), steps, strict=True):
        with transaction():
            at = utcnow() - timedelta(hours=hours)
            delivery_events.record_event(order, Event(status, at), clerk)
    refused = received(world, channels=("sms",))
    with transaction():
        workflow.transition(refused, "refuse", clerk, note="Thiếu giấy tờ")
    factories.run_workers()
    by_code = {}
    for body in sms.received:
        by_code.setdefault(body["params"]["ma_ho_so"], []).append(body["message"])
    assert [m.split(" da ")[0] for m in by_code[at_counter.code]] == [
        f"Ho so {at_counter.code}",  # received
        f"Ho so {at_counter.code}",  # result at the counter
    ]
    assert "da co ket qua" in by_code[at_counter.code][1]
    post = by_code[by_post.code]
    assert len(post) == 3  # received, shipped, delivered: no "at the counter" for a parcel
    assert "ma buu gui EB123456785VN" in post[1] and "(buu gui EB123456785VN)" in post[2]
    assert "chua du dieu kien tiep nhan" in by_code[refused.code][1]


def test_the_cli_purges_the_log_and_adds_missing_templates(app, world, runner):
    from models import NotificationTemplate

    received(world, channels=("sms",))
    app.config["SMS_GATEWAY_URL"] = None
    factories.run_workers()
    result = runner.invoke(args=["notifications", "purge", "--days", "0"])
    assert result.exit_code == 0 and "Removed 1 message-log rows." in result.output
    assert logs() == []
    result = runner.invoke(args=["notifications", "ensure-templates"])
    assert result.exit_code == 0 and "Added 24 templates." in result.output
    assert db.session.query(NotificationTemplate).count() == 24
    assert "Added 0 templates." in runner.invoke(args=["notifications", "ensure-templates"]).output


def test_an_inactive_template_skips_its_event(world, sms):
    from models import NotificationTemplate

    templates.ensure_defaults()
    db.session.commit()
    row = db.session.scalars(
        select(NotificationTemplate).where(
            NotificationTemplate.event == "received", NotificationTemplate.channel == "sms"
        )
    ).one()
    row.active = False
    db.session.commit()
    received(world, channels=("sms",))
    factories.run_workers()
    assert sms.received == []
    [entry] = logs()
    assert entry.result == "skipped" and "tắt" in entry.detail


def test_the_outbox_screen_lists_only_the_messages_in_scope(app, world, client, login_as):
    app.config["SMS_GATEWAY_URL"] = None
    ours = received(world, channels=("sms",))
    theirs = factories.make_dossier(
        world.procedures["publish"],
        world.users["po_clerk2"],
        received_at=utcnow(),
        applicant_phone="0987654321",
        notify_channels=["sms"],
    )
    factories.run_workers()
    login_as("po_supervisor")
    page = client.get("/admin/outbox/?channel=sms").get_data(as_text=True)
    assert ours.code in page and theirs.code not in page
    assert "09xxxxx321" not in page
    login_as("it_admin")
    page = client.get("/admin/outbox/?channel=sms").get_data(as_text=True)
    assert ours.code in page and theirs.code in page


def test_starttls_when_the_server_offers_it(app, world, tmp_path, monkeypatch):
    from tests.fake_gateways import self_signed

    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # our test CA, as a real one would be trusted
    server = SmtpServer(tls=(cert, key)).start()
    try:
        app.config["SMTP_URL"] = server.url  # AUTH and mail only after STARTTLS here
        received(world, channels=("email",))
        factories.run_workers()
        assert len(server.messages) == 1
        assert [r.result for r in logs()] == ["sent"]
    finally:
        server.stop()
