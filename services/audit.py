"""Writing audit entries; callers commit them with the change they describe."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, inspect
from sqlalchemy.orm import Session

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
    entry = _entry(
        action,
        entity,
        entity_id,
        actor=actor,
        ip_address=ip_address,
        summary=summary,
        changes=changes,
    )
    db.session.add(entry)
    return entry


def _entry(
    action, entity, entity_id=None, *, actor=None, ip_address=None, summary=None, changes=None
) -> AuditEntry:
    return AuditEntry(
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        actor_id=getattr(actor, "id", None),
        actor_username=getattr(actor, "username", None),
        ip_address=ip_address,
        summary=summary,
        changes=changes,
    )


HIDDEN_FIELDS = frozenset({"password_hash", "search_text", "version", "session_epoch"})


def _plain(value):
    """VALUE as JSON can hold it."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def changes_of(row) -> dict:
    """``{"before": {...}, "after": {...}}`` for ROW's unsaved changes (secrets left out)."""
    state = inspect(row)
    before, after = {}, {}
    for attr in _stored_columns(state):
        history = state.attrs[attr.key].history
        if history.added or (history.deleted and state.persistent):
            before[attr.key] = _plain(history.deleted[0]) if history.deleted else None
            after[attr.key] = _plain(history.added[0]) if history.added else None
    for rel in state.mapper.relationships:
        if rel.key not in state.dict:
            continue
        history = state.attrs[rel.key].history
        if not (history.added or history.deleted):
            continue
        if rel.uselist:
            unchanged = list(history.unchanged)
            before[rel.key] = sorted(str(r) for r in unchanged + list(history.deleted))
            after[rel.key] = sorted(str(r) for r in unchanged + list(history.added))
        else:  # a many-to-one link, e.g. a user's agency: its foreign key is set at flush
            old = [r for r in history.deleted if r is not None]
            new = [r for r in history.added if r is not None]
            if [str(r) for r in old] != [str(r) for r in new]:
                before[rel.key] = str(old[0]) if old else None
                after[rel.key] = str(new[0]) if new else None
    if "password_hash" in state.dict and state.attrs["password_hash"].history.added:
        after["password_changed"] = True
    return {"before": before, "after": after}


def add_child_changes(changes: dict, key: str, rows) -> None:
    """Add to CHANGES each changed row of an inline list, as ``"documents: <row>"``."""
    for row in rows:
        own = changes_of(row)
        if own["before"] or own["after"]:
            changes["before"][f"{key}: {row}"] = own["before"]
            changes["after"][f"{key}: {row}"] = own["after"]


def snapshot(row) -> dict:
    """ROW's column values (secrets left out), for the record of a deletion."""
    state = inspect(row)
    return {attr.key: _plain(getattr(row, attr.key)) for attr in _stored_columns(state)}


def _stored_columns(state) -> list:
    """The column attributes of STATE's row that are its table's columns (not an expression
    a screen loads with it, such as ``Dossier.carried``), secrets left out."""
    return [
        attr
        for attr in state.mapper.column_attrs
        if attr.key not in HIDDEN_FIELDS and isinstance(attr.columns[0], Column)
    ]


def record_now(action: str, entity: str, entity_id: Any = None, **fields) -> None:
    """Write one entry in its own short transaction, leaving the caller's session alone.

    For reads worth auditing (exports), whose rows must stay loaded while they stream.
    """
    with Session(db.engine) as session:
        session.add(_entry(action, entity, entity_id, **fields))
        session.commit()
