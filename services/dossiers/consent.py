"""The applicant's choice of message channels: taken at receipt, changed later with a reason.

Every sink reads it again when it sends (``services.integration.notify.deliver``): a
choice withdrawn stops the next message, whatever is already queued.
"""

import permissions
from models.notification import NOTIFY_CHANNELS
from services import audit
from services.errors import Forbidden, ValidationFailed

REASON_MAX = 500


def default_channels(return_method: str | None, phone: str | None) -> list[str]:
    """The API's default (CONTRACT.md): SMS when the result goes by post (and a phone is
    given), else none."""
    return ["sms"] if return_method == "post" and phone else []


def clean(channels, phone: str | None, email: str | None) -> tuple[list[str], str | None]:
    """(the chosen CHANNELS in the vocabulary's order, or a Vietnamese message why not)."""
    if channels is None:
        return [], None
    if isinstance(channels, str) or not isinstance(channels, list | tuple):
        return [], "Kênh nhận tin phải là danh sách gồm: " + ", ".join(NOTIFY_CHANNELS) + "."
    given = {str(c).strip() for c in channels}
    unknown = sorted(given - set(NOTIFY_CHANNELS))
    if unknown:
        return [], (
            f"Kênh nhận tin không có: {', '.join(unknown)}. "
            f"Chọn trong: {', '.join(NOTIFY_CHANNELS)}."
        )
    if given & {"sms", "zalo"} and not phone:
        return [], "Nhận tin SMS hoặc Zalo cần số điện thoại của người nộp."
    if "email" in given and not email:
        return [], "Nhận tin qua thư điện tử cần địa chỉ email của người nộp."
    return [c for c in NOTIFY_CHANNELS if c in given], None


def describe(channels) -> str:
    return ", ".join(NOTIFY_CHANNELS.vi(c) for c in channels or []) or "không nhận tin"


def may_change(user) -> bool:
    """Counter staff who receive dossiers, and those who may edit one, record the choice."""
    return permissions.can(user, "dossier", "receive") or permissions.can(user, "dossier", "edit")


def change(dossier, channels, reason: str | None, actor, *, ip_address=None) -> list[str]:
    """Record the applicant's new choice for DOSSIER (caller commits); audited with REASON."""
    if not may_change(actor):
        raise Forbidden("Vai trò của bạn không được đổi kênh nhận tin của người nộp.")
    if not permissions.in_scope(actor, "dossier", dossier):
        raise Forbidden("Hồ sơ không thuộc phạm vi của bạn.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Hãy ghi lý do đổi kênh nhận tin.", {"reason": "Bắt buộc."})
    if len(reason) > REASON_MAX:
        raise ValidationFailed("Lý do quá dài.", {"reason": f"Tối đa {REASON_MAX} ký tự."})
    chosen, problem = clean(list(channels or []), dossier.applicant_phone, dossier.applicant_email)
    if problem:
        raise ValidationFailed(problem, {"notify": problem})
    before = list(dossier.notify_channels or [])
    dossier.notify_channels = chosen or None
    dossier.updated_by_id = getattr(actor, "id", None)
    audit.record(
        "notify_consent",
        "dossier",
        dossier.id,
        actor=actor,
        ip_address=ip_address,
        summary=(
            f"{dossier.code}: kênh nhận tin {describe(before)} → {describe(chosen)}. "
            f"Lý do: {reason}"
        )[:500],
        changes={"before": {"notify": before}, "after": {"notify": chosen}},
    )
    return chosen
