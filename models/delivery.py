"""Postal delivery orders for results returned by post, with their events."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.agency import Agency
from models.base import BigId, UTCDateTime, utcnow
from models.dossier import Dossier
from models.user import User
from models.vocabulary import N_, Term, Vocabulary
from vietnam.text import search_key

DELIVERY_STATUSES = Vocabulary(
    Term("created", "mới tạo", N_("Created"), "secondary"),
    Term("accepted", "bưu cục đã nhận", N_("Accepted by post"), "info"),
    Term("in_transit", "đang vận chuyển", N_("In transit"), "primary"),
    Term("out_for_delivery", "đang phát", N_("Out for delivery"), "warning"),
    Term("delivered", "đã phát thành công", N_("Delivered"), "success"),
    Term("failed", "phát không thành công", N_("Delivery failed"), "danger"),
    Term("returned_to_sender", "đã chuyển hoàn", N_("Returned to sender"), "dark"),
)
# The postal tracking feed, or post staff.
EVENT_SOURCES = Vocabulary(
    Term("tracking", "Hệ thống định vị bưu gửi", N_("Tracking feed")),
    Term("manual", "Nhân viên nhập", N_("Entered by staff")),
)
# Within or outside the post office's province.
POSTAGE_ZONES = Vocabulary(
    Term("within", "Trong tỉnh", N_("Within the province")),
    Term("outside", "Ngoài tỉnh", N_("Outside the province")),
)


class DeliveryOrder(db.Model):
    """A parcel carrying a dossier's result to the applicant (UPU S10 tracking code)."""

    __tablename__ = "delivery_order"
    __table_args__ = (
        CheckConstraint(DELIVERY_STATUSES.check("status"), name="status"),
        CheckConstraint("postage >= 0", name="postage"),
        CheckConstraint("cod_amount >= 0", name="cod_amount"),
        CheckConstraint("weight_grams IS NULL OR weight_grams > 0", name="weight_grams"),
        # The delivery list's "stuck" flag: status, then how long it has been so.
        Index("ix_delivery_order_status_at", "status", "status_at"),
        # The list's search: words of the recipient and the tracking code, folded, found
        # through trigrams on PostgreSQL (pg_trgm); a plain index elsewhere.
        Index(
            "ix_delivery_order_search_text_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(13), unique=True)
    dossier_id: Mapped[int] = mapped_column(BigId, ForeignKey("dossier.id"), index=True)
    post_office_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="created", index=True)
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_phone: Mapped[str] = mapped_column(String(15))
    recipient_province_code: Mapped[int | None]
    recipient_ward_code: Mapped[int | None]
    recipient_street: Mapped[str | None] = mapped_column(String(255))
    recipient_address: Mapped[str] = mapped_column(String(500))
    weight_grams: Mapped[int | None]
    postage: Mapped[int] = mapped_column(default=0)
    cod_amount: Mapped[int] = mapped_column(default=0)
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the current status was reached (the latest event's time): the feed
    # never moves the status back to an older event, and stuck orders show.
    status_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # tracking code, recipient's name and phone, folded (vietnam.text.search_key)
    search_text: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(default=1)

    dossier: Mapped[Dossier] = relationship()
    post_office: Mapped[Agency] = relationship()
    created_by: Mapped[User | None] = relationship()
    events: Mapped[list["DeliveryEvent"]] = relationship(
        back_populates="order", order_by="DeliveryEvent.at", cascade="all"
    )

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.tracking_code


def order_search_text(tracking_code, recipient_name, recipient_phone) -> str:
    """What the delivery list's search matches an order against."""
    return search_key(tracking_code, recipient_name, recipient_phone)[:300]


@event.listens_for(DeliveryOrder, "before_insert")
@event.listens_for(DeliveryOrder, "before_update")
def _derive_search_text(mapper, connection, target: DeliveryOrder) -> None:
    target.search_text = order_search_text(
        target.tracking_code, target.recipient_name, target.recipient_phone
    )


class DeliveryEvent(db.Model):
    """A status change of a delivery order, from the tracking feed or post staff."""

    __tablename__ = "delivery_event"
    __table_args__ = (
        CheckConstraint(DELIVERY_STATUSES.check("status"), name="status"),
        CheckConstraint(EVENT_SOURCES.check("source"), name="source"),
        Index("ix_delivery_event_order_at", "delivery_order_id", "at"),
        # The same event from the feed twice is stored once.
        UniqueConstraint("delivery_order_id", "status", "at", name="uq_delivery_event_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_order_id: Mapped[int] = mapped_column(ForeignKey("delivery_order.id"))
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(10), default="manual")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    order: Mapped[DeliveryOrder] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class PostageRate(db.Model):
    """One line of the province's postage price list, kept by IT staff.

    A band: parcels up to ``up_to_grams`` cost ``price``. The line without
    ``up_to_grams`` is the price of each further 500 g above the heaviest band.
    """

    __tablename__ = "postage_rate"
    __table_args__ = (
        CheckConstraint(POSTAGE_ZONES.check("zone"), name="zone"),
        CheckConstraint("price >= 0", name="price"),
        CheckConstraint("up_to_grams IS NULL OR up_to_grams > 0", name="up_to_grams"),
        UniqueConstraint("zone", "up_to_grams", name="uq_postage_rate_band"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[str] = mapped_column(String(10))
    up_to_grams: Mapped[int | None]
    price: Mapped[int]
    note: Mapped[str | None] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return f"{self.zone} ≤ {self.up_to_grams or '+500'} g"
