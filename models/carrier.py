"""The carriers' own webhooks: the inbox of raw calls, and each carrier's status mapping.

A carrier reports parcel events in its own shape. Each call is kept as received
(``CarrierWebhook``, unique per carrier transaction), then mapped through the table IT
staff edit (``CarrierStatus``: the carrier's status code → our delivery status) and
applied through the delivery-event rules (services.delivery.webhooks).
"""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import delivery
from models.base import UTCDateTime, utcnow
from models.delivery import DeliveryEvent
from models.vocabulary import N_, Term, Vocabulary

# The carriers whose webhook shape the app knows (services.delivery.carriers parses them).
CARRIERS = Vocabulary(
    Term("ems", "EMS (chuyển phát nhanh Bưu điện)", N_("EMS (VNPost express)")),
)
# Where one webhook call stands.
INBOX_STATES = Vocabulary(
    Term("pending", "chờ áp dụng", N_("Waiting to be applied"), "secondary"),
    Term("applied", "đã áp dụng", N_("Applied"), "success"),
    Term("unapplied", "chưa áp dụng được", N_("Not applied"), "warning"),
    Term("refused", "bị từ chối", N_("Refused by the inbox"), "danger"),
)
# What applying it did: moved the parcel, kept it in the timeline only, or found it there.
INBOX_OUTCOMES = Vocabulary(
    Term("applied", "đã chuyển trạng thái", N_("Status moved")),
    Term("kept", "chỉ ghi vào lịch sử", N_("Kept in the timeline")),
    Term("duplicate", "đã có từ trước", N_("Already recorded")),
)

# The carrier's words for a status (DOMAIN.md "Carrier statuses"; any case, accents
# optional): what a status code missing from the mapping table is understood by.
STATUS_WORDS = {
    "accepted": ("chấp nhận", "đã nhận hàng", "nhận gửi"),
    "in_transit": ("đang vận chuyển", "đi bưu cục", "đến bưu cục", "khai thác"),
    "out_for_delivery": ("đã giao cho bưu tá", "đang phát"),
    "delivered": ("phát thành công",),
    "failed": ("phát không thành công", "phát lại"),
    "returned_to_sender": ("chuyển hoàn", "phát hoàn"),
}
# The default mapping shipped for each carrier (the migration and seed-demo write it;
# IT staff correct it against the carrier's published list of codes).
DEFAULT_MAPPING = {
    "ems": (
        ("100", "accepted", "Chấp nhận gửi"),
        ("101", "accepted", "Đã nhận hàng"),
        ("200", "in_transit", "Đi bưu cục"),
        ("201", "in_transit", "Đến bưu cục"),
        ("202", "in_transit", "Khai thác"),
        ("300", "out_for_delivery", "Đã giao cho bưu tá, đang phát"),
        ("400", "delivered", "Phát thành công"),
        ("500", "failed", "Phát không thành công"),
        ("501", "failed", "Phát lại"),
        ("600", "returned_to_sender", "Chuyển hoàn"),
        ("601", "returned_to_sender", "Phát hoàn"),
    ),
}


class CarrierStatus(db.Model):
    """One line of a carrier's mapping: its status code means this delivery status."""

    __tablename__ = "carrier_status"
    __table_args__ = (
        CheckConstraint(CARRIERS.check("carrier"), name="carrier"),
        CheckConstraint(delivery.DELIVERY_STATUSES.check("status"), name="status"),
        UniqueConstraint("carrier", "code", name="uq_carrier_status_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return f"{self.carrier} {self.code}"


class CarrierWebhook(db.Model):
    """One webhook call as the carrier sent it, with what became of it."""

    __tablename__ = "carrier_webhook"
    __table_args__ = (
        CheckConstraint(CARRIERS.check("carrier"), name="carrier"),
        CheckConstraint(INBOX_STATES.check("state"), name="state"),
        CheckConstraint("outcome IS NULL OR " + INBOX_OUTCOMES.check("outcome"), name="outcome"),
        # The same carrier transaction twice is stored once.
        UniqueConstraint("carrier", "transaction_id", name="uq_carrier_webhook_transaction"),
        # The inbox screen and the leftover applier: by state, oldest first.
        Index("ix_carrier_webhook_state_received", "state", "received_at"),
        # A parcel's waiting calls, tried again when it moves.
        Index("ix_carrier_webhook_tracking_state", "tracking_code", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier: Mapped[str] = mapped_column(String(20))
    transaction_id: Mapped[str] = mapped_column(String(100))
    body: Mapped[bytes] = mapped_column(LargeBinary)  # the raw body, byte for byte
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(12), default="pending")
    reason: Mapped[str | None] = mapped_column(String(1000))
    # What the body says, once read (empty when it could not be).
    tracking_code: Mapped[str | None] = mapped_column(String(13))
    status_code: Mapped[str | None] = mapped_column(String(40))
    status_name: Mapped[str | None] = mapped_column(String(200))
    event_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    # What applying it did.
    mapped_status: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(default=0)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivery_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("delivery_event.id", ondelete="SET NULL")
    )

    delivery_event: Mapped[DeliveryEvent | None] = relationship()

    def __str__(self) -> str:
        return f"{self.carrier} {self.transaction_id}"
