"""checkouts, orders, lines, transitions

Revision ID: orders_0001
Revises: 0001
Create Date: 2026-11-24 20:55:31.137940
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = 'orders_0001'
down_revision = '0001'
branch_labels = ('orders',)
depends_on = 'sellers_0001'


def upgrade() -> None:
    op.create_table('checkouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('subtotal_minor', sa.BigInteger(), nullable=False),
    sa.Column('discount_minor', sa.BigInteger(), nullable=False),
    sa.Column('shipping_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_added_minor', sa.BigInteger(), nullable=False),
    sa.Column('total_minor', sa.BigInteger(), nullable=False),
    sa.Column('payment_method', sa.String(length=40), nullable=False),
    sa.Column('shipping_address', sa.JSON(), nullable=False),
    sa.Column('vouchers', sa.JSON(), nullable=False),
    sa.Column('expires_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('paid_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('pending_payment', 'paid', 'expired', 'cancelled', 'failed')", name=op.f('ck_checkouts_status')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_checkouts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkouts')),
    sa.UniqueConstraint('tenant_id', 'buyer_id', 'idempotency_key', name=op.f('uq_checkouts_tenant_id_buyer_id_idempotency_key')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_checkouts_tenant_id_id'))
    )
    with op.batch_alter_table('checkouts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkouts_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index('ix_checkouts_expiry', ['status', 'expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkouts_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkout_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('subtotal_minor', sa.BigInteger(), nullable=False),
    sa.Column('seller_discount_minor', sa.BigInteger(), nullable=False),
    sa.Column('platform_discount_minor', sa.BigInteger(), nullable=False),
    sa.Column('shipping_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_included', sa.Boolean(), nullable=False),
    sa.Column('tax_collected_by', sa.String(length=12), nullable=False),
    sa.Column('total_minor', sa.BigInteger(), nullable=False),
    sa.Column('payment_method', sa.String(length=40), nullable=False),
    sa.Column('carrier', sa.String(length=40), nullable=False),
    sa.Column('shipping_service', sa.String(length=40), nullable=False),
    sa.Column('shipping_address', sa.JSON(), nullable=False),
    sa.Column('source_kind', sa.String(length=16), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('paid_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('shipped_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('return_deadline', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('pending_payment', 'paid', 'ready_to_ship', 'shipped', 'delivered', 'completed', 'cancelled', 'return_requested', 'return_approved', 'return_rejected', 'returned', 'refunded')", name=op.f('ck_orders_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'checkout_id'], ['checkouts.tenant_id', 'checkouts.id'], name=op.f('fk_orders_tenant_id_checkout_id_checkouts')),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_orders_tenant_id_seller_id_sellers')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_orders_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_orders_tenant_id_id'))
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_buyer', ['tenant_id', 'buyer_id', 'id'], unique=False)
        batch_op.create_index('ix_orders_seller', ['tenant_id', 'seller_id', 'id'], unique=False)
        batch_op.create_index('ix_orders_status', ['status', 'return_deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('order_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('tax_category', sa.String(length=24), nullable=False),
    sa.Column('unit_price_minor', sa.BigInteger(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('discount_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_rate', sa.String(length=12), nullable=False),
    sa.Column('weight_grams', sa.Integer(), nullable=False),
    sa.Column('refunded_quantity', sa.Integer(), nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_lines_quantity')),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['orders.tenant_id', 'orders.id'], name=op.f('fk_order_lines_tenant_id_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_order_lines_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_order_lines_tenant_id_id'))
    )
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_lines_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('order_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('actor_kind', sa.String(length=12), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("actor_kind IN ('buyer', 'seller', 'operator', 'system', 'carrier', 'gateway')", name=op.f('ck_order_transitions_actor_kind')),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['orders.tenant_id', 'orders.id'], name=op.f('fk_order_transitions_tenant_id_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_order_transitions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_transitions'))
    )
    with op.batch_alter_table('order_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_transitions_tenant_id'), ['tenant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('order_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_transitions_tenant_id'))

    op.drop_table('order_transitions')
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_lines_tenant_id'))

    op.drop_table('order_lines')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_tenant_id'))
        batch_op.drop_index('ix_orders_status')
        batch_op.drop_index('ix_orders_seller')
        batch_op.drop_index('ix_orders_buyer')

    op.drop_table('orders')
    with op.batch_alter_table('checkouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkouts_tenant_id'))
        batch_op.drop_index('ix_checkouts_expiry')
        batch_op.drop_index(batch_op.f('ix_checkouts_buyer_id'))

    op.drop_table('checkouts')
