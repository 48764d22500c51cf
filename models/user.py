"""Users, roles and the role × resource × action permission rows."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint, event, inspect, update
from sqlalchemy.orm import (
    Mapped,
    Session,
    joinedload,
    lazyload,
    load_only,
    mapped_column,
    relationship,
)

from extensions import db
from models.agency import Agency
from models.base import UTCDateTime, utcnow
from models.vocabulary import N_, Term, Vocabulary

# The built-in roles (DOMAIN.md's exact names); IT staff may add others.
ROLES = Vocabulary(
    Term("po_clerk", "Nhân viên bưu điện", N_("Post-office clerk")),
    Term("po_supervisor", "Giám sát bưu điện", N_("Post-office supervisor")),
    Term("dept_admin", "Cán bộ sở, ngành", N_("Department officer")),
    Term("it_admin", "Quản trị CNTT", N_("IT administrator")),
    Term("viewer", "Lãnh đạo (chỉ xem)", N_("Leadership (read-only)")),
)
ROLE_NAMES = ROLES.values

user_roles = Table(
    "user_role",
    db.metadata,
    Column("user_id", ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
)


class Role(db.Model):
    """A named set of permissions (names are the exact ones of DOMAIN.md)."""

    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(500))
    # Raised with each flush that changes the role's permission rows (see below; a migration that
    # writes them in SQL raises it too): app servers cache a role's grants by (id, version),
    # read with the user's roles each request.
    grants_version: Mapped[int] = mapped_column(default=1, server_default="1")

    permissions: Mapped[list["Permission"]] = relationship(
        back_populates="role", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.label or self.name


class Permission(db.Model):
    """One allowed (resource, action) pair for a role; the matrix is these rows."""

    __tablename__ = "permission"
    __table_args__ = (
        UniqueConstraint(
            "role_id", "resource", "action", name="uq_permission_role_resource_action"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"), index=True)
    resource: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))

    role: Mapped[Role] = relationship(back_populates="permissions")

    def __str__(self) -> str:
        return f"{self.resource}:{self.action}"


@event.listens_for(Session, "after_flush")
def _new_grants_versions(session, _context) -> None:
    """A flush that changed a role's permission rows gives that role a new grants version:
    once per flush, in one statement (a grid of a hundred rows made a hundred before)."""
    changed = (*session.new, *session.dirty, *session.deleted)
    roles = {
        role_id
        for row in changed
        if isinstance(row, Permission)
        for role_id in (row.role_id, *inspect(row).attrs.role_id.history.deleted)
        if role_id is not None
    }
    if roles:
        role = Role.__table__
        session.connection().execute(
            update(role)
            .where(role.c.id.in_(sorted(roles)))
            .values(grants_version=role.c.grants_version + 1)
        )


class User(UserMixin, db.Model):
    """A person who signs in; belongs to one agency, holds one or more roles."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    # Bumped on sign-out, password change or deactivation: panel sessions carrying
    # an older value are ended (see login_manager.user_loader).
    session_epoch: Mapped[int] = mapped_column(default=0)
    # Bumped on password change, deactivation or a sign-out that ends the API
    # tokens too: tokens carrying an older value are refused (views/api/auth.py).
    token_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    # Shown on the user's page; the lock itself is kept in LoginThrottle.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # Set: a counter tablet's account, showing the rating screen of this clerk's dossiers and
    # nothing else (its roles grant nothing: permissions.granted).
    kiosk_clerk_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    agency: Mapped[Agency] = relationship(lazy="joined")
    kiosk_clerk: Mapped["User | None"] = relationship(
        remote_side=[id], foreign_keys=[kiosk_clerk_id], lazy="select"
    )
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")
    # No optimistic lock on users: every sign-in writes the row, which would make
    # an IT officer's edit of a signed-in user look stale.

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_kiosk(self) -> bool:
        """A counter tablet's account (bound to a clerk): the rating screen only."""
        return self.kiosk_clerk_id is not None

    @property
    def role_names(self) -> set[str]:
        return {role.name for role in self.roles}

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})"


def name_only() -> tuple:
    """Loader options for a user shown by name (``__str__``): no other column, and not
    the roles and the agency a user otherwise brings along (one more statement, wider rows)."""
    return (load_only(User.username, User.full_name), lazyload(User.roles), lazyload(User.agency))


def named_only(relation):
    """Loader option: RELATION's user joined, by name only (see name_only)."""
    return joinedload(relation).options(*name_only())
