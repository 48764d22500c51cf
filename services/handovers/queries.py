"""Reading the handover log: what waits to be handed over, what waits to be confirmed,
and the handover delay (a dossier's batches: services.dossiers.transfers)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from extensions import db
from models.agency import Agency
from models.base import utcnow
from models.dossier import Dossier
from models.handover import Handover, HandoverItem
from services.calendar import LOCAL_TZ
from services.handovers.eligibility import (
    RECEIVER_COLUMN,
    SENDER_COLUMN,
    SOURCE_STATUS,
    check_sender,
    in_open_batch,
)

#: The most dossiers one queue screen lists (a day's counter work is far fewer).
QUEUE_LIMIT = 1000


@dataclass
class Waiting:
    """A dossier ready to be handed over; ``next_morning`` once received after the cut-off."""

    dossier: Dossier
    next_morning: date | None = None


@dataclass
class Group:
    """The dossiers waiting for one receiving agency."""

    agency: Agency
    items: list[Waiting] = field(default_factory=list)


def eligible_query(user, direction: str):
    """SELECT of the dossiers USER may put in a batch in DIRECTION now."""
    sender = getattr(Dossier, SENDER_COLUMN[direction])
    receiver = getattr(Dossier, RECEIVER_COLUMN[direction])
    return select(Dossier).where(
        Dossier.status == SOURCE_STATUS[direction],
        sender == user.agency_id,
        receiver.is_not(None),
        ~in_open_batch(),
    )


def eligible(user, direction: str, now: datetime | None = None) -> list[Group]:
    """The dossiers waiting to be handed over by USER, grouped by receiving agency.

    Dossiers received after the cut-off (or on a day off) are marked with the
    morning whose batch they belong to while that morning has not come.
    """
    check_sender(user, direction)
    now = now or utcnow()
    query = (
        eligible_query(user, direction)
        .options(
            joinedload(Dossier.procedure_type),
            joinedload(Dossier.agency),
            joinedload(Dossier.post_office),
        )
        .order_by(getattr(Dossier, RECEIVER_COLUMN[direction]), Dossier.received_at, Dossier.id)
        .limit(QUEUE_LIMIT)
    )
    groups: dict[int, Group] = {}
    for dossier in db.session.scalars(query).unique():
        receiver = dossier.agency if direction == "to_department" else dossier.post_office
        group = groups.setdefault(receiver.id, Group(receiver))
        later = (
            direction == "to_department"
            and dossier.clock_started_at is not None
            and dossier.clock_started_at > dossier.received_at
            and dossier.clock_started_at > now
        )
        morning = dossier.clock_started_at.astimezone(LOCAL_TZ).date() if later else None
        group.items.append(Waiting(dossier, morning))
    return list(groups.values())


def incoming_query(user):
    """SELECT of the sent batches waiting for USER's agency to confirm them."""
    return select(Handover).where(
        Handover.status == "sent", Handover.to_agency_id == user.agency_id
    )


def incoming(user) -> list[Handover]:
    """The batches USER's agency must confirm, oldest first, with their dossiers."""
    query = (
        incoming_query(user)
        .options(
            joinedload(Handover.from_agency),
            joinedload(Handover.created_by),
            selectinload(Handover.items),
        )
        .order_by(Handover.sent_at, Handover.id)
        .limit(QUEUE_LIMIT)
    )
    return list(db.session.scalars(query).unique())


def department_confirmations():
    """SELECT (dossier id, received at, confirmed at) of every dossier the department took in.

    The handover delay of DOMAIN.md's figures is ``confirmed_at - received_at``;
    a dossier marked missing in a batch counts from the batch that did bring it.
    """
    return (
        select(Dossier.id, Dossier.received_at, Handover.confirmed_at)
        .join(HandoverItem, HandoverItem.dossier_id == Dossier.id)
        .join(Handover, Handover.id == HandoverItem.handover_id)
        .where(
            Handover.direction == "to_department",
            Handover.status == "confirmed",
            HandoverItem.missing.is_(False),
        )
    )


def handover_delay(dossier: Dossier) -> timedelta | None:
    """From receipt to the department's confirmation, or None while not taken in."""
    row = db.session.execute(
        department_confirmations().where(Dossier.id == dossier.id).limit(1)
    ).first()
    return None if row is None else row.confirmed_at - row.received_at
