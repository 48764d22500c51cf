"""Applicant notifications: the events, the channels, the templates IT staff edit, the log.

Every event is one record here (its value, names, the history action that raises it and
the return method it is limited to); the vocabulary, the listener, the default texts and
the template screen all read these records.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import BigId, UTCDateTime, utcnow
from models.vocabulary import N_, Term, Vocabulary

NOTIFY_CHANNELS = Vocabulary(
    Term("sms", "Tin nhắn SMS", N_("SMS")),
    Term("email", "Thư điện tử", N_("Email")),
    Term("zalo", "Zalo", N_("Zalo")),
)


@dataclass(frozen=True)
class NotifyEvent:
    """One step the applicant is told of."""

    value: str
    vi: str
    msgid: str
    action: str  # the dossier history action that raises it (models.dossier_actions)
    return_method: str | None = None  # only for dossiers whose result goes this way


EVENTS = (
    NotifyEvent("received", "Đã tiếp nhận", N_("Received"), "receive"),
    NotifyEvent(
        "supplement_requested", "Yêu cầu bổ sung", N_("Request supplement"), "request_supplement"
    ),
    NotifyEvent("apology", "Xin lỗi, hẹn lại", N_("Apology, new appointment"), "apologize"),
    NotifyEvent(
        "result_at_counter",
        "Có kết quả tại quầy",
        N_("Result ready at the counter"),
        "handover_to_post_office",
        return_method="counter",
    ),
    NotifyEvent("shipped", "Đã gửi kết quả qua bưu chính", N_("Result sent by post"), "ship"),
    NotifyEvent("delivered", "Phát thành công", N_("Delivered"), "delivered"),
    NotifyEvent(
        "returned_to_sender", "Chuyển hoàn", N_("Returned to sender"), "returned_to_sender"
    ),
    NotifyEvent("refused", "Từ chối tiếp nhận", N_("Not accepted"), "refuse"),
)
NOTIFY_EVENTS = Vocabulary(*(Term(e.value, e.vi, e.msgid) for e in EVENTS))
EVENT_BY_ACTION = {e.action: e for e in EVENTS}
EVENT_BY_NAME = {e.value: e for e in EVENTS}

NOTIFY_RESULTS = Vocabulary(
    Term("sending", "đang gửi", N_("Sending"), "info"),
    Term("retrying", "chờ gửi lại", N_("Waiting to retry"), "warning"),
    Term("sent", "đã gửi", N_("Sent"), "success"),
    Term("recorded", "ghi lại (chế độ phát triển)", N_("Recorded (development mode)"), "info"),
    Term("skipped", "không gửi", N_("Not sent"), "secondary"),
    Term("failed", "lỗi, ngừng gửi", N_("Failed"), "danger"),
)


class NotificationTemplate(db.Model):
    """The text of one event on one channel (SMS, email subject and text, Zalo template)."""

    __tablename__ = "notification_template"
    __table_args__ = (
        CheckConstraint(NOTIFY_EVENTS.check("event"), name="event"),
        CheckConstraint(NOTIFY_CHANNELS.check("channel"), name="channel"),
        UniqueConstraint("event", "channel", name="uq_notification_template_event_channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    subject: Mapped[str | None] = mapped_column(String(200))  # email only
    body: Mapped[str] = mapped_column(Text)
    # The provider's template id (SMS brandname template, Zalo ZNS template).
    provider_template: Mapped[str | None] = mapped_column(String(60))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    def __str__(self) -> str:
        return f"{NOTIFY_EVENTS.vi(self.event)} — {NOTIFY_CHANNELS.vi(self.channel)}"


class NotificationLog(db.Model):
    """One message to an applicant: masked recipient, what, how it went; no body, no secret."""

    __tablename__ = "notification_log"
    __table_args__ = (
        CheckConstraint(NOTIFY_EVENTS.check("event"), name="event"),
        CheckConstraint(NOTIFY_CHANNELS.check("channel"), name="channel"),
        CheckConstraint(NOTIFY_RESULTS.check("result"), name="result"),
        Index("ix_notification_log_dossier", "dossier_id", "id"),
        Index("ix_notification_log_created", "created_at"),
        Index("ix_notification_log_channel_result", "channel", "result", "id"),
        Index("ix_notification_log_recipient", "recipient_key", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One log row per outbox row: it also marks an attempt whose answer was never recorded.
    outbox_key: Mapped[str] = mapped_column(String(80), unique=True)
    dossier_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("dossier.id", ondelete="SET NULL")
    )
    event: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(10))
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_template.id", ondelete="SET NULL")
    )
    recipient: Mapped[str | None] = mapped_column(String(80))  # masked: 09xxxxx123, h***@mail.vn
    # A keyed hash of the phone or address: the per-recipient rate limit counts by it.
    recipient_key: Mapped[str | None] = mapped_column(String(32))
    result: Mapped[str] = mapped_column(String(10), default="sending")
    unsure: Mapped[int] = mapped_column(default=0)  # attempts whose answer never came back
    provider_message_id: Mapped[str | None] = mapped_column(String(120))
    detail: Mapped[str | None] = mapped_column(String(500))  # why not sent (masked)
    # Development mode only: the text that would have gone (no personal data by design).
    preview: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __str__(self) -> str:
        return f"#{self.id} {self.channel}/{self.event}"
