"""Who took the result at the counter: the applicant, another person (name and ID) or an
authorised one (with the letter's reference); a report reads it from the dossier's row.

Revision ID: 0012_return_collector
Revises: 0011_delivery_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_return_collector"
down_revision = "0011_delivery_search"
branch_labels = None
depends_on = None

KINDS = "collected_by IS NULL OR collected_by IN ('applicant', 'other', 'authorised')"


def upgrade():
    with op.batch_alter_table("dossier") as batch_op:
        batch_op.add_column(sa.Column("collected_by", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("collector_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("collector_id_number", sa.String(length=12), nullable=True))
        batch_op.add_column(
            sa.Column("collector_authorisation", sa.String(length=100), nullable=True)
        )
        batch_op.create_check_constraint(op.f("ck_dossier_collected_by"), KINDS)


def downgrade():
    with op.batch_alter_table("dossier") as batch_op:
        batch_op.drop_constraint(op.f("ck_dossier_collected_by"), type_="check")
        batch_op.drop_column("collector_authorisation")
        batch_op.drop_column("collector_id_number")
        batch_op.drop_column("collector_name")
        batch_op.drop_column("collected_by")
