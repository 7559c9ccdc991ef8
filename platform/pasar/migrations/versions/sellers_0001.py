"""sellers, their KYC documents and status changes

Revision ID: sellers_0001
Revises: 0001
Create Date: 2026-11-24 20:52:01.762809
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = "sellers_0001"
down_revision = "0001"
branch_labels = ("sellers",)
depends_on = None


def upgrade() -> None:
    op.create_table('sellers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('business_type', sa.String(length=16), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rejection_reason', sa.String(length=500), nullable=True),
    sa.Column('kyc', sa.JSON(), nullable=False),
    sa.Column('bank_holder', sa.String(length=200), nullable=False),
    sa.Column('bank_number', sa.String(length=64), nullable=False),
    sa.Column('bank_code', sa.String(length=32), nullable=True),
    sa.Column('bank_country', sa.String(length=2), nullable=False),
    sa.Column('owner_user_id', sa.Integer(), nullable=False),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("business_type IN ('company', 'individual', 'household')", name=op.f('ck_sellers_business_type')),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'suspended')", name=op.f('ck_sellers_status')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_sellers_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sellers')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_sellers_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'owner_user_id', name=op.f('uq_sellers_tenant_id_owner_user_id'))
    )
    with op.batch_alter_table('sellers', schema=None) as batch_op:
        batch_op.create_index('ix_sellers_review_queue', ['tenant_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sellers_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('seller_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('uploaded_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_seller_documents_tenant_id_seller_id_sellers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_seller_documents_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_documents'))
    )
    with op.batch_alter_table('seller_documents', schema=None) as batch_op:
        batch_op.create_index('ix_seller_documents_seller', ['tenant_id', 'seller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seller_documents_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('seller_status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('actor_kind', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("actor_kind IN ('user', 'operator')", name=op.f('ck_seller_status_changes_actor_kind')),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_seller_status_changes_tenant_id_seller_id_sellers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_seller_status_changes_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_status_changes'))
    )
    with op.batch_alter_table('seller_status_changes', schema=None) as batch_op:
        batch_op.create_index('ix_seller_status_changes_seller', ['tenant_id', 'seller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seller_status_changes_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('seller_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_status_changes_tenant_id'))
        batch_op.drop_index('ix_seller_status_changes_seller')

    op.drop_table('seller_status_changes')
    with op.batch_alter_table('seller_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_documents_tenant_id'))
        batch_op.drop_index('ix_seller_documents_seller')

    op.drop_table('seller_documents')
    with op.batch_alter_table('sellers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sellers_tenant_id'))
        batch_op.drop_index('ix_sellers_review_queue')

    op.drop_table('sellers')
