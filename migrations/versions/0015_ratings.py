"""The citizen's ratings (``dossier_rating``, ``dossier.rating_key``), and the periodic
report's bookkeeping: ``report_daily.overdue_change`` (+1 on the day a
dossier's appointment passes while its clock runs, −1 when it stops), filled from the
dossiers' history, so that the overdue at any day's end is one sum of the daily rows.

Revision ID: 0015_ratings
Revises: 0014_carrier_inbox
"""

import sqlalchemy as sa
from alembic import op

from models.rating import FACES, FOLLOW_UPS, SOURCES, STAGES

revision = "0015_ratings"
down_revision = "0014_carrier_inbox"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dossier_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), sa.ForeignKey("dossier.id"), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("overall", sa.String(length=20), nullable=False),
        sa.Column("convenience", sa.String(length=20), nullable=True),
        sa.Column("timeliness", sa.String(length=20), nullable=True),
        sa.Column("attitude", sa.String(length=20), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("clerk_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("follow_up", sa.String(length=12), nullable=True),
        sa.Column("follow_up_note", sa.Text(), nullable=True),
        sa.Column("follow_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("follow_up_by_id", sa.Integer(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.CheckConstraint(FACES.check("overall"), name=op.f("ck_dossier_rating_overall")),
        sa.CheckConstraint(STAGES.check("stage"), name=op.f("ck_dossier_rating_stage")),
        sa.CheckConstraint(SOURCES.check("source"), name=op.f("ck_dossier_rating_source")),
        sa.CheckConstraint(
            "follow_up IS NULL OR " + FOLLOW_UPS.check("follow_up"),
            name=op.f("ck_dossier_rating_follow_up"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_rating")),
        sa.UniqueConstraint("dossier_id", "stage", name="uq_dossier_rating_stage"),
    )
    op.create_index(
        "ix_dossier_rating_follow_up", "dossier_rating", ["follow_up", "created_at"]
    )
    op.create_index("ix_dossier_rating_created", "dossier_rating", ["created_at"])
    with op.batch_alter_table("dossier") as batch_op:
        batch_op.add_column(sa.Column("rating_key", sa.String(length=6), nullable=True))
    # Every dossier already there gets its key (six hexadecimal capitals).
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE dossier SET rating_key = upper(substr(md5(random()::text), 1, 6))")
    else:
        op.execute("UPDATE dossier SET rating_key = upper(substr(hex(randomblob(3)), 1, 6))")
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
    with op.batch_alter_table("dossier") as batch_op:
        batch_op.drop_column("rating_key")
    op.drop_index("ix_dossier_rating_created", table_name="dossier_rating")
    op.drop_index("ix_dossier_rating_follow_up", table_name="dossier_rating")
    op.drop_table("dossier_rating")
    op.drop_index("ix_dossier_completed_at", table_name="dossier")
    op.drop_index("ix_dossier_late_completed", table_name="dossier")
    with op.batch_alter_table("report_daily") as batch_op:
        batch_op.drop_column("overdue_change")
