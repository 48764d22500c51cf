"""Drop the three partial indexes of open dossiers (received, processing, supplement
requested) by receipt time. The figures no longer read them (report_daily keeps the
dossiers in progress since 0008, overdue ones come from ix_dossier_running_due), and
PostgreSQL chose ix_dossier_open_all for the list filtered by one open status: it
walked the newest open dossiers of every status and dropped those of the others
(2.3 ms on 1 M dossiers, against 0.1–0.5 ms on ix_dossier_status_received). Three
indexes fewer to keep on every receipt and move, too.

Revision ID: 0010_drop_open_indexes
Revises: 0009_status_order
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_drop_open_indexes"
down_revision = "0009_status_order"
branch_labels = None
depends_on = None

OPEN_SQL = "status IN ('received', 'processing', 'supplement_requested')"
SCOPES = (("all", []), ("agency", ["agency_id"]), ("office", ["post_office_id"]))


def upgrade():
    for name, _columns in SCOPES:
        op.drop_index(f"ix_dossier_open_{name}", table_name="dossier")


def downgrade():
    include = ["status", "due_at", "agency_id", "post_office_id", "procedure_type_id"]
    for name, columns in SCOPES:
        op.create_index(
            f"ix_dossier_open_{name}",
            "dossier",
            [*columns, "received_at"],
            unique=False,
            postgresql_where=sa.text(OPEN_SQL),
            sqlite_where=sa.text(OPEN_SQL),
            postgresql_include=include,
        )
