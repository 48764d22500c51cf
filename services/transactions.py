"""Optimistic locking: refuse a change made from a stale copy of a row."""

from services.calendar import LOCAL_TZ
from services.errors import Conflict


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
