"""The message log: masked recipients, the per-recipient count, what the screens list, the purge.

A row holds the masked recipient (``09xxxxx123``, ``h***@mail.vn``), a keyed hash of
it (the rate limit counts by it), the event, channel, template, the provider's message
id, the result and the times — never a credential or a request body. Rows older than
``NOTIFICATION_LOG_DAYS`` go with ``flask notifications purge`` (cron it daily).
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

import permissions
from extensions import db
from models.base import utcnow
from models.dossier import Dossier
from models.notification import NOTIFY_CHANNELS, NOTIFY_RESULTS, NotificationLog

LIST_LIMIT = 100


def mask_phone(phone: str | None) -> str | None:
    """``0912345123`` → ``09xxxxx123``."""
    if not phone:
        return None
    return phone[:2] + "x" * max(len(phone) - 5, 0) + phone[-3:]


def mask_email(address: str | None) -> str | None:
    """``hoa.nguyen@mail.vn`` → ``h***@mail.vn``."""
    if not address or "@" not in address:
        return None
    local, domain = address.rsplit("@", 1)
    return f"{local[:1]}***@{domain}"[:80]


def mask(channel: str, recipient: str | None) -> str | None:
    return mask_email(recipient) if channel == "email" else mask_phone(recipient)


def recipient_key(recipient: str) -> str:
    """A keyed hash of RECIPIENT: equal for one phone, useless to anyone without the key."""
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(secret, recipient.lower().encode(), hashlib.sha256).hexdigest()[:32]


def sent_lately(key: str, channel: str, since: datetime) -> int:
    """Messages on CHANNEL sent to the recipient of KEY since SINCE."""
    return db.session.scalar(
        select(func.count()).where(
            NotificationLog.recipient_key == key,
            NotificationLog.channel == channel,
            NotificationLog.sent_at >= since,
        )
    )


def of_dossier(dossier_id: int) -> list[NotificationLog]:
    """The dossier's messages, newest first."""
    query = (
        select(NotificationLog)
        .where(NotificationLog.dossier_id == dossier_id)
        .order_by(NotificationLog.id.desc())
        .limit(LIST_LIMIT)
    )
    return list(db.session.scalars(query))


def listed(user, channel: str | None, result: str | None) -> list[tuple]:
    """The newest LIST_LIMIT messages USER may see, by CHANNEL and RESULT: (row, dossier code)."""
    query = select(NotificationLog, Dossier.code).outerjoin(
        Dossier, Dossier.id == NotificationLog.dossier_id
    )
    if channel in NOTIFY_CHANNELS:
        query = query.where(NotificationLog.channel == channel)
    if result in NOTIFY_RESULTS:
        query = query.where(NotificationLog.result == result)
    if not permissions.sees_all_rows(user):
        query = query.where(
            NotificationLog.dossier_id.in_(permissions.scope(user, "dossier", select(Dossier.id)))
        )
    return [
        tuple(r)
        for r in db.session.execute(query.order_by(NotificationLog.id.desc()).limit(LIST_LIMIT))
    ]


def purge(now: datetime | None = None, days: int | None = None) -> int:
    """Delete the log rows older than NOTIFICATION_LOG_DAYS (caller commits); how many."""
    days = int(days if days is not None else current_app.config["NOTIFICATION_LOG_DAYS"])
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(
        delete(NotificationLog)
        .where(NotificationLog.created_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
