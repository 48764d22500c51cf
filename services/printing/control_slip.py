"""Printed records that follow a dossier or a parcel, as plain data.

Mẫu 06, the control slip (phiếu kiểm soát quá trình giải quyết hồ sơ): one row
per transfer — each handover batch that carried the dossier, then the return
to the applicant — with the two sides, the times given and received, and
whether that step was early, on time or late. The handover record (biên bản
bàn giao) of a batch. The delivery label of a parcel.

A step's deadline (a date, compared as DOMAIN.md compares the appointment):
the hand-over to the department is due on the day the clock starts (a dossier
received after the cut-off goes in the next working morning's batch); the
result's way back and its return to the applicant are due on the appointment.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from models.dossier import COLLECTORS, TIMELINESS, Dossier
from models.dossier_actions import ACTIONS, HANDOVER_CONFIRM
from models.handover import Handover, HandoverItem
from services.errors import NotFound
from services.printing.common import Heading, heading_for, last_step, local

#: The moves a confirmed handover makes: to the department, then back to the post office.
HANDOVER_MOVES = tuple(a.name for a in ACTIONS if a.permission == HANDOVER_CONFIRM)
APPLICANT_SIDE = "Tổ chức, cá nhân"
STEP_NAMES = {
    "to_department": "Giao hồ sơ cho cơ quan giải quyết",
    "to_post_office": "Giao kết quả về Bộ phận Một cửa",
}


@dataclass(frozen=True)
class TransferRow:
    number: int
    step: str
    giver_agency: str
    giver: str
    given_at: datetime | None
    receiver_agency: str
    receiver: str
    received_at: datetime | None
    due_on: date | None
    timeliness: str | None
    note: str = ""

    @property
    def timeliness_label(self) -> str:
        return TIMELINESS.vi(self.timeliness) if self.timeliness in TIMELINESS else ""


@dataclass(frozen=True)
class ControlSlip:
    """Mẫu 06 for one dossier."""

    heading: Heading
    code: str
    applicant_name: str
    procedure_name: str
    received_at: datetime
    due_at: datetime | None
    rows: tuple[TransferRow, ...]
    form_number: str = "Mẫu 06"
    title: str = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"


def step_timeliness(received_at: datetime | None, due_on: date | None) -> str | None:
    """early / on_time / late of a step received at RECEIVED_AT and due on DUE_ON."""
    if received_at is None or due_on is None:
        return None
    day = local(received_at).date()
    return "early" if day < due_on else "on_time" if day == due_on else "late"


def _day(value: datetime | None) -> date | None:
    return local(value).date() if value else None


def handovers_of(dossier: Dossier) -> list[tuple[Handover, HandoverItem]]:
    """The sent or confirmed batches that carried DOSSIER, oldest first, with its line."""
    rows = db.session.execute(
        select(Handover, HandoverItem)
        .join(HandoverItem, HandoverItem.handover_id == Handover.id)
        .where(HandoverItem.dossier_id == dossier.id, Handover.status.in_(("sent", "confirmed")))
        .options(
            joinedload(Handover.from_agency),
            joinedload(Handover.to_agency),
            joinedload(Handover.created_by),
            joinedload(Handover.confirmed_by),
        )
        .order_by(Handover.sent_at, Handover.id)
    ).all()
    return [(h, i) for h, i in rows]


def has_control_slip(dossier: Dossier, sent_batches: list | None = None) -> bool:
    """The slip exists once the dossier has been handed over at least once.

    SENT_BATCHES: the sent or confirmed batches that carried it, when the caller has
    read them already (else they are read here if the history does not answer)."""
    if any(s.action in HANDOVER_MOVES for s in dossier.history):
        return True
    return bool(handovers_of(dossier) if sent_batches is None else sent_batches)


def control_slip(dossier: Dossier) -> ControlSlip:
    """Mẫu 06 for DOSSIER; NotFound until its first hand-over."""
    log = handovers_of(dossier)
    rows = _handover_rows(dossier, log) + _history_only_rows(dossier, log)
    if not rows:
        raise NotFound("Hồ sơ chưa được bàn giao: chưa có phiếu kiểm soát.")
    rows.sort(key=lambda r: r.given_at or r.received_at)
    rows += _return_rows(dossier)
    rows = [replace(r, number=n) for n, r in enumerate(rows, start=1)]
    first = rows[0].given_at or rows[0].received_at
    return ControlSlip(
        heading=heading_for(dossier.post_office or dossier.agency, dossier.code, first),
        code=dossier.code,
        applicant_name=dossier.applicant_name,
        procedure_name=dossier.procedure_type.name,
        received_at=local(dossier.received_at),
        due_at=local(dossier.due_at),
        rows=tuple(rows),
    )


def _due_on(dossier: Dossier, direction: str) -> date | None:
    start = dossier.clock_started_at or dossier.received_at
    return _day(start) if direction == "to_department" else _day(dossier.due_at)


def _row(step: str, received_at: datetime | None, due_on: date | None, **fields) -> TransferRow:
    """A transfer row, its timeliness worked out from when it was received."""
    fields.setdefault("given_at", None)
    for side in ("giver_agency", "giver", "receiver_agency", "receiver", "note"):
        fields[side] = fields.get(side) or ""
    return TransferRow(
        number=0,
        step=step,
        received_at=local(received_at),
        due_on=due_on,
        timeliness=step_timeliness(received_at, due_on),
        **fields,
    )


def _name(user) -> str:
    return user.full_name if user else ""


def _handover_rows(dossier: Dossier, log) -> list[TransferRow]:
    rows = []
    for handover, item in log:
        received = handover.status == "confirmed" and not item.missing
        rows.append(
            _row(
                STEP_NAMES[handover.direction],
                handover.confirmed_at if received else None,
                _due_on(dossier, handover.direction),
                giver_agency=handover.from_agency.name,
                giver=_name(handover.created_by),
                given_at=local(handover.sent_at),
                receiver_agency=handover.to_agency.name,
                receiver=_name(handover.confirmed_by) if received else "",
                note=handover.code + (" — bên nhận báo thiếu" if item.missing else ""),
            )
        )
    return rows


def _history_only_rows(dossier: Dossier, log) -> list[TransferRow]:
    """Handover moves in the history that no batch of the log accounts for (older or
    imported data): matched by the batch code the move recorded, else by direction
    (a dossier goes each way once: the log's confirmed batch is that move)."""
    codes = {h.code for h, _i in log}
    moved = {h.direction for h, i in log if h.status == "confirmed" and not i.missing}
    rows = []
    for step in dossier.history:
        data = step.data or {}
        code = data.get("handover_code") or data.get("handover")
        direction = "to_department" if step.action == HANDOVER_MOVES[0] else "to_post_office"
        if step.action not in HANDOVER_MOVES or code in codes or direction in moved:
            continue
        giver = dossier.post_office if direction == "to_department" else dossier.agency
        rows.append(
            _row(
                STEP_NAMES[direction],
                step.at,
                _due_on(dossier, direction),
                giver_agency=giver.name if giver else "",
                receiver_agency=step.actor.agency.name if step.actor else "",
                receiver=_name(step.actor),
                note=code,
            )
        )
    return rows


def collector(dossier: Dossier) -> str:
    """Who took the result at the counter, as the slip's «received by» cell says it."""
    if dossier.collected_by in (None, "applicant"):
        return dossier.applicant_name
    who = f"{dossier.collector_name} ({COLLECTORS.vi(dossier.collected_by).lower()}"
    who += f", CCCD {dossier.collector_id_number}"
    if dossier.collector_authorisation:
        who += f", giấy ủy quyền số {dossier.collector_authorisation}"
    return who + ")"


def _return_rows(dossier: Dossier) -> list[TransferRow]:
    """The result handed to the applicant: at the counter, or shipped and delivered."""
    due_on = _day(dossier.due_at)
    office = dossier.post_office.name if dossier.post_office else ""
    at_counter = last_step(dossier, "return_at_counter")
    if at_counter is not None:
        return [
            _row(
                "Trả kết quả tại quầy",
                at_counter.at,
                due_on,
                giver_agency=office,
                giver=_name(at_counter.actor),
                given_at=local(at_counter.at),
                receiver_agency=APPLICANT_SIDE,
                receiver=collector(dossier),
            )
        ]
    shipped = last_step(dossier, "ship")
    if shipped is None:
        return []
    delivered = last_step(dossier, "delivered")
    delivered_at = delivered.at if delivered and delivered.at >= shipped.at else None
    return [
        _row(
            "Trả kết quả qua bưu chính",
            delivered_at,
            due_on,
            giver_agency=office,
            giver=_name(shipped.actor),
            given_at=local(shipped.at),
            receiver_agency=APPLICANT_SIDE,
            receiver=dossier.applicant_name if delivered_at else "",
            note=(shipped.data or {}).get("tracking_code"),
        )
    ]
