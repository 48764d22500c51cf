"""The periodic report's bookkeeping: ``report_daily.overdue_change`` (+1 on the day a
dossier's appointment passes while its clock runs, −1 when it stops), filled from the
dossiers' history, so that the overdue at any day's end is one sum of the daily rows.

Revision ID: 0015_ratings
Revises: 0012_return_collector
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_ratings"
down_revision = "0012_return_collector"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("report_daily") as batch_op:
        batch_op.add_column(
            sa.Column("overdue_change", sa.Integer(), nullable=False, server_default="0")
        )
    # The scorecard's dossiers losing points, read in order: settled late, settled at all.
    late = sa.text("timeliness = 'late'")
    op.create_index(
        "ix_dossier_late_completed",
        "dossier",
        ["completed_at", "id"],
        postgresql_where=late,
        sqlite_where=late,
    )
    op.create_index("ix_dossier_completed_at", "dossier", ["completed_at", "id"])
    # The dossiers already there (the app keeps the tally from now on).
    from services.reporting import facts, timeline

    bind = op.get_bind()
    facts.add_in_bulk(bind, timeline.overdue_of_all(bind))


def downgrade():
    op.drop_index("ix_dossier_completed_at", table_name="dossier")
    op.drop_index("ix_dossier_late_completed", table_name="dossier")
    with op.batch_alter_table("report_daily") as batch_op:
        batch_op.drop_column("overdue_change")
