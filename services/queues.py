"""The work waiting for a user, as counts for the home page (DOMAIN.md's hand-offs).

Each queue is a small, indexed set (one status, one agency), so counting it is
cheap even with millions of dossiers in the table.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

import permissions
from extensions import db
from models.base import utcnow
from models.dossier import Dossier
from services import handovers
from services.handover_queries import eligible_query, incoming_query
from services.timeliness import RUNNING_STATUSES


@dataclass(frozen=True)
class Queue:
    """One kind of waiting work: ``to_hand_over``, ``incoming``, ``at_counter``, ``overdue``."""

    key: str
    count: int


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def work_queues(user, now: datetime | None = None) -> list[Queue]:
    """The queues USER's roles and agency give them, with how much waits in each."""
    queues = []
    direction = handovers.direction_of(user)
    if direction and permissions.can(user, "handover", "create"):
        queues.append(Queue("to_hand_over", _count(eligible_query(user, direction))))
    if direction and permissions.can(user, "handover", "confirm"):
        queues.append(Queue("incoming", _count(incoming_query(user))))
    if not permissions.can(user, "dossier", "view"):
        return queues
    if user.agency.kind == "post_office":
        at_counter = select(Dossier.id).where(Dossier.status == "result_at_counter")
        queues.append(Queue("at_counter", _count(permissions.scope(user, "dossier", at_counter))))
    overdue = select(Dossier.id).where(
        Dossier.status.in_(RUNNING_STATUSES), Dossier.due_at < (now or utcnow())
    )
    queues.append(Queue("overdue", _count(permissions.scope(user, "dossier", overdue))))
    return queues
