"""Digitized dossiers: one PDF per document (and the result), signed, and the applicant's
store of still-valid documents for reuse; each checklist document's validity in months.

Revision ID: 0016_digitization
Revises: 0015_ratings
"""

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0016_digitization"
down_revision = "0015_ratings"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dossier_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("document", sa.String(length=500), nullable=False),
        sa.Column("originality", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("raw_key", sa.String(length=300), nullable=True),
        sa.Column("raw_type", sa.String(length=40), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=True),
        sa.Column("storage_key", sa.String(length=300), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("signer_serial", sa.String(length=80), nullable=True),
        sa.Column("signer_ca", sa.String(length=300), nullable=True),
        sa.Column("signer_name", sa.String(length=300), nullable=True),
        sa.Column("reused_from_id", sa.Integer(), nullable=True),
        sa.Column("from_national_store", sa.Boolean(), nullable=False),
        sa.Column("replaces_document", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("processed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('document', 'result', 'result_scan')", name=op.f("ck_dossier_file_kind")
        ),
        sa.CheckConstraint(
            "originality IN ('original', 'copy')", name=op.f("ck_dossier_file_originality")
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'ready', 'failed')", name=op.f("ck_dossier_file_state")
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossier.id"],
            name=op.f("fk_dossier_file_dossier_id_dossier"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reused_from_id"],
            ["dossier_file.id"],
            name=op.f("fk_dossier_file_reused_from_id_dossier_file"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["app_user.id"],
            name=op.f("fk_dossier_file_created_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_file")),
    )
    op.create_index("ix_dossier_file_dossier", "dossier_file", ["dossier_id", "kind", "id"])
    op.create_table(
        "applicant_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder_id_number", sa.String(length=14), nullable=False),
        sa.Column("document_type", sa.String(length=500), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("issuer", sa.String(length=255), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["dossier_file.id"],
            name=op.f("fk_applicant_document_file_id_dossier_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant_document")),
    )
    op.create_index(
        "ix_applicant_document_holder",
        "applicant_document",
        ["holder_id_number", "valid_until"],
    )
    with op.batch_alter_table("required_document") as batch_op:
        batch_op.add_column(sa.Column("validity_months", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("required_document") as batch_op:
        batch_op.drop_column("validity_months")
    op.drop_index("ix_applicant_document_holder", table_name="applicant_document")
    op.drop_table("applicant_document")
    op.drop_index("ix_dossier_file_dossier", table_name="dossier_file")
    op.drop_table("dossier_file")
