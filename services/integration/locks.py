"""One delivery per key at a time (a coalescing sink's dossier): a compare-and-set row.

The row holds the key until the lease's end, so a worker killed while holding it stops
blocking the key by itself; no transaction stays open while the delivery talks outside.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError

from extensions import db
from models.base import utcnow
from models.integration import OutboxLock
from services.integration import outbox


def lock(key: str, token: str) -> bool:
    """Hold KEY for TOKEN until the lease's end (compare-and-set); False when another holds it."""
    now = utcnow()
    until = now + timedelta(seconds=current_app.config.get("OUTBOX_LEASE_SECONDS", 120))
    session = db.session
    try:
        taken = session.execute(
            update(OutboxLock)
            .where(OutboxLock.key == key, OutboxLock.until < now)
            .values(token=token, until=until)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not taken:
            session.execute(insert(OutboxLock).values(key=key, token=token, until=until))
        session.commit()
        return True
    except IntegrityError:
        session.rollback()
        return False
    except BaseException:
        session.rollback()
        raise


def unlock(key: str, token: str) -> None:
    outbox.write(delete(OutboxLock).where(OutboxLock.key == key, OutboxLock.token == token))
