"""Digitization, continued: a checklist document's validity is 1 to 120 months (IT staff
edit it in the catalog), and the applicant's store is looked up by holder, document type and
validity in one index (the counter's offer of documents to reuse).

Revision ID: 0022_digitization_more
Revises: 0021_carrier_outbox
"""

from alembic import op

revision = "0022_digitization_more"
down_revision = "0021_carrier_outbox"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("required_document") as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_required_document_validity_months"),
            "validity_months IS NULL OR validity_months BETWEEN 1 AND 120",
        )
    op.drop_index("ix_applicant_document_holder", table_name="applicant_document")
    op.create_index(
        "ix_applicant_document_holder",
        "applicant_document",
        ["holder_id_number", "document_type", "valid_until"],
    )


def downgrade():
    op.drop_index("ix_applicant_document_holder", table_name="applicant_document")
    op.create_index(
        "ix_applicant_document_holder",
        "applicant_document",
        ["holder_id_number", "valid_until"],
    )
    with op.batch_alter_table("required_document") as batch_op:
        batch_op.drop_constraint(op.f("ck_required_document_validity_months"), type_="check")
