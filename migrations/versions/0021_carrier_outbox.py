"""The carriers' webhook calls are applied by the outbox workers: the outbox takes rows of
kind ``carrier`` (one per stored call), written with the call in the request's transaction.
And the rows sent lately counted per sink from an index of their own: with one index on
``done_at`` alone, a sink with nothing sent walked every other sink's rows of the last day
(0.6 s on 1,000,000 sent rows).

Revision ID: 0021_carrier_outbox
Revises: 0020_counter_rating
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_carrier_outbox"
down_revision = "0020_counter_rating"
branch_labels = None
depends_on = None

OUTBOX_KINDS_BEFORE = "kind IN ('step', 'state', 'export', 'digitize', 'notify')"
OUTBOX_KINDS = "kind IN ('step', 'state', 'export', 'digitize', 'notify', 'carrier')"


def _outbox_kinds(check: str) -> None:
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_message_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_outbox_message_kind"), check)


DONE = sa.text("status = 'done'")


def upgrade():
    _outbox_kinds(OUTBOX_KINDS)
    op.create_index(
        "ix_outbox_done_sink",
        "outbox_message",
        ["sink", "done_at"],
        postgresql_where=DONE,
        sqlite_where=DONE,
    )


def downgrade():
    op.drop_index("ix_outbox_done_sink", table_name="outbox_message")
    # Calls still waiting stay pending in the inbox: `flask webhooks apply-pending` applies them.
    op.execute("DELETE FROM outbox_message WHERE kind = 'carrier'")
    _outbox_kinds(OUTBOX_KINDS_BEFORE)
