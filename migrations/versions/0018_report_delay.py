"""Handover delays counted in buckets per day and per month (services/reporting/delays.py):
a period's percentiles are read from a few thousand rows instead of sorting every handover.
Filled from the history as it stands.

Revision ID: 0018_report_delay
Revises: 0017_report_exports
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_report_delay"
down_revision = "0017_report_exports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_delay",
        sa.Column("grain", sa.String(length=1), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("procedure_type_id", sa.Integer(), nullable=False),
        sa.Column("post_office_id", sa.Integer(), nullable=False),
        sa.Column("bucket", sa.SmallInteger(), nullable=False),
        sa.Column("n", sa.Integer(), server_default="0", nullable=False),
        sa.Column("low", sa.Integer(), nullable=True),
        sa.Column("high", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint(
            "grain",
            "start",
            "agency_id",
            "procedure_type_id",
            "post_office_id",
            "bucket",
            name=op.f("pk_report_delay"),
        ),
    )
    from services.reporting.delays import rebuild  # the same counting as the app's

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("SET LOCAL statement_timeout = 0")
    rebuild(bind)


def downgrade():
    op.drop_table("report_delay")
