"""seller addresses, shipments, tracking events

Revision ID: shipping_0001
Revises: 0001
Create Date: 2026-11-24 21:01:23.138095
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = 'shipping_0001'
down_revision = '0001'
branch_labels = ('shipping',)
depends_on = ('orders_0001', 'sellers_0001')


def upgrade() -> None:
    op.create_table('seller_addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('line1', sa.String(length=200), nullable=False),
    sa.Column('line2', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('updated_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_seller_addresses_tenant_id_seller_id_sellers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_seller_addresses_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_addresses')),
    sa.UniqueConstraint('tenant_id', 'seller_id', name=op.f('uq_seller_addresses_tenant_id_seller_id'))
    )
    with op.batch_alter_table('seller_addresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seller_addresses_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('shipments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('carrier', sa.String(length=40), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('tracking_number', sa.String(length=64), nullable=False),
    sa.Column('label_url', sa.String(length=500), nullable=False),
    sa.Column('cost_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('cod_amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('last_event_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('label_created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'failed_attempt', 'returned')", name=op.f('ck_shipments_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['orders.tenant_id', 'orders.id'], name=op.f('fk_shipments_tenant_id_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_shipments_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments')),
    sa.UniqueConstraint('tenant_id', 'carrier', 'tracking_number', name=op.f('uq_shipments_tenant_id_carrier_tracking_number')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_shipments_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'order_id', name=op.f('uq_shipments_tenant_id_order_id'))
    )
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index('ix_shipments_open', ['status', 'last_event_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shipments_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('tracking_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('carrier', sa.String(length=40), nullable=False),
    sa.Column('event_id', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('occurred_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('cod_collected_minor', sa.BigInteger(), nullable=True),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.Column('received_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('label_created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'failed_attempt', 'returned')", name=op.f('ck_tracking_events_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'shipment_id'], ['shipments.tenant_id', 'shipments.id'], name=op.f('fk_tracking_events_tenant_id_shipment_id_shipments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tracking_events_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracking_events')),
    sa.UniqueConstraint('tenant_id', 'carrier', 'event_id', name=op.f('uq_tracking_events_tenant_id_carrier_event_id'))
    )
    with op.batch_alter_table('tracking_events', schema=None) as batch_op:
        batch_op.create_index('ix_tracking_events_shipment', ['tenant_id', 'shipment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracking_events_tenant_id'), ['tenant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tracking_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracking_events_tenant_id'))
        batch_op.drop_index('ix_tracking_events_shipment')

    op.drop_table('tracking_events')
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipments_tenant_id'))
        batch_op.drop_index('ix_shipments_open')

    op.drop_table('shipments')
    with op.batch_alter_table('seller_addresses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_addresses_tenant_id'))

    op.drop_table('seller_addresses')
