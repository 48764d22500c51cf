"""Scale: (…, received_at, id) indexes, so that a page of the dossier list, in receipt
order with the id breaking ties, is read from the index alone (deep pages too); and a
grants version on each role, so that app servers can cache a role's permissions.

Revision ID: 0007_scale
Revises: 0006_reports
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_scale"
down_revision = "0006_reports"
branch_labels = None
depends_on = None

SCOPED = {
    "ix_dossier_agency_received": "agency_id",
    "ix_dossier_post_office_received": "post_office_id",
}


def upgrade():
    with op.batch_alter_table("role") as batch_op:
        batch_op.add_column(
            sa.Column("grants_version", sa.Integer(), nullable=False, server_default="1")
        )
    op.drop_index("ix_dossier_received_at", table_name="dossier")
    op.create_index("ix_dossier_received_at_id", "dossier", ["received_at", "id"])
    for name, column in SCOPED.items():
        op.drop_index(name, table_name="dossier")
        op.create_index(name, "dossier", [column, "received_at", "id"])


def downgrade():
    for name, column in SCOPED.items():
        op.drop_index(name, table_name="dossier")
        op.create_index(name, "dossier", [column, "received_at"])
    op.drop_index("ix_dossier_received_at_id", table_name="dossier")
    op.create_index("ix_dossier_received_at", "dossier", ["received_at"])
    with op.batch_alter_table("role") as batch_op:
        batch_op.drop_column("grants_version")
