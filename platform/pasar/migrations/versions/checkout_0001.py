"""vouchers, voucher redemptions, idempotency keys

Revision ID: checkout_0001
Revises: 0001
Create Date: 2026-11-24 21:12:05.167263
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = 'checkout_0001'
down_revision = '0001'
branch_labels = ('checkout',)
depends_on = ('orders_0001', 'sellers_0001')


def upgrade() -> None:
    op.create_table('idempotency_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.JSON(), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('in_flight', 'done')", name=op.f('ck_idempotency_records_status')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_idempotency_records_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_records')),
    sa.UniqueConstraint('tenant_id', 'buyer_id', 'key', name=op.f('uq_idempotency_records_tenant_id_buyer_id_key'))
    )
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.create_index('ix_idempotency_records_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_idempotency_records_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('vouchers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('percent', sa.String(length=12), nullable=True),
    sa.Column('amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('min_spend_minor', sa.BigInteger(), nullable=False),
    sa.Column('max_discount_minor', sa.BigInteger(), nullable=True),
    sa.Column('valid_from', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('valid_to', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('usage_limit', sa.Integer(), nullable=True),
    sa.Column('per_buyer_limit', sa.Integer(), nullable=True),
    sa.Column('used_count', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("(kind = 'percent' AND percent IS NOT NULL AND amount_minor IS NULL) OR (kind = 'fixed' AND amount_minor IS NOT NULL AND percent IS NULL)", name=op.f('ck_vouchers_value')),
    sa.CheckConstraint("(scope = 'seller') = (seller_id IS NOT NULL)", name=op.f('ck_vouchers_seller_scope')),
    sa.CheckConstraint("kind IN ('percent', 'fixed')", name=op.f('ck_vouchers_kind')),
    sa.CheckConstraint("scope IN ('platform', 'seller')", name=op.f('ck_vouchers_scope')),
    sa.CheckConstraint('usage_limit IS NULL OR used_count <= usage_limit', name=op.f('ck_vouchers_usage')),
    sa.CheckConstraint('used_count >= 0', name=op.f('ck_vouchers_used_count')),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_vouchers_tenant_id_seller_id_sellers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_vouchers_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vouchers')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_vouchers_tenant_id_code')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_vouchers_tenant_id_id'))
    )
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vouchers_seller_id'), ['seller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vouchers_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('voucher_redemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('voucher_id', sa.Integer(), nullable=False),
    sa.Column('checkout_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('active', 'released')", name=op.f('ck_voucher_redemptions_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'checkout_id'], ['checkouts.tenant_id', 'checkouts.id'], name=op.f('fk_voucher_redemptions_tenant_id_checkout_id_checkouts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'voucher_id'], ['vouchers.tenant_id', 'vouchers.id'], name=op.f('fk_voucher_redemptions_tenant_id_voucher_id_vouchers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_voucher_redemptions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_voucher_redemptions')),
    sa.UniqueConstraint('tenant_id', 'voucher_id', 'checkout_id', name=op.f('uq_voucher_redemptions_tenant_id_voucher_id_checkout_id'))
    )
    with op.batch_alter_table('voucher_redemptions', schema=None) as batch_op:
        batch_op.create_index('ix_voucher_redemptions_buyer', ['tenant_id', 'voucher_id', 'buyer_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_redemptions_checkout_id'), ['checkout_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voucher_redemptions_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('voucher_redemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voucher_redemptions_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_voucher_redemptions_checkout_id'))
        batch_op.drop_index('ix_voucher_redemptions_buyer')

    op.drop_table('voucher_redemptions')
    with op.batch_alter_table('vouchers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vouchers_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_vouchers_seller_id'))

    op.drop_table('vouchers')
    with op.batch_alter_table('idempotency_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_records_tenant_id'))
        batch_op.drop_index('ix_idempotency_records_created_at')

    op.drop_table('idempotency_records')
