"""Initial schema: every table of DOMAIN.md.

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 08:34:25.567707

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # Trigram index for diacritics-free substring search on dossiers.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('agency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=255), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('department', 'post_office', 'it_unit', 'leadership')", name=op.f('ck_agency_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency')),
    sa.UniqueConstraint('code', name=op.f('uq_agency_code'))
    )
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_kind'), ['kind'], unique=False)

    op.create_table('code_counter',
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'day', name=op.f('pk_code_counter'))
    )
    op.create_table('role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role')),
    sa.UniqueConstraint('name', name=op.f('uq_role_name'))
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('session_epoch', sa.Integer(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_app_user_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_app_user_agency_id'), ['agency_id'], unique=False)

    op.create_table('permission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.Column('resource', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['role_id'], ['role.id'], name=op.f('fk_permission_role_id_role'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_permission')),
    sa.UniqueConstraint('role_id', 'resource', 'action', name='uq_permission_role_resource_action')
    )
    with op.batch_alter_table('permission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_permission_role_id'), ['role_id'], unique=False)

    op.create_table('procedure_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('field', sa.String(length=120), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('processing_days', sa.Integer(), nullable=False),
    sa.Column('fee', sa.Integer(), nullable=False),
    sa.Column('online_level', sa.String(length=20), nullable=False),
    sa.Column('postal_return', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("online_level IN ('toan_trinh', 'mot_phan', 'none')", name=op.f('ck_procedure_type_online_level')),
    sa.CheckConstraint('fee >= 0', name=op.f('ck_procedure_type_fee')),
    sa.CheckConstraint('processing_days >= 0', name=op.f('ck_procedure_type_processing_days')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_procedure_type_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procedure_type')),
    sa.UniqueConstraint('code', name=op.f('uq_procedure_type_code'))
    )
    with op.batch_alter_table('procedure_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procedure_type_active'), ['active'], unique=False)
        batch_op.create_index(batch_op.f('ix_procedure_type_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_procedure_type_field'), ['field'], unique=False)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_username', sa.String(length=80), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=40), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=True),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['app_user.id'], name=op.f('fk_audit_entry_actor_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_entry_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('calendar_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_working', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_calendar_override_created_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_override')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_override_day'))
    )
    op.create_table('dossier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('procedure_type_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('post_office_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('return_method', sa.String(length=10), nullable=False),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('applicant_id_number', sa.String(length=12), nullable=True),
    sa.Column('applicant_phone', sa.String(length=15), nullable=True),
    sa.Column('applicant_email', sa.String(length=255), nullable=True),
    sa.Column('applicant_province_code', sa.Integer(), nullable=True),
    sa.Column('applicant_ward_code', sa.Integer(), nullable=True),
    sa.Column('applicant_street', sa.String(length=255), nullable=True),
    sa.Column('applicant_address', sa.String(length=500), nullable=True),
    sa.Column('organization_name', sa.String(length=255), nullable=True),
    sa.Column('organization_tax_code', sa.String(length=14), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('clock_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fee_amount', sa.Integer(), nullable=False),
    sa.Column('extra_data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('documents_checked', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('result_number', sa.String(length=60), nullable=True),
    sa.Column('result_date', sa.Date(), nullable=True),
    sa.Column('result_summary', sa.Text(), nullable=True),
    sa.Column('result_outcome', sa.String(length=10), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('timeliness', sa.String(length=10), nullable=True),
    sa.Column('supplement_count', sa.Integer(), nullable=False),
    sa.Column('apology_count', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('search_text', sa.String(length=600), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("channel IN ('counter', 'post', 'online')", name=op.f('ck_dossier_channel')),
    sa.CheckConstraint("result_outcome IS NULL OR result_outcome IN ('granted', 'refused')", name=op.f('ck_dossier_result_outcome')),
    sa.CheckConstraint("return_method IN ('counter', 'post')", name=op.f('ck_dossier_return_method')),
    sa.CheckConstraint("status IN ('received', 'processing', 'supplement_requested', 'result_ready', 'result_at_counter', 'in_delivery', 'returned', 'not_accepted', 'withdrawn', 'stopped')", name=op.f('ck_dossier_status')),
    sa.CheckConstraint("timeliness IS NULL OR timeliness IN ('early', 'on_time', 'late')", name=op.f('ck_dossier_timeliness')),
    sa.CheckConstraint('fee_amount >= 0', name=op.f('ck_dossier_fee_amount')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_dossier_agency_id_agency')),
    sa.ForeignKeyConstraint(['post_office_id'], ['agency.id'], name=op.f('fk_dossier_post_office_id_agency')),
    sa.ForeignKeyConstraint(['procedure_type_id'], ['procedure_type.id'], name=op.f('fk_dossier_procedure_type_id_procedure_type')),
    sa.ForeignKeyConstraint(['received_by_id'], ['app_user.id'], name=op.f('fk_dossier_received_by_id_app_user')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], name=op.f('fk_dossier_updated_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier')),
    sa.UniqueConstraint('code', name=op.f('uq_dossier_code'))
    )
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.create_index('ix_dossier_agency_received', ['agency_id', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_applicant_id_number'), ['applicant_id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_applicant_phone'), ['applicant_phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_due_at'), ['due_at'], unique=False)
        batch_op.create_index('ix_dossier_post_office_received', ['post_office_id', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_procedure_type_id'), ['procedure_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_received_at'), ['received_at'], unique=False)
        batch_op.create_index(
            'ix_dossier_search_text_trgm', ['search_text'], unique=False,
            postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'},
        )
        batch_op.create_index('ix_dossier_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_timeliness'), ['timeliness'], unique=False)

    op.create_table('extra_field',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure_type_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('field_type', sa.String(length=10), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('choices', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("field_type IN ('text', 'number', 'date', 'choice')", name=op.f('ck_extra_field_field_type')),
    sa.ForeignKeyConstraint(['procedure_type_id'], ['procedure_type.id'], name=op.f('fk_extra_field_procedure_type_id_procedure_type'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extra_field')),
    sa.UniqueConstraint('procedure_type_id', 'key', name='uq_extra_field_procedure_key')
    )
    with op.batch_alter_table('extra_field', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extra_field_procedure_type_id'), ['procedure_type_id'], unique=False)

    op.create_table('handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('direction', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('from_agency_id', sa.Integer(), nullable=False),
    sa.Column('to_agency_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('has_missing', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("direction IN ('to_department', 'to_post_office')", name=op.f('ck_handover_direction')),
    sa.CheckConstraint("status IN ('draft', 'sent', 'confirmed')", name=op.f('ck_handover_status')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['app_user.id'], name=op.f('fk_handover_confirmed_by_id_app_user')),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_handover_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['from_agency_id'], ['agency.id'], name=op.f('fk_handover_from_agency_id_agency')),
    sa.ForeignKeyConstraint(['to_agency_id'], ['agency.id'], name=op.f('fk_handover_to_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover')),
    sa.UniqueConstraint('code', name=op.f('uq_handover_code'))
    )
    with op.batch_alter_table('handover', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handover_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_handover_from_agency_id'), ['from_agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handover_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_handover_to_agency_id'), ['to_agency_id'], unique=False)

    op.create_table('required_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('procedure_type_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('original', 'copy', 'certified_copy')", name=op.f('ck_required_document_kind')),
    sa.CheckConstraint('quantity >= 1', name=op.f('ck_required_document_quantity')),
    sa.ForeignKeyConstraint(['procedure_type_id'], ['procedure_type.id'], name=op.f('fk_required_document_procedure_type_id_procedure_type'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_required_document'))
    )
    with op.batch_alter_table('required_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_required_document_procedure_type_id'), ['procedure_type_id'], unique=False)

    op.create_table('user_role',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['role_id'], ['role.id'], name=op.f('fk_user_role_role_id_role'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_user_role_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role_id', name=op.f('pk_user_role'))
    )
    op.create_table('delivery_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_code', sa.String(length=13), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('post_office_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=False),
    sa.Column('recipient_phone', sa.String(length=15), nullable=False),
    sa.Column('recipient_province_code', sa.Integer(), nullable=True),
    sa.Column('recipient_ward_code', sa.Integer(), nullable=True),
    sa.Column('recipient_street', sa.String(length=255), nullable=True),
    sa.Column('recipient_address', sa.String(length=500), nullable=False),
    sa.Column('postage', sa.Integer(), nullable=False),
    sa.Column('cod_amount', sa.Integer(), nullable=False),
    sa.Column('failure_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('created', 'accepted', 'in_transit', 'out_for_delivery', 'delivered', 'failed', 'returned_to_sender')", name=op.f('ck_delivery_order_status')),
    sa.CheckConstraint('cod_amount >= 0', name=op.f('ck_delivery_order_cod_amount')),
    sa.CheckConstraint('postage >= 0', name=op.f('ck_delivery_order_postage')),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_delivery_order_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_delivery_order_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['post_office_id'], ['agency.id'], name=op.f('fk_delivery_order_post_office_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_order')),
    sa.UniqueConstraint('tracking_code', name=op.f('uq_delivery_order_tracking_code'))
    )
    with op.batch_alter_table('delivery_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_order_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_order_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_order_post_office_id'), ['post_office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_order_status'), ['status'], unique=False)

    op.create_table('dossier_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['app_user.id'], name=op.f('fk_dossier_history_actor_id_app_user')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_history_dossier_id_dossier')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_history'))
    )
    with op.batch_alter_table('dossier_history', schema=None) as batch_op:
        batch_op.create_index('ix_dossier_history_dossier_at', ['dossier_id', 'at'], unique=False)

    op.create_table('handover_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('handover_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('missing', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_handover_item_dossier_id_dossier')),
    sa.ForeignKeyConstraint(['handover_id'], ['handover.id'], name=op.f('fk_handover_item_handover_id_handover'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover_item')),
    sa.UniqueConstraint('handover_id', 'dossier_id', name='uq_handover_item_handover_dossier')
    )
    with op.batch_alter_table('handover_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handover_item_dossier_id'), ['dossier_id'], unique=False)

    op.create_table('delivery_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_order_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('tracking', 'manual')", name=op.f('ck_delivery_event_source')),
    sa.CheckConstraint("status IN ('created', 'accepted', 'in_transit', 'out_for_delivery', 'delivered', 'failed', 'returned_to_sender')", name=op.f('ck_delivery_event_status')),
    sa.ForeignKeyConstraint(['actor_id'], ['app_user.id'], name=op.f('fk_delivery_event_actor_id_app_user')),
    sa.ForeignKeyConstraint(['delivery_order_id'], ['delivery_order.id'], name=op.f('fk_delivery_event_delivery_order_id_delivery_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_event'))
    )
    with op.batch_alter_table('delivery_event', schema=None) as batch_op:
        batch_op.create_index('ix_delivery_event_order_at', ['delivery_order_id', 'at'], unique=False)

    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('delivery_event', schema=None) as batch_op:
        batch_op.drop_index('ix_delivery_event_order_at')

    op.drop_table('delivery_event')
    with op.batch_alter_table('handover_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handover_item_dossier_id'))

    op.drop_table('handover_item')
    with op.batch_alter_table('dossier_history', schema=None) as batch_op:
        batch_op.drop_index('ix_dossier_history_dossier_at')

    op.drop_table('dossier_history')
    with op.batch_alter_table('delivery_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_order_status'))
        batch_op.drop_index(batch_op.f('ix_delivery_order_post_office_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_order_dossier_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_order_created_at'))

    op.drop_table('delivery_order')
    op.drop_table('user_role')
    with op.batch_alter_table('required_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_required_document_procedure_type_id'))

    op.drop_table('required_document')
    with op.batch_alter_table('handover', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handover_to_agency_id'))
        batch_op.drop_index(batch_op.f('ix_handover_status'))
        batch_op.drop_index(batch_op.f('ix_handover_from_agency_id'))
        batch_op.drop_index(batch_op.f('ix_handover_created_at'))

    op.drop_table('handover')
    with op.batch_alter_table('extra_field', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extra_field_procedure_type_id'))

    op.drop_table('extra_field')
    with op.batch_alter_table('dossier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_timeliness'))
        batch_op.drop_index('ix_dossier_status_due')
        batch_op.drop_index('ix_dossier_search_text_trgm')
        batch_op.drop_index(batch_op.f('ix_dossier_received_at'))
        batch_op.drop_index(batch_op.f('ix_dossier_procedure_type_id'))
        batch_op.drop_index('ix_dossier_post_office_received')
        batch_op.drop_index(batch_op.f('ix_dossier_due_at'))
        batch_op.drop_index(batch_op.f('ix_dossier_applicant_phone'))
        batch_op.drop_index(batch_op.f('ix_dossier_applicant_id_number'))
        batch_op.drop_index('ix_dossier_agency_received')

    op.drop_table('dossier')
    op.drop_table('calendar_override')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_entity')
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_action'))

    op.drop_table('audit_entry')
    with op.batch_alter_table('procedure_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procedure_type_field'))
        batch_op.drop_index(batch_op.f('ix_procedure_type_agency_id'))
        batch_op.drop_index(batch_op.f('ix_procedure_type_active'))

    op.drop_table('procedure_type')
    with op.batch_alter_table('permission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_permission_role_id'))

    op.drop_table('permission')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_app_user_agency_id'))

    op.drop_table('app_user')
    op.drop_table('role')
    op.drop_table('code_counter')
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_kind'))

    op.drop_table('agency')
    # ### end Alembic commands ###
