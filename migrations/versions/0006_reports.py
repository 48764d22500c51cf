"""Daily figures table (report_daily), filled from the dossiers and their history.

Revision ID: 0006_reports
Revises: 0003_handovers
Create Date: 2026-11-30 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006_reports"
down_revision = "0003_handovers"
branch_labels = None
depends_on = None

OPEN_SQL = "status IN ('received', 'processing', 'supplement_requested')"
HANDOVER_SQL = "from_status = 'received' AND to_status = 'processing'"
MEASURES = (
    "received",
    "received_counter",
    "received_post",
    "received_online",
    "fees",
    "completed",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "supplement_requests",
    "refused",
    "apologies",
    "stopped",
    "withdrawn",
    "returned_at_counter",
    "delivered",
    "returned_to_sender",
)


def upgrade():
    op.create_table(
        "report_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("procedure_type_id", sa.Integer(), nullable=False),
        sa.Column("post_office_id", sa.Integer(), nullable=False),
        *(
            sa.Column(m, sa.BigInteger() if m == "fees" else sa.Integer(), nullable=False)
            for m in MEASURES
        ),
        sa.PrimaryKeyConstraint(
            "day", "agency_id", "procedure_type_id", "post_office_id", name=op.f("pk_report_daily")
        ),
    )
    with op.batch_alter_table("report_daily", schema=None) as batch_op:
        batch_op.create_index("ix_report_daily_agency_day", ["agency_id", "day"], unique=False)
        batch_op.create_index(
            "ix_report_daily_post_office_day", ["post_office_id", "day"], unique=False
        )
    include = ["status", "due_at", "agency_id", "post_office_id", "procedure_type_id"]
    for name, columns in (("all", []), ("agency", ["agency_id"]), ("office", ["post_office_id"])):
        op.create_index(
            f"ix_dossier_open_{name}",
            "dossier",
            [*columns, "received_at"],
            unique=False,
            postgresql_where=sa.text(OPEN_SQL),
            sqlite_where=sa.text(OPEN_SQL),
            postgresql_include=include,
        )
    op.create_index(
        "ix_dossier_history_handover_at",
        "dossier_history",
        ["at"],
        unique=False,
        postgresql_where=sa.text(HANDOVER_SQL),
        sqlite_where=sa.text(HANDOVER_SQL),
        postgresql_include=["dossier_id"],
    )
    # Figures of the dossiers already there (the app keeps them from now on).
    from services.reporting.facts import rebuild

    rebuild(op.get_bind(), MEASURES, overdue=False)


def downgrade():
    op.drop_index("ix_dossier_history_handover_at", table_name="dossier_history")
    for name in ("all", "agency", "office"):
        op.drop_index(f"ix_dossier_open_{name}", table_name="dossier")
    with op.batch_alter_table("report_daily", schema=None) as batch_op:
        batch_op.drop_index("ix_report_daily_post_office_day")
        batch_op.drop_index("ix_report_daily_agency_day")
    op.drop_table("report_daily")
