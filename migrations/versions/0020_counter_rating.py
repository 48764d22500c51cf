"""The counter tablet and the closed periods' corrections: ``app_user.kiosk_clerk_id`` (a
tablet's account, bound to the clerk whose dossiers it rates), ``dossier_history.recorded_at``
(when a row dated in the past was written; NULL for rows written at their time, which every
existing row is taken to be), and their indexes.

Revision ID: 0020_counter_rating
Revises: 0019_notifications
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_counter_rating"
down_revision = "0019_notifications"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("app_user") as batch_op:
        batch_op.add_column(sa.Column("kiosk_clerk_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_app_user_kiosk_clerk_id_app_user", "app_user", ["kiosk_clerk_id"], ["id"]
        )
    with op.batch_alter_table("dossier_history") as batch_op:
        batch_op.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_dossier_history_actor_at", "dossier_history", ["actor_id", "at"])
    op.create_index(
        "ix_dossier_history_recorded_late",
        "dossier_history",
        ["recorded_at"],
        postgresql_where=sa.text("recorded_at IS NOT NULL"),
        sqlite_where=sa.text("recorded_at IS NOT NULL"),
    )


def downgrade():
    op.drop_index("ix_dossier_history_recorded_late", table_name="dossier_history")
    op.drop_index("ix_dossier_history_actor_at", table_name="dossier_history")
    with op.batch_alter_table("dossier_history") as batch_op:
        batch_op.drop_column("recorded_at")
    with op.batch_alter_table("app_user") as batch_op:
        batch_op.drop_constraint("fk_app_user_kiosk_clerk_id_app_user", type_="foreignkey")
        batch_op.drop_column("kiosk_clerk_id")
