"""The carriers' webhook calls are applied by the outbox workers: the outbox takes rows of
kind ``carrier`` (one per stored call), written with the call in the request's transaction.

Revision ID: 0021_carrier_outbox
Revises: 0018_report_delay
"""

from alembic import op

revision = "0021_carrier_outbox"
down_revision = "0018_report_delay"
branch_labels = None
depends_on = None

OUTBOX_KINDS_BEFORE = "kind IN ('step', 'state', 'export', 'digitize')"
OUTBOX_KINDS = "kind IN ('step', 'state', 'export', 'digitize', 'carrier')"


def _outbox_kinds(check: str) -> None:
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_message_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_outbox_message_kind"), check)


def upgrade():
    _outbox_kinds(OUTBOX_KINDS)


def downgrade():
    # Calls still waiting stay pending in the inbox: `flask webhooks apply-pending` applies them.
    op.execute("DELETE FROM outbox_message WHERE kind = 'carrier'")
    _outbox_kinds(OUTBOX_KINDS_BEFORE)
