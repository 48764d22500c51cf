"""The three notification sinks' delivery: consent, quiet hours, rate limit, send, log.

Each outbox row is one message (event × channel). Before sending, the row's log entry
is committed as ``sending``; after the provider answers, as ``sent`` (or why not). A
worker killed between the provider's answer and our commit leaves ``sending``: the
next attempt counts it as unsure and sends once more (Zalo's ``tracking_id`` and the
SMS ``request_id`` are the same key, so a provider that dedupes drops it); after two
unsure attempts the row stops rather than risk a third message. A log already final
(a worker killed after our commit) sends nothing again. Unconfigured providers run in
development mode: the message is recorded, not sent, and shown on the outbox screen.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import insert, select, update

from extensions import db
from models.base import utcnow
from models.delivery import DeliveryOrder
from models.dossier import STATUSES, Dossier
from models.notification import EVENT_BY_NAME, NotificationLog
from services.calendar import LOCAL_TZ
from services.integration.notify import log, providers, templates
from services.integration.outbox import (
    Batch,
    Claimed,
    Done,
    Later,
    Outcome,
    Terminal,
    mask_personal,
)

SINKS = {"sms": "notify_sms", "email": "notify_email", "zalo": "notify_zalo"}
CHANNEL_OF_SINK = {sink: channel for channel, sink in SINKS.items()}
TRACKING_EVENTS = ("shipped", "delivered", "returned_to_sender")
FINAL = ("sent", "recorded", "skipped", "failed")
UNSURE_MAX = 2
CONFIG_KEYS = {"sms": "SMS_GATEWAY_URL", "email": "SMTP_URL", "zalo": "ZALO_ZNS_URL"}


def configured(channel: str, config) -> bool:
    """Whether CHANNEL talks to a real provider (else: development recording mode)."""
    return bool(config.get(CONFIG_KEYS[channel]))


def always(_config) -> bool:
    """The sinks always take rows: unconfigured, they record what they would send."""
    return True


@dataclass(frozen=True)
class Context:
    """What one message needs, read in one short transaction."""

    code: str
    consent: tuple[str, ...]
    phone: str | None
    email: str | None
    values: dict[str, str]
    template: object
    log_result: str | None
    unsure: int


def _local(instant: datetime | None) -> str:
    return instant.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y") if instant else ""


def _read(row: Claimed, event: str, channel: str) -> Context | None:
    dossier = db.session.scalars(select(Dossier).where(Dossier.id == row.dossier_id)).first()
    if dossier is None:
        db.session.rollback()
        return None
    tracking = ""
    if event in TRACKING_EVENTS:
        tracking = (
            db.session.scalar(
                select(DeliveryOrder.tracking_code)
                .where(DeliveryOrder.dossier_id == dossier.id)
                .order_by(DeliveryOrder.id.desc())
                .limit(1)
            )
            or ""
        )
    values = {
        "ma_ho_so": dossier.code,
        "thu_tuc": dossier.procedure_type.name,
        "ngay_tiep_nhan": _local(dossier.received_at),
        "hen_tra": _local(dossier.due_at),
        "ma_buu_gui": tracking,
        "trang_thai": STATUSES.vi(dossier.status),
        "sdt_trung_tam": current_app.config.get("NOTIFY_CENTER_PHONE") or "",
    }
    template = templates.template_for(event, channel)
    previous = db.session.execute(
        select(NotificationLog.result, NotificationLog.unsure).where(
            NotificationLog.outbox_key == row.idempotency_key
        )
    ).first()
    context = Context(
        code=dossier.code,
        consent=tuple(dossier.notify_channels or ()),
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        values=values,
        template=template,
        log_result=previous[0] if previous else None,
        unsure=previous[1] if previous else 0,
    )
    if template is not None:
        db.session.expunge(template)
    db.session.rollback()
    return context


def _write_log(row: Claimed, event: str, channel: str, exists: bool, **values) -> None:
    session = db.session
    try:
        if exists:
            session.execute(
                update(NotificationLog)
                .where(NotificationLog.outbox_key == row.idempotency_key)
                .values(**values)
            )
        else:
            session.execute(
                insert(NotificationLog).values(
                    outbox_key=row.idempotency_key,
                    dossier_id=row.dossier_id,
                    event=event,
                    channel=channel,
                    created_at=utcnow(),
                    **values,
                )
            )
        session.commit()
    except BaseException:
        session.rollback()
        raise


def quiet_until(now: datetime, config) -> datetime | None:
    """The end of the SMS quiet hours (SMS_QUIET_HOURS, local) when NOW is inside, else None."""
    spec = config.get("SMS_QUIET_HOURS") or ""
    if not spec:
        return None
    start_text, end_text = spec.split("-")
    start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    local = now.astimezone(LOCAL_TZ)
    clock = local.time()
    inside = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=LOCAL_TZ)


def _hold(channel: str, recipient: str, now: datetime, config) -> Later | None:
    """Quiet hours and the per-recipient rate limit of SMS: when to try again, or None."""
    if channel != "sms":
        return None
    morning = quiet_until(now, config)
    if morning is not None:
        return Later(morning, f"Giờ yên lặng: tin SMS chờ đến {morning:%H:%M %d/%m/%Y}.")
    limit = int(config.get("SMS_PER_PHONE_PER_HOUR") or 0)
    if (
        limit
        and log.sent_lately(log.recipient_key(recipient), channel, now - timedelta(hours=1))
        >= limit
    ):
        db.session.rollback()
        return Later(now + timedelta(minutes=10), f"Quá {limit} tin SMS một giờ cho một số máy.")
    db.session.rollback()
    return None


def _attachment(event: str, channel: str, context: Context):
    if channel != "email" or event != "received":
        return None
    from services.integration.notify.receipt import receipt_attachment

    return receipt_attachment(context.values)


def _send(channel: str, row: Claimed, rendered, recipient: str, attachment, config):
    if not configured(channel, config):
        return providers.Reply(Done(), f"dev-{row.id}")
    if channel == "email":
        message = providers.email_message(
            config,
            recipient,
            rendered.subject or "",
            rendered.text,
            row.idempotency_key,
            attachment,
        )
        return providers.send_email(config, message)
    if channel == "sms":
        return providers.send_sms(
            config,
            recipient,
            rendered.text,
            rendered.provider_template,
            rendered.params,
            row.idempotency_key,
        )
    return providers.send_zalo(
        config, recipient, rendered.provider_template, rendered.params, row.idempotency_key
    )


def deliver_one(channel: str, row: Claimed) -> Outcome:
    """Send ROW's message on CHANNEL once (see the module's note)."""
    config = current_app.config
    event = (row.payload or {}).get("event")
    if event not in EVENT_BY_NAME or row.dossier_id is None:
        return Terminal(f"Sự kiện không có: {event}.")
    context = _read(row, event, channel)
    if context is None:
        return Terminal(f"Không còn hồ sơ #{row.dossier_id}.")
    exists = context.log_result is not None
    if context.log_result in FINAL:
        return Done()  # answered and recorded before: never a second message
    recipient = context.email if channel == "email" else context.phone
    if channel not in context.consent or not recipient:
        why = (
            "Người nộp không chọn nhận tin qua kênh này." if recipient else "Không có địa chỉ nhận."
        )
        _write_log(row, event, channel, exists, result="skipped", detail=why)
        return Done()
    now = utcnow()
    held = _hold(channel, recipient, now, config)
    if held is not None:
        return held
    unsure = context.unsure + (1 if context.log_result == "sending" else 0)
    who = {"recipient": log.mask(channel, recipient), "recipient_key": log.recipient_key(recipient)}
    rendered = templates.render(context.template, event, channel, context.values)
    if unsure >= UNSURE_MAX:
        why = "Hai lần gửi không rõ kết quả: ngừng gửi để người nộp không nhận trùng tin."
        _write_log(row, event, channel, exists, result="failed", detail=why, unsure=unsure, **who)
        return Terminal(why)
    _write_log(
        row,
        event,
        channel,
        exists,
        result="sending",
        unsure=unsure,
        template_id=rendered.template_id,
        **who,
    )
    reply = _send(channel, row, rendered, recipient, _attachment(event, channel, context), config)
    outcome = reply.outcome
    if isinstance(outcome, Done):
        dev = not configured(channel, config)
        preview = (f"{rendered.subject}\n\n" if rendered.subject else "") + rendered.text
        _write_log(
            row,
            event,
            channel,
            True,
            result="recorded" if dev else "sent",
            provider_message_id=(reply.message_id or "")[:120] or None,
            preview=preview if dev else None,
            sent_at=utcnow(),
            detail=None,
        )
        return outcome
    detail = mask_personal(getattr(outcome, "error", ""))
    if isinstance(outcome, Terminal):
        _write_log(row, event, channel, True, result="failed", detail=detail)
    elif reply.answered:  # a definite refusal: the next attempt is no duplicate
        _write_log(row, event, channel, True, result="retrying", detail=detail)
    else:  # no answer: it may have gone; the next attempt is an unsure one
        _write_log(row, event, channel, True, detail=detail)
    return outcome


def deliver(channel: str, batch: Batch) -> Outcome:
    outcome: Outcome = Done()
    for row in batch.rows:
        outcome = deliver_one(channel, row)
        if not isinstance(outcome, Done):
            return outcome
    return outcome


def deliver_sms(batch: Batch) -> Outcome:
    return deliver("sms", batch)


def deliver_email(batch: Batch) -> Outcome:
    return deliver("email", batch)


def deliver_zalo(batch: Batch) -> Outcome:
    return deliver("zalo", batch)
