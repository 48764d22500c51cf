"""Editing the permission matrix of one role."""

from extensions import db
from models.user import Permission, Role
from permissions import RESOURCES, WORKFLOW_PAIRS, actions_of
from services import audit
from services.errors import ValidationFailed

# Without these the IT staff could lock themselves out of the grid.
IT_ADMIN_KEEPS = frozenset({("role", "view"), ("role", "edit")})


def valid_pairs() -> frozenset[tuple[str, str]]:
    """Every (resource, action) the grid offers."""
    return frozenset((r, a) for r in RESOURCES for a in actions_of(r))


def set_permissions(role: Role, pairs, *, actor=None, ip_address=None) -> dict:
    """Make ROLE's permissions exactly PAIRS; audit the difference. Returns it."""
    wanted = frozenset(pairs)
    unknown = wanted - valid_pairs()
    if unknown:
        raise ValidationFailed("Bảng phân quyền gửi lên có quyền không tồn tại; hãy tải lại trang.")
    if role.name in ("it_admin", "viewer") and wanted & WORKFLOW_PAIRS:
        raise ValidationFailed(
            "Quản trị CNTT và lãnh đạo không tham gia xử lý hồ sơ: không thể giao cho vai trò "
            "này các quyền tiếp nhận, sửa, bàn giao hay chuyển phát."
        )
    if role.name == "it_admin" and not wanted >= IT_ADMIN_KEEPS:
        raise ValidationFailed(
            "Vai trò Quản trị CNTT phải giữ quyền xem và sửa vai trò, "
            "nếu không sẽ không ai sửa được bảng phân quyền."
        )
    current = {(p.resource, p.action): p for p in role.permissions}
    added = sorted(wanted - current.keys())
    removed = sorted(current.keys() - wanted)
    for pair in removed:
        role.permissions.remove(current[pair])
    for resource, action in added:
        role.permissions.append(Permission(resource=resource, action=action))
    if added or removed:
        db.session.flush()
        audit.record(
            "edit_permissions",
            "role",
            role.id,
            actor=actor,
            ip_address=ip_address,
            summary=f"Phân quyền vai trò {role.name}: +{len(added)} / -{len(removed)}",
            changes={
                "before": sorted(f"{r}:{a}" for r, a in current),
                "after": sorted(f"{r}:{a}" for r, a in wanted),
            },
        )
    return {"added": added, "removed": removed}
