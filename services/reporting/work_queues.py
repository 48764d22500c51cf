"""The work waiting for a user, as counts for the home page (DOMAIN.md's hand-offs).

Each queue is a small, indexed set (one status, one agency), and it is counted
only up to ``COUNT_LIMIT`` (the page shows "99+" beyond), so that a long queue
costs no more than a short one, however many dossiers the table holds.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, literal, select

import permissions
from extensions import db
from models.base import utcnow
from models.dossier import Dossier
from services.dossiers.timeliness import RUNNING_STATUSES
from services.handovers import eligibility
from services.handovers.queries import eligible_query, incoming_query


@dataclass(frozen=True)
class Queue:
    """One kind of waiting work: ``to_hand_over``, ``incoming``, ``at_counter``, ``overdue``."""

    key: str
    count: int  # at most COUNT_LIMIT

    @property
    def shown(self) -> str:
        """The count as the page shows it: "99+" from COUNT_LIMIT on."""
        return f"{COUNT_LIMIT - 1}+" if self.count >= COUNT_LIMIT else str(self.count)


#: How far a queue is counted.
COUNT_LIMIT = 100


def _count(query) -> int:
    """How many rows QUERY gives, up to COUNT_LIMIT."""
    rows = query.with_only_columns(literal(1), maintain_column_froms=True)
    rows = rows.order_by(None).limit(COUNT_LIMIT).subquery()
    return db.session.scalar(select(func.count()).select_from(rows)) or 0


def work_queues(user, now: datetime | None = None) -> list[Queue]:
    """The queues USER's roles and agency give them, with how much waits in each."""
    queues = []
    direction = eligibility.direction_of(user)
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
