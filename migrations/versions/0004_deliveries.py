"""Deliveries end to end: postage price list, parcel weight, when the status was reached,
each tracking event stored once.

Revision ID: 0004_deliveries
Revises: 0002_security
Create Date: 2026-11-30 11:31:48.946349

"""

import sqlalchemy as sa
from alembic import op

import models.base

# revision identifiers, used by Alembic.
revision = "0004_deliveries"
down_revision = "0002_security"
branch_labels = None
depends_on = None

# A plausible published list (VND): up to 100 g, 250 g, 500 g, then each further 500 g.
DEFAULT_RATES = {
    "within": ((100, 26_000), (250, 28_000), (500, 31_000), (None, 4_000)),
    "outside": ((100, 31_500), (250, 34_500), (500, 39_000), (None, 7_500)),
}
# Who sees and who keeps the price list (permissions.DEFAULT_MATRIX).
PERMISSIONS = {
    "it_admin": ("view", "create", "edit", "delete", "export"),
    "po_clerk": ("view",),
    "po_supervisor": ("view",),
}


def upgrade():
    rates = op.create_table(
        "postage_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(length=10), nullable=False),
        sa.Column("up_to_grams", sa.Integer(), nullable=True),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=255), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("zone IN ('within', 'outside')", name=op.f("ck_postage_rate_zone")),
        sa.CheckConstraint("price >= 0", name=op.f("ck_postage_rate_price")),
        sa.CheckConstraint(
            "up_to_grams IS NULL OR up_to_grams > 0", name=op.f("ck_postage_rate_up_to_grams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postage_rate")),
        sa.UniqueConstraint("zone", "up_to_grams", name="uq_postage_rate_band"),
    )
    op.bulk_insert(
        rates,
        [
            {"zone": zone, "up_to_grams": grams, "price": price, "version": 1}
            for zone, lines in DEFAULT_RATES.items()
            for grams, price in lines
        ],
    )
    # The same event stored twice before this revision: keep the first.
    op.execute(
        "DELETE FROM delivery_event WHERE id NOT IN ("
        "SELECT MIN(id) FROM delivery_event GROUP BY delivery_order_id, status, at)"
    )
    with op.batch_alter_table("delivery_event", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_delivery_event_once", ["delivery_order_id", "status", "at"]
        )

    with op.batch_alter_table("delivery_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weight_grams", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("status_at", models.base.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE delivery_order SET status_at = COALESCE("
        "(SELECT MAX(e.at) FROM delivery_event e WHERE e.delivery_order_id = delivery_order.id),"
        " created_at)"
    )
    with op.batch_alter_table("delivery_order", schema=None) as batch_op:
        batch_op.alter_column(
            "status_at", existing_type=models.base.UTCDateTime(timezone=True), nullable=False
        )
        batch_op.create_check_constraint(
            op.f("ck_delivery_order_weight_grams"), "weight_grams IS NULL OR weight_grams > 0"
        )
        batch_op.create_index("ix_delivery_order_status_at", ["status", "status_at"], unique=False)
    _grant()


def _grant():
    for role, actions in PERMISSIONS.items():
        for action in actions:
            op.execute(
                sa.text(
                    "INSERT INTO permission (role_id, resource, action) "
                    "SELECT id, 'postage_rate', :action FROM role WHERE name = :role"
                ).bindparams(action=action, role=role)
            )


def downgrade():
    op.execute("DELETE FROM permission WHERE resource = 'postage_rate'")
    with op.batch_alter_table("delivery_order", schema=None) as batch_op:
        batch_op.drop_index("ix_delivery_order_status_at")
        batch_op.drop_constraint(op.f("ck_delivery_order_weight_grams"), type_="check")
        batch_op.drop_column("status_at")
        batch_op.drop_column("weight_grams")

    with op.batch_alter_table("delivery_event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_delivery_event_once", type_="unique")

    op.drop_table("postage_rate")
