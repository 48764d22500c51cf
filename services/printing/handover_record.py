"""The handover record of a batch (biên bản bàn giao) and a parcel's delivery label, as data."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from models.delivery import DeliveryOrder
from models.dossier import Dossier
from models.handover import Handover, HandoverItem
from services.errors import NotFound
from services.printing.common import Heading, Signature, heading_for, local

TITLES = {
    "to_department": "BIÊN BẢN BÀN GIAO HỒ SƠ",
    "to_post_office": "BIÊN BẢN BÀN GIAO KẾT QUẢ GIẢI QUYẾT HỒ SƠ",
}


@dataclass(frozen=True)
class HandoverLine:
    number: int
    code: str
    applicant: str
    procedure: str
    due_at: datetime | None
    missing: bool
    note: str


@dataclass(frozen=True)
class HandoverRecord:
    heading: Heading
    code: str
    direction: str
    title: str
    status: str
    sent_at: datetime
    giver_agency: str
    giver: str
    receiver_agency: str
    receiver: str
    confirmed_at: datetime | None
    lines: tuple[HandoverLine, ...]
    missing_codes: tuple[str, ...]
    note: str
    signatures: tuple[Signature, ...]

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def received_count(self) -> int | None:
        """How many the receiving side took; None until it confirms."""
        if self.status != "confirmed":
            return None
        return self.total - len(self.missing_codes)


@dataclass(frozen=True)
class DeliveryLabel:
    tracking_code: str
    sender_name: str
    sender_address: str
    sender_phone: str
    recipient_name: str
    recipient_phone: str
    recipient_address: str
    dossier_code: str
    procedure_name: str
    cod_amount: int
    postage: int
    created_at: datetime


def load_handover(query):
    """The one batch QUERY selects, with its lines, dossiers and people loaded."""
    return db.session.scalar(
        query.options(
            joinedload(Handover.from_agency),
            joinedload(Handover.to_agency),
            joinedload(Handover.created_by),
            joinedload(Handover.confirmed_by),
            selectinload(Handover.items)
            .joinedload(HandoverItem.dossier)
            .joinedload(Dossier.procedure_type),
        )
    )


def handover_record(handover: Handover) -> HandoverRecord:
    """The record both sides sign; NotFound while the batch is a draft (not sent)."""
    if handover.status not in ("sent", "confirmed") or handover.sent_at is None:
        raise NotFound("Lô bàn giao chưa được gửi: chưa có biên bản.")
    items = sorted(handover.items, key=lambda i: i.dossier.code)
    lines = tuple(
        HandoverLine(
            number=n,
            code=item.dossier.code,
            applicant=item.dossier.applicant_name,
            procedure=item.dossier.procedure_type.name,
            due_at=local(item.dossier.due_at),
            missing=item.missing,
            note=item.note or ("Thiếu" if item.missing else ""),
        )
        for n, item in enumerate(items, start=1)
    )
    confirmed = handover.status == "confirmed"
    giver = handover.created_by.full_name if handover.created_by else ""
    receiver = handover.confirmed_by.full_name if confirmed and handover.confirmed_by else ""
    return HandoverRecord(
        heading=heading_for(handover.from_agency, handover.code, handover.sent_at),
        code=handover.code,
        direction=handover.direction,
        title=TITLES[handover.direction],
        status=handover.status,
        sent_at=local(handover.sent_at),
        giver_agency=handover.from_agency.name,
        giver=giver,
        receiver_agency=handover.to_agency.name,
        receiver=receiver,
        confirmed_at=local(handover.confirmed_at) if confirmed else None,
        lines=lines,
        missing_codes=tuple(line.code for line in lines if line.missing),
        note=handover.note or "",
        signatures=(Signature("BÊN GIAO", giver), Signature("BÊN NHẬN", receiver)),
    )


def delivery_label(order: DeliveryOrder) -> DeliveryLabel:
    """The label stuck on the parcel: who sends, who receives, what to collect."""
    office = order.post_office
    return DeliveryLabel(
        tracking_code=order.tracking_code,
        sender_name=office.name,
        sender_address=office.address or "",
        sender_phone=office.phone or "",
        recipient_name=order.recipient_name,
        recipient_phone=order.recipient_phone,
        recipient_address=order.recipient_address,
        dossier_code=order.dossier.code,
        procedure_name=order.dossier.procedure_type.name,
        cod_amount=order.cod_amount or 0,
        postage=order.postage or 0,
        created_at=local(order.created_at),
    )
