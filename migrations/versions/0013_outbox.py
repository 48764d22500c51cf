"""The transactional outbox, the national portal's sync state and code mappings, and who
may see and work them.

Revision ID: 0013_outbox
Revises: 0012_return_collector
"""

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0013_outbox"
down_revision = "0012_return_collector"
branch_labels = None
depends_on = None

STATUSES = "status IN ('pending', 'sending', 'done', 'dead', 'discarded')"
KINDS = "kind IN ('step', 'state')"
MAPPING_KINDS = "kind IN ('procedure', 'field', 'status')"
DUE_SQL = "status IN ('pending', 'sending')"
OPEN_SQL = "status IN ('pending', 'sending', 'dead')"
DONE_SQL = "status = 'done'"
PERMISSIONS = {
    ("it_admin", "outbox"): ("view", "edit"),
    ("po_supervisor", "outbox"): ("view",),
    ("it_admin", "portal_mapping"): ("view", "create", "edit", "delete"),
}
UTC = models.base.UTCDateTime(timezone=True)


def upgrade():
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sink", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=True),
        sa.Column("history_id", sa.Integer(), nullable=True),
        sa.Column("payload", models.base.JSONType, nullable=True),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC, nullable=False),
        sa.Column("lease_token", sa.String(length=32), nullable=True),
        sa.Column("give_up_at", UTC, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("done_at", UTC, nullable=True),
        sa.CheckConstraint(STATUSES, name=op.f("ck_outbox_message_status")),
        sa.CheckConstraint(KINDS, name=op.f("ck_outbox_message_kind")),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_outbox_message_dossier_id_dossier")
        ),
        sa.ForeignKeyConstraint(
            ["history_id"],
            ["dossier_history.id"],
            name=op.f("fk_outbox_message_history_id_dossier_history"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_message_idempotency_key")),
    )
    for name, columns, where in (
        ("ix_outbox_due", ["next_attempt_at"], DUE_SQL),
        ("ix_outbox_open", ["sink", "status", "created_at"], OPEN_SQL),
        ("ix_outbox_done", ["done_at"], DONE_SQL),
    ):
        op.create_index(
            name,
            "outbox_message",
            columns,
            postgresql_where=sa.text(where),
            sqlite_where=sa.text(where),
        )
    op.create_index("ix_outbox_dossier", "outbox_message", ["dossier_id", "sink", "id"])
    op.create_table(
        "outbox_lock",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("until", UTC, nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_outbox_lock")),
    )
    op.create_table(
        "portal_sync",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("portal_status", sa.Integer(), nullable=True),
        sa.Column("first_synced_at", UTC, nullable=False),
        sa.Column("synced_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_portal_sync_dossier_id_dossier")
        ),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_portal_sync")),
    )
    op.create_table(
        "portal_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ours", sa.String(length=120), nullable=False),
        sa.Column("portal", sa.String(length=120), nullable=False),
        sa.Column("note", sa.String(length=255), nullable=True),
        sa.CheckConstraint(MAPPING_KINDS, name=op.f("ck_portal_mapping_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_mapping")),
        sa.UniqueConstraint("kind", "ours", name="uq_portal_mapping_ours"),
    )
    for (role, resource), actions in PERMISSIONS.items():
        for action in actions:
            op.execute(
                sa.text(
                    "INSERT INTO permission (role_id, resource, action) "
                    "SELECT id, :resource, :action FROM role WHERE name = :role"
                ).bindparams(resource=resource, action=action, role=role)
            )


def downgrade():
    op.execute("DELETE FROM permission WHERE resource IN ('outbox', 'portal_mapping')")
    op.drop_table("portal_mapping")
    op.drop_table("portal_sync")
    op.drop_table("outbox_lock")
    for name in ("ix_outbox_dossier", "ix_outbox_done", "ix_outbox_open", "ix_outbox_due"):
        op.drop_index(name, table_name="outbox_message")
    op.drop_table("outbox_message")
