"""The «Đồng bộ và gửi tin» page in one call, and what IT staff do to a dead row.

Nothing here counts the done rows in full (a province has millions): the counts of
rows not sent come from a partial index of them, the sent ones are those of the last
24 hours counted up to ``DONE_CAP``, and lists show at most ``LIST_LIMIT`` rows, newest
first, read in index order.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

import permissions
from extensions import db
from models.base import utcnow
from models.carrier import CarrierWebhook
from models.dossier import Dossier
from models.integration import OUTBOX_STATUSES, OutboxMessage
from services import audit
from services.calendar import LOCAL_TZ
from services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from services.integration import portal
from services.integration.notify import log as message_log
from services.integration.outbox import GIVE_UP_AFTER
from services.integration.sinks import BY_NAME, SINKS
from services.reporting.periods import Period

LIST_LIMIT = 100
DONE_CAP = 9_999  # the sent rows of the last day are counted up to this ("9 999+")
OPEN = ("pending", "sending", "dead")
MAX_REASON = 500


@dataclass
class SinkFigures:
    name: str
    counts: dict[str, int] = field(default_factory=dict)  # pending, sending, dead, done (24 h)
    oldest_pending: datetime | None = None
    enabled: bool = False


@dataclass
class OutboxPage:
    sinks: list[SinkFigures]
    rows: list[tuple]  # (row, dossier code)
    sync: tuple[int, int, float | None]
    period: Period
    may_edit: bool
    carrier_waiting: int | None = None  # carrier calls not applied (None: not USER's to see)
    messages: list[tuple] = field(default_factory=list)  # (log row, dossier code)


def _scoped(user, query):
    """QUERY narrowed to the rows of dossiers USER sees (IT staff and leaders: all)."""
    if permissions.sees_all_rows(user):
        return query
    dossiers = permissions.scope(user, "dossier", select(Dossier.id))
    return query.where(OutboxMessage.dossier_id.in_(dossiers))


def page(
    user,
    config,
    *,
    sink: str | None,
    status: str | None,
    channel: str | None = None,
    result: str | None = None,
    now=None,
) -> OutboxPage:
    """Everything the outbox screen shows USER, filtered by SINK and STATUS; the messages
    to applicants by CHANNEL and RESULT."""
    now = now or utcnow()
    figures = {s.name: SinkFigures(s.name, enabled=s.enabled(config)) for s in SINKS}
    counted = select(
        OutboxMessage.sink, OutboxMessage.status, func.count(), func.min(OutboxMessage.created_at)
    ).where(OutboxMessage.status.in_(OPEN))
    for name, state, count, oldest in db.session.execute(
        _scoped(user, counted).group_by(OutboxMessage.sink, OutboxMessage.status)
    ):
        entry = figures.setdefault(name, SinkFigures(name))
        entry.counts[state] = count
        if state == "pending":
            entry.oldest_pending = oldest
    since = now - timedelta(hours=24)
    for name, entry in figures.items():
        recent = select(OutboxMessage.id).where(
            OutboxMessage.status == "done",
            OutboxMessage.done_at >= since,
            OutboxMessage.sink == name,
        )
        capped = _scoped(user, recent).limit(DONE_CAP + 1).subquery()
        entry.counts["done"] = db.session.scalar(select(func.count()).select_from(capped))
    today = now.astimezone(LOCAL_TZ).date()  # the office's day: from 17:00 UTC, tomorrow's
    month = Period(today.replace(day=1), today)
    return OutboxPage(
        sinks=list(figures.values()),
        rows=_rows(user, sink, status or "dead"),
        sync=portal.sync_rate(user, month),
        period=month,
        may_edit=permissions.can(user, "outbox", "edit"),
        carrier_waiting=_carrier_waiting(user),
        messages=message_log.listed(user, channel, result),
    )


def _carrier_waiting(user) -> int | None:
    """The carriers' webhook calls kept unapplied (or not applied yet), counted up to
    DONE_CAP, for those who may open the carrier inbox."""
    if not permissions.can(user, "carrier_webhook", "view"):
        return None
    waiting = select(CarrierWebhook.id).where(CarrierWebhook.state.in_(("pending", "unapplied")))
    capped = waiting.limit(DONE_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped))


def _rows(user, sink: str | None, status: str) -> list[tuple]:
    """The newest LIST_LIMIT rows of STATUS (read in index order), then their dossiers' codes."""
    if status not in OUTBOX_STATUSES:
        status = "dead"
    query = select(OutboxMessage).where(OutboxMessage.status == status)
    if sink:
        query = query.where(OutboxMessage.sink == sink)
    order = OutboxMessage.done_at if status == "done" else OutboxMessage.created_at
    query = _scoped(user, query).order_by(order.desc()).limit(LIST_LIMIT)
    rows = list(db.session.scalars(query))
    ids = {r.dossier_id for r in rows if r.dossier_id}
    codes = {}
    if ids:
        query = select(Dossier.id, Dossier.code).where(Dossier.id.in_(ids))
        codes = {dossier_id: code for dossier_id, code in db.session.execute(query)}
    return [(row, codes.get(row.dossier_id)) for row in rows]


def _editable(user, row_id: int, reason: str | None) -> tuple[OutboxMessage, str]:
    if not permissions.can(user, "outbox", "edit"):
        raise Forbidden("Vai trò của bạn không được gửi lại hay bỏ qua tin.")
    row = db.session.get(OutboxMessage, row_id)
    if (
        row is None
        or db.session.scalar(
            _scoped(user, select(OutboxMessage.id).where(OutboxMessage.id == row_id))
        )
        is None
    ):
        raise NotFound("Không tìm thấy tin cần gửi.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Hãy ghi lý do.", {"reason": "Bắt buộc."})
    if len(reason) > MAX_REASON:
        raise ValidationFailed("Lý do quá dài.", {"reason": f"Tối đa {MAX_REASON} ký tự."})
    if row.status != "dead":
        raise Conflict(
            f"Tin #{row.id} đang ở trạng thái «{OUTBOX_STATUSES.vi(row.status)}»: "
            "chỉ gửi lại hay bỏ qua được tin lỗi đã ngừng gửi."
        )
    return row, reason


def retry(user, row_id: int, reason: str | None, ip_address: str | None = None) -> OutboxMessage:
    """Send a dead row again (now, with a new week before it gives up); audited."""
    row, reason = _editable(user, row_id, reason)
    now = utcnow()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row.id, OutboxMessage.status == "dead")
        .values(status="pending", next_attempt_at=now, give_up_at=now + GIVE_UP_AFTER, note=reason)
        .execution_options(synchronize_session="fetch")
    )
    _audit("outbox_retry", row, user, reason, ip_address)
    return row


def discard(user, row_id: int, reason: str | None, ip_address: str | None = None) -> OutboxMessage:
    """Give up on a dead row for good; audited."""
    row, reason = _editable(user, row_id, reason)
    row.status, row.note = "discarded", reason
    _audit("outbox_discard", row, user, reason, ip_address)
    return row


def _audit(action, row, user, reason, ip_address) -> None:
    label = BY_NAME[row.sink].vi if row.sink in BY_NAME else row.sink
    audit.record(
        action,
        "outbox_message",
        row.id,
        actor=user,
        ip_address=ip_address,
        summary=f"{label}, tin #{row.id}: {reason}"[:500],
    )
