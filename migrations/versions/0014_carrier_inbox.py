"""The carrier webhook inbox and each carrier's status mapping, with EMS's default mapping.

Revision ID: 0014_carrier_inbox
Revises: 0013_outbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_carrier_inbox"
down_revision = "0013_outbox"
branch_labels = None
depends_on = None

# models.carrier.DEFAULT_MAPPING as it stood when this migration was written.
DEFAULT_MAPPING = {
    "ems": (
        ("100", "accepted", "Chấp nhận gửi"),
        ("101", "accepted", "Đã nhận hàng"),
        ("200", "in_transit", "Đi bưu cục"),
        ("201", "in_transit", "Đến bưu cục"),
        ("202", "in_transit", "Khai thác"),
        ("300", "out_for_delivery", "Đã giao cho bưu tá, đang phát"),
        ("400", "delivered", "Phát thành công"),
        ("500", "failed", "Phát không thành công"),
        ("501", "failed", "Phát lại"),
        ("600", "returned_to_sender", "Chuyển hoàn"),
        ("601", "returned_to_sender", "Phát hoàn"),
    ),
}
STATUSES = (
    "'created', 'accepted', 'in_transit', 'out_for_delivery', 'delivered', 'failed', "
    "'returned_to_sender'"
)
# Who keeps the mapping and who reads the inbox (permission_defaults.DEFAULT_MATRIX).
PERMISSIONS = {
    ("it_admin", "carrier_status"): ("view", "create", "edit", "delete", "export"),
    ("it_admin", "carrier_webhook"): ("view", "export", "reapply"),
    ("po_supervisor", "carrier_status"): ("view",),
}


def upgrade():
    mapping = op.create_table(
        "carrier_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=255), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("carrier IN ('ems')", name=op.f("ck_carrier_status_carrier")),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f("ck_carrier_status_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_status")),
        sa.UniqueConstraint("carrier", "code", name="uq_carrier_status_code"),
    )
    op.create_table(
        "carrier_webhook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=20), nullable=False),
        sa.Column("transaction_id", sa.String(length=100), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("tracking_code", sa.String(length=13), nullable=True),
        sa.Column("status_code", sa.String(length=40), nullable=True),
        sa.Column("status_name", sa.String(length=200), nullable=True),
        sa.Column("event_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("mapped_status", sa.String(length=20), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivery_event_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("carrier IN ('ems')", name=op.f("ck_carrier_webhook_carrier")),
        sa.CheckConstraint(
            "state IN ('pending', 'applied', 'unapplied', 'refused')",
            name=op.f("ck_carrier_webhook_state"),
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('applied', 'kept', 'duplicate')",
            name=op.f("ck_carrier_webhook_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["delivery_event_id"],
            ["delivery_event.id"],
            name=op.f("fk_carrier_webhook_delivery_event_id_delivery_event"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_webhook")),
        sa.UniqueConstraint("carrier", "transaction_id", name="uq_carrier_webhook_transaction"),
    )
    op.create_index(
        "ix_carrier_webhook_state_received", "carrier_webhook", ["state", "received_at"]
    )
    op.create_index(
        "ix_carrier_webhook_tracking_state", "carrier_webhook", ["tracking_code", "state"]
    )
    op.bulk_insert(
        mapping,
        [
            {"carrier": carrier, "code": code, "status": status, "note": note, "version": 1}
            for carrier, rows in DEFAULT_MAPPING.items()
            for code, status, note in rows
        ],
    )
    _grant()


def _grant():
    for (role, resource), actions in PERMISSIONS.items():
        for action in actions:
            op.execute(
                sa.text(
                    "INSERT INTO permission (role_id, resource, action) "
                    "SELECT id, :resource, :action FROM role WHERE name = :role"
                ).bindparams(resource=resource, action=action, role=role)
            )
    op.execute(  # app servers cache grants by role version
        "UPDATE role SET grants_version = grants_version + 1 "
        "WHERE name IN ('it_admin', 'po_supervisor')"
    )


def downgrade():
    op.execute("DELETE FROM permission WHERE resource IN ('carrier_status', 'carrier_webhook')")
    op.drop_index("ix_carrier_webhook_tracking_state", table_name="carrier_webhook")
    op.drop_index("ix_carrier_webhook_state_received", table_name="carrier_webhook")
    op.drop_table("carrier_webhook")
    op.drop_table("carrier_status")
