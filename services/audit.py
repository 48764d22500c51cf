"""Writing audit entries; callers commit them with the change they describe."""

from typing import Any

from extensions import db
from models.audit import AuditEntry


def record(
    action: str,
    entity: str,
    entity_id: Any = None,
    *,
    actor=None,
    ip_address: str | None = None,
    summary: str | None = None,
    changes: dict | None = None,
) -> AuditEntry:
    """Add an audit entry to the session (it lands in the caller's transaction)."""
    entry = AuditEntry(
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        actor_id=getattr(actor, "id", None),
        actor_username=getattr(actor, "username", None),
        ip_address=ip_address,
        summary=summary,
        changes=changes,
    )
    db.session.add(entry)
    return entry
