"""Writes: one explicit transaction per change, and the optimistic lock on a stale copy.

Services work in the caller's transaction and never commit; the door (a route, a
command) wraps its call in ``with transaction():``, which commits what the block
wrote or, on any error (a ServiceError included), rolls it all back and re-raises.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from extensions import db
from services.calendar import LOCAL_TZ
from services.errors import Conflict


@contextmanager
def transaction(*, expire: bool = True) -> Iterator[None]:
    """Commit the block's writes on success; roll back and re-raise on any exception.

    EXPIRE False keeps the written rows loaded after the commit (an answer that shows
    what was just written needs no second read).
    """
    session = db.session()
    try:
        yield
        session.expire_on_commit = expire
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.expire_on_commit = True


def check_version(row, seen: int | str | None) -> None:
    """Raise Conflict when SEEN (the version the user opened) is not ROW's current one.

    The message names who changed the row and when, where the row records it.
    """
    if seen is None or str(seen).strip() == "":
        return
    try:
        seen = int(seen)
    except (TypeError, ValueError) as exc:
        raise Conflict("Phiên bản bản ghi không hợp lệ; hãy tải lại trang.") from exc
    if seen == row.version:
        return
    label = getattr(row, "code", None) or str(row)
    who = getattr(getattr(row, "updated_by", None), "full_name", None) or "người khác"
    updated_at = getattr(row, "updated_at", None)
    when = f" lúc {updated_at.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}" if updated_at else ""
    raise Conflict(
        f"«{label}» đã được {who} cập nhật{when} sau khi bạn mở nó. "
        "Chưa có gì được lưu; hãy tải lại để xem thay đổi của họ."
    )
