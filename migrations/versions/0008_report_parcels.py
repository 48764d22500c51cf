"""The home page from small reads: parcels, postage and dossiers still open kept in the daily
figures (report_daily), filled from the rows there; an index of the dossiers whose clock
runs, by appointment, which answers "overdue" from its few entries; and one of the dossiers
waiting to be handed over or collected, for the work queues.

Revision ID: 0008_report_parcels
Revises: 0007_scale
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_report_parcels"
down_revision = "0007_scale"
branch_labels = None
depends_on = None

#: The measures report_daily had before (0006_reports): new rows start them at 0.
EARLIER = (
    "received",
    "received_counter",
    "received_post",
    "received_online",
    "fees",
    "completed",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "supplement_requests",
    "refused",
    "apologies",
    "stopped",
    "withdrawn",
    "returned_at_counter",
    "delivered",
    "returned_to_sender",
)
ADDED = {"parcels": sa.Integer(), "postage": sa.BigInteger(), "in_progress": sa.Integer()}
KEY = "day, agency_id, procedure_type_id, post_office_id"
RUNNING_SQL = "status IN ('received', 'processing')"
WAITING_SQL = "status IN ('received', 'result_ready', 'result_at_counter')"
# Days are local (Asia/Ho_Chi_Minh, UTC+7 all year); a post office 0 is none (online).
LOCAL_DAY = {
    "postgresql": "date(timezone('Asia/Ho_Chi_Minh', {}))",
    "sqlite": "date({}, '+7 hours')",
}
FILL = """
INSERT INTO report_daily ({key}, {earlier}, {measures})
SELECT {day}, d.agency_id, d.procedure_type_id, coalesce(d.post_office_id, 0), {zeros},
       {values}
FROM {source}
WHERE {where}
GROUP BY {day}, d.agency_id, d.procedure_type_id, coalesce(d.post_office_id, 0)
ON CONFLICT ({key}) DO UPDATE SET {updates}
"""
#: What fills the new measures: (source, WHERE, instant of the day, measure → value).
SOURCES = (
    # A parcel counts on the day it was created, under its dossier's keys.
    (
        "delivery_order o JOIN dossier d ON d.id = o.dossier_id",
        "true",
        "o.created_at",
        {"parcels": "count(*)", "postage": "coalesce(sum(o.postage), 0)"},
    ),
    # A dossier still open counts on the day it was received.
    (
        "dossier d",
        "d.status IN ('received', 'processing', 'supplement_requested')",
        "d.received_at",
        {"in_progress": "count(*)"},
    ),
)


def _fill(bind, source, where, instant, values) -> None:
    day = LOCAL_DAY[bind.dialect.name].format(instant)
    sql = FILL.format(
        key=KEY,
        earlier=", ".join(EARLIER),
        measures=", ".join(m for m in ADDED if m in values),
        zeros=", ".join("0" for _ in EARLIER),
        values=", ".join(values[m] for m in ADDED if m in values),
        source=source,
        where=where,
        day=day,
        updates=", ".join(f"{m} = excluded.{m}" for m in ADDED if m in values),
    )
    bind.execute(sa.text(sql))


def upgrade():
    with op.batch_alter_table("report_daily") as batch_op:
        for name, kind in ADDED.items():
            batch_op.add_column(sa.Column(name, kind, nullable=False, server_default="0"))
    for source in SOURCES:
        _fill(op.get_bind(), *source)
    op.create_index(
        "ix_dossier_running_due",
        "dossier",
        ["due_at"],
        unique=False,
        postgresql_where=sa.text(RUNNING_SQL),
        sqlite_where=sa.text(RUNNING_SQL),
        postgresql_include=["received_at", "agency_id", "post_office_id"],
    )
    op.create_index(
        "ix_dossier_waiting",
        "dossier",
        ["status", "post_office_id", "agency_id"],
        unique=False,
        postgresql_where=sa.text(WAITING_SQL),
        sqlite_where=sa.text(WAITING_SQL),
        postgresql_include=["id"],
    )


def downgrade():
    op.drop_index("ix_dossier_waiting", table_name="dossier")
    op.drop_index("ix_dossier_running_due", table_name="dossier")
    # Rows that only counted what goes would be all zeros: they go with the columns.
    op.execute(f"DELETE FROM report_daily WHERE {' AND '.join(f'{m} = 0' for m in EARLIER)}")
    with op.batch_alter_table("report_daily") as batch_op:
        for name in reversed(ADDED):
            batch_op.drop_column(name)
