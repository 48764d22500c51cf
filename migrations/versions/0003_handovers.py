"""Handovers end to end: cancelled batches, one open batch per dossier, the cancel permission.

Revision ID: 0003_handovers
Revises: 0004_deliveries
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_handovers"
down_revision = "0004_deliveries"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('draft', 'sent', 'confirmed')"
NEW_STATUSES = "status IN ('draft', 'sent', 'confirmed', 'cancelled')"
CANCELLERS = ("po_supervisor", "dept_admin")


def upgrade():
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancelled_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cancel_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_handover_cancelled_by_id_app_user"),
            "app_user",
            ["cancelled_by_id"],
            ["id"],
        )
        batch_op.drop_constraint(batch_op.f("ck_handover_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_handover_status"), NEW_STATUSES)
    with op.batch_alter_table("handover_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("open_dossier_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_handover_item_open_dossier_id"), ["open_dossier_id"]
        )
    # Dossiers of batches sent and not yet confirmed are in their open batch.
    op.execute(
        "UPDATE handover_item SET open_dossier_id = dossier_id WHERE handover_id IN "
        "(SELECT id FROM handover WHERE status IN ('draft', 'sent'))"
    )
    # Roles that exist get the new 'cancel' permission their defaults now hold.
    for role in CANCELLERS:
        op.execute(
            "INSERT INTO permission (role_id, resource, action) "
            f"SELECT id, 'handover', 'cancel' FROM role WHERE name = '{role}'"
        )


def downgrade():
    op.execute("DELETE FROM permission WHERE resource = 'handover' AND action = 'cancel'")
    op.execute("UPDATE handover SET status = 'sent' WHERE status = 'cancelled'")
    with op.batch_alter_table("handover_item", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_handover_item_open_dossier_id"), type_="unique")
        batch_op.drop_column("open_dossier_id")
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_handover_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_handover_status"), OLD_STATUSES)
        batch_op.drop_constraint(
            batch_op.f("fk_handover_cancelled_by_id_app_user"), type_="foreignkey"
        )
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_by_id")
        batch_op.drop_column("cancelled_at")
