"""Receipts dated further back than the allowed working days: the grid's new action.

Data only (no schema change): installations whose roles were created before
this action existed give it to the post-office supervisor, as DEFAULT_MATRIX
does for new ones; IT staff can move it in the grid afterwards.

Revision ID: 0002_receipt
Revises: 0001
Create Date: 2026-11-30 12:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0002_receipt"
down_revision = "0001"
branch_labels = None
depends_on = None

_GRANT = sa.text(
    "INSERT INTO permission (role_id, resource, action) "
    "SELECT id, 'dossier', 'receive_backdated' FROM role r WHERE r.name = 'po_supervisor' "
    "AND NOT EXISTS (SELECT 1 FROM permission p WHERE p.role_id = r.id "
    "AND p.resource = 'dossier' AND p.action = 'receive_backdated')"
)


def upgrade():
    op.get_bind().execute(_GRANT)


def downgrade():
    op.get_bind().execute(
        sa.text(
            "DELETE FROM permission WHERE resource = 'dossier' AND action = 'receive_backdated'"
        )
    )
