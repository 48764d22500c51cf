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

from datetime import datetime, time, timedelta

from flask import current_app

from extensions import db
from models.base import utcnow
from models.notification import EVENT_BY_NAME
from services.calendar import LOCAL_TZ
from services.integration.notify import log, providers, record, templates
from services.integration.notify.receipt import receipt_attachment
from services.integration.notify.record import Context
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
FINAL = ("sent", "recorded", "skipped", "failed")
UNSURE_MAX = 2
CONFIG_KEYS = {"sms": "SMS_GATEWAY_URL", "email": "SMTP_URL", "zalo": "ZALO_ZNS_URL"}


def configured(channel: str, config) -> bool:
    """Whether CHANNEL talks to a real provider (else: development recording mode)."""
    return bool(config.get(CONFIG_KEYS[channel]))


def always(_config) -> bool:
    """The sinks always take rows: unconfigured, they record what they would send."""
    return True


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
    if not limit:
        return None
    since = now - timedelta(hours=1)
    sent = log.sent_lately(log.recipient_key(recipient), channel, since)
    if sent >= limit:
        return Later(now + timedelta(minutes=10), f"Quá {limit} tin SMS một giờ cho một số máy.")
    return None


def _attachment(event: str, channel: str, context: Context):
    """The receipt, for the «received» email only."""
    if channel != "email" or event != "received":
        return None
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


def _precheck(channel: str, row: Claimed, batch: Batch) -> tuple[str, Context] | Outcome:
    """(event, context) of a message to send now, or the outcome that ends it here."""
    event = (row.payload or {}).get("event")
    if event not in EVENT_BY_NAME or row.dossier_id is None:
        return Terminal(f"Sự kiện không có: {event}.")
    context = record.read(row, event, channel)
    if context is None:
        return Terminal(f"Không còn hồ sơ #{row.dossier_id}.")
    if context.log_result in FINAL:
        db.session.rollback()
        return Done()  # answered and recorded before: never a second message
    recipient = context.email if channel == "email" else context.phone
    why = None
    if channel not in context.consent:
        why = "Người nộp không chọn nhận tin qua kênh này."
    elif not recipient:
        why = "Không có địa chỉ nhận."
    elif context.template is not None and not context.template["active"]:
        why = "Mẫu tin của sự kiện này đang tắt."
    if why:
        exists = context.log_result is not None
        record.write(row, event, channel, exists, finish=batch, result="skipped", detail=why)
        return Done()
    return event, context


def deliver_one(channel: str, row: Claimed, batch: Batch) -> Outcome:
    """Send ROW's message on CHANNEL once (see the module's note)."""
    config = current_app.config
    checked = _precheck(channel, row, batch)
    if not isinstance(checked, tuple):
        return checked
    event, context = checked
    recipient = context.email if channel == "email" else context.phone
    held = _hold(channel, recipient, utcnow(), config)
    db.session.rollback()  # the read ends: no transaction stays open while the provider works
    if held is not None:
        return held
    exists = context.log_result is not None
    unsure = context.unsure + (1 if context.log_result == "sending" else 0)
    who = {"recipient": log.mask(channel, recipient), "recipient_key": log.recipient_key(recipient)}
    if unsure >= UNSURE_MAX:
        why = "Hai lần gửi không rõ kết quả: ngừng gửi để người nộp không nhận trùng tin."
        record.write(row, event, channel, exists, result="failed", detail=why, unsure=unsure, **who)
        return Terminal(why)
    rendered = templates.render(context.template, event, channel, context.values)
    record.write(
        row, event, channel, exists, result="sending", unsure=unsure,
        template_id=rendered.template_id, **who,
    )  # fmt: skip
    reply = _send(channel, row, rendered, recipient, _attachment(event, channel, context), config)
    return _finish(channel, row, event, rendered, reply, batch)


def _finish(channel, row, event, rendered, reply, batch) -> Outcome:
    """Log the provider's REPLY (and finish the outbox row with a success)."""
    outcome = reply.outcome
    if isinstance(outcome, Done):
        dev = not configured(channel, current_app.config)
        preview = (f"{rendered.subject}\n\n" if rendered.subject else "") + rendered.text
        record.write(
            row, event, channel, True, finish=batch,
            result="recorded" if dev else "sent",
            provider_message_id=(reply.message_id or "")[:120] or None,
            preview=preview if dev else None, sent_at=utcnow(), detail=None,
        )  # fmt: skip
        return outcome
    detail = mask_personal(getattr(outcome, "error", ""))
    if isinstance(outcome, Terminal):
        record.write(row, event, channel, True, result="failed", detail=detail)
    elif reply.answered:  # a definite refusal: the next attempt is no duplicate
        record.write(row, event, channel, True, result="retrying", detail=detail)
    else:  # no answer: it may have gone; the next attempt is an unsure one
        record.write(row, event, channel, True, detail=detail)
    return outcome


def deliver(channel: str, batch: Batch) -> Outcome:
    outcome: Outcome = Done()
    for row in batch.rows:
        outcome = deliver_one(channel, row, batch)
        if not isinstance(outcome, Done):
            return outcome
    return outcome


def deliver_sms(batch: Batch) -> Outcome:
    return deliver("sms", batch)


def deliver_email(batch: Batch) -> Outcome:
    return deliver("email", batch)


def deliver_zalo(batch: Batch) -> Outcome:
    return deliver("zalo", batch)
