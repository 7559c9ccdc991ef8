"""deals, deal buyers and deal claims

Revision ID: deals_0001
Revises: 0001
Create Date: 2026-11-24 22:08:14.255330
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = 'deals_0001'
down_revision = '0001'
branch_labels = ('deals',)
depends_on = ('catalog_0001', 'orders_0001', 'sellers_0001')


def upgrade() -> None:
    op.create_table('deals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('live_session_id', sa.Integer(), nullable=True),
    sa.Column('price_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('starts_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('per_buyer_limit', sa.Integer(), nullable=False),
    sa.Column('claimed', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('released', sa.Integer(), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('flash', 'live')", name=op.f('ck_deals_kind')),
    sa.CheckConstraint("status IN ('active', 'ended')", name=op.f('ck_deals_status')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_deals_window')),
    sa.CheckConstraint('per_buyer_limit > 0', name=op.f('ck_deals_per_buyer_limit')),
    sa.CheckConstraint('price_minor > 0', name=op.f('ck_deals_price')),
    sa.CheckConstraint('quota >= 0 AND claimed >= 0 AND claimed <= quota', name=op.f('ck_deals_claimed')),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_deals_tenant_id_seller_id_sellers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'variant_id'], ['variants.tenant_id', 'variants.id'], name=op.f('fk_deals_tenant_id_variant_id_variants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_deals_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deals')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_deals_tenant_id_id'))
    )
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deals_seller_id'), ['seller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deals_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_deals_variant_window', ['tenant_id', 'variant_id', 'status', 'ends_at'], unique=False)

    op.create_table('deal_buyers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('bought', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('bought >= 0', name=op.f('ck_deal_buyers_bought')),
    sa.ForeignKeyConstraint(['tenant_id', 'deal_id'], ['deals.tenant_id', 'deals.id'], name=op.f('fk_deal_buyers_tenant_id_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_deal_buyers_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_buyers')),
    sa.UniqueConstraint('tenant_id', 'deal_id', 'buyer_id', name=op.f('uq_deal_buyers_tenant_id_deal_id_buyer_id'))
    )
    with op.batch_alter_table('deal_buyers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_buyers_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('deal_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('price_minor', sa.BigInteger(), nullable=False),
    sa.Column('checkout_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('released_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('held', 'used', 'released')", name=op.f('ck_deal_claims_status')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_deal_claims_quantity')),
    sa.ForeignKeyConstraint(['tenant_id', 'checkout_id'], ['checkouts.tenant_id', 'checkouts.id'], name=op.f('fk_deal_claims_tenant_id_checkout_id_checkouts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'deal_id'], ['deals.tenant_id', 'deals.id'], name=op.f('fk_deal_claims_tenant_id_deal_id_deals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['orders.tenant_id', 'orders.id'], name=op.f('fk_deal_claims_tenant_id_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_deal_claims_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deal_claims'))
    )
    with op.batch_alter_table('deal_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_claims_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index('ix_deal_claims_order', ['tenant_id', 'order_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_deal_claims_tenant_id'), ['tenant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('deal_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deal_claims_tenant_id'))
        batch_op.drop_index('ix_deal_claims_order')
        batch_op.drop_index(batch_op.f('ix_deal_claims_deal_id'))

    op.drop_table('deal_claims')
    with op.batch_alter_table('deal_buyers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deal_buyers_tenant_id'))

    op.drop_table('deal_buyers')
    with op.batch_alter_table('deals', schema=None) as batch_op:
        batch_op.drop_index('ix_deals_variant_window')
        batch_op.drop_index(batch_op.f('ix_deals_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_deals_seller_id'))

    op.drop_table('deals')
