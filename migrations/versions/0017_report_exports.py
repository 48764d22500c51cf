"""Heavy downloads made by the workers: one row per file asked for, with its progress and
content; one unfinished file per user (a partial unique index).

Revision ID: 0017_report_exports
Revises: 0016_digitization
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0017_report_exports"
down_revision = "0016_digitization"
branch_labels = None
depends_on = None

UNFINISHED = sa.text("status IN ('queued', 'running')")


OUTBOX_KINDS_BEFORE = "kind IN ('step', 'state')"
OUTBOX_KINDS = "kind IN ('step', 'state', 'export', 'digitize')"


def _outbox_kinds(check: str) -> None:
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_message_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_outbox_message_kind"), check)


def upgrade():
    _outbox_kinds(OUTBOX_KINDS)  # the workers make the files (and, next, digitize scans)
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.create_table(
        "report_export",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("params", json_type, nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_report_export_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_export")),
        sa.CheckConstraint(
            "kind IN ('tracking_book', 'report')", name=op.f("ck_report_export_kind")
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')",
            name=op.f("ck_report_export_status"),
        ),
    )
    op.create_index(
        "ux_report_export_one_unfinished",
        "report_export",
        ["user_id"],
        unique=True,
        sqlite_where=UNFINISHED,
        postgresql_where=UNFINISHED,
    )
    op.create_index("ix_report_export_user_created", "report_export", ["user_id", "created_at"])


def downgrade():
    _outbox_kinds(OUTBOX_KINDS_BEFORE)
    op.drop_index("ix_report_export_user_created", table_name="report_export")
    op.drop_index("ux_report_export_one_unfinished", table_name="report_export")
    op.drop_table("report_export")
