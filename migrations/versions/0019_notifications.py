"""Messages to applicants: the channels they chose (on the dossier), the templates IT staff
edit (seeded with the defaults of every event × channel) and the log of every message.

Revision ID: 0019_notifications
Revises: 0018_report_delay
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from models.notification import EVENTS, NOTIFY_CHANNELS
from models.notification_texts import default_row

revision = "0019_notifications"
down_revision = "0018_report_delay"
branch_labels = None
depends_on = None

OUTBOX_KINDS_BEFORE = "kind IN ('step', 'state', 'export', 'digitize')"
OUTBOX_KINDS = "kind IN ('step', 'state', 'export', 'digitize', 'notify')"
EVENTS_CHECK = "event IN ({})".format(", ".join(f"'{e.value}'" for e in EVENTS))
CHANNELS_CHECK = "channel IN ('sms', 'email', 'zalo')"
RESULTS_CHECK = "result IN ('sending', 'retrying', 'sent', 'recorded', 'skipped', 'failed')"

PERMISSIONS = {("it_admin", "notification_template"): ("view", "edit")}


def _outbox_kinds(check: str) -> None:
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_constraint(op.f("ck_outbox_message_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_outbox_message_kind"), check)


def upgrade():
    _outbox_kinds(OUTBOX_KINDS)
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    with op.batch_alter_table("dossier") as batch_op:
        batch_op.add_column(sa.Column("notify_channels", json_type, nullable=True))
    template = op.create_table(
        "notification_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("provider_template", sa.String(length=60), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["app_user.id"],
            name=op.f("fk_notification_template_updated_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_template")),
        sa.CheckConstraint(EVENTS_CHECK, name=op.f("ck_notification_template_event")),
        sa.CheckConstraint(CHANNELS_CHECK, name=op.f("ck_notification_template_channel")),
        sa.UniqueConstraint("event", "channel", name="uq_notification_template_event_channel"),
    )
    op.create_table(
        "notification_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_key", sa.String(length=80), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=True),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=80), nullable=True),
        sa.Column("recipient_key", sa.String(length=32), nullable=True),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("unsure", sa.Integer(), nullable=False),
        sa.Column("provider_message_id", sa.String(length=120), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.Column("preview", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossier.id"],
            name=op.f("fk_notification_log_dossier_id_dossier"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["notification_template.id"],
            name=op.f("fk_notification_log_template_id_notification_template"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_log")),
        sa.UniqueConstraint("outbox_key", name=op.f("uq_notification_log_outbox_key")),
        sa.CheckConstraint(EVENTS_CHECK, name=op.f("ck_notification_log_event")),
        sa.CheckConstraint(CHANNELS_CHECK, name=op.f("ck_notification_log_channel")),
        sa.CheckConstraint(RESULTS_CHECK, name=op.f("ck_notification_log_result")),
    )
    op.create_index("ix_notification_log_dossier", "notification_log", ["dossier_id", "id"])
    op.create_index("ix_notification_log_created", "notification_log", ["created_at"])
    op.create_index(
        "ix_notification_log_channel_result", "notification_log", ["channel", "result", "id"]
    )
    op.create_index(
        "ix_notification_log_recipient", "notification_log", ["recipient_key", "sent_at"]
    )
    stamp = datetime.now(UTC)
    op.bulk_insert(
        template,
        [
            {
                "event": event.value,
                "channel": channel,
                "active": True,
                "updated_at": stamp,
                **default_row(event.value, channel),
            }
            for event in EVENTS
            for channel in NOTIFY_CHANNELS
        ],
    )
    for (role, resource), actions in PERMISSIONS.items():
        for action in actions:
            op.execute(
                sa.text(
                    "INSERT INTO permission (role_id, resource, action) "
                    "SELECT id, :resource, :action FROM role WHERE name = :role"
                ).bindparams(resource=resource, action=action, role=role)
            )


def downgrade():
    op.execute("DELETE FROM permission WHERE resource = 'notification_template'")
    op.drop_index("ix_notification_log_recipient", table_name="notification_log")
    op.drop_index("ix_notification_log_channel_result", table_name="notification_log")
    op.drop_index("ix_notification_log_created", table_name="notification_log")
    op.drop_index("ix_notification_log_dossier", table_name="notification_log")
    op.drop_table("notification_log")
    op.drop_table("notification_template")
    with op.batch_alter_table("dossier") as batch_op:
        batch_op.drop_column("notify_channels")
    op.execute("DELETE FROM outbox_message WHERE kind = 'notify'")
    _outbox_kinds(OUTBOX_KINDS_BEFORE)
