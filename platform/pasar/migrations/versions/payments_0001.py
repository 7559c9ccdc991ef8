"""payments, provider events, refunds

Revision ID: payments_0001
Revises: 0001
Create Date: 2026-11-24 21:12:05.167263
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = 'payments_0001'
down_revision = '0001'
branch_labels = ('payments',)
depends_on = ('orders_0001',)


def upgrade() -> None:
    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkout_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('flow', sa.String(length=12), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('outcome_unknown', sa.Boolean(), nullable=False),
    sa.Column('provider_ref', sa.String(length=100), nullable=True),
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('redirect_url', sa.String(length=500), nullable=True),
    sa.Column('instructions', sa.JSON(), nullable=False),
    sa.Column('sandbox_url', sa.String(length=500), nullable=True),
    sa.Column('page_token', sa.String(length=64), nullable=False),
    sa.Column('expires_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('failure_reason', sa.String(length=300), nullable=True),
    sa.Column('captured_minor', sa.BigInteger(), nullable=False),
    sa.Column('refunded_minor', sa.BigInteger(), nullable=False),
    sa.Column('cash_collected_minor', sa.BigInteger(), nullable=True),
    sa.Column('last_event_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('captured_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('requires_action', 'pending', 'authorized', 'captured', 'failed', 'cancelled', 'expired', 'refunded', 'partially_refunded')", name=op.f('ck_payments_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'checkout_id'], ['checkouts.tenant_id', 'checkouts.id'], name=op.f('fk_payments_tenant_id_checkout_id_checkouts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_payments_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('tenant_id', 'checkout_id', name=op.f('uq_payments_tenant_id_checkout_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_payments_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'provider_ref', name=op.f('uq_payments_tenant_id_provider_ref')),
    sa.UniqueConstraint('tenant_id', 'reference', name=op.f('uq_payments_tenant_id_reference'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_payments_unsettled', ['outcome_unknown', 'status'], unique=False)

    op.create_table('payment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('event_id', sa.String(length=100), nullable=False),
    sa.Column('type', sa.String(length=60), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('subject_ref', sa.String(length=100), nullable=False),
    sa.Column('occurred_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.Column('received_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'payment_id'], ['payments.tenant_id', 'payments.id'], name=op.f('fk_payment_events_tenant_id_payment_id_payments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_payment_events_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_events')),
    sa.UniqueConstraint('tenant_id', 'provider', 'event_id', name=op.f('uq_payment_events_tenant_id_provider_event_id'))
    )
    with op.batch_alter_table('payment_events', schema=None) as batch_op:
        batch_op.create_index('ix_payment_events_subject', ['tenant_id', 'subject_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_events_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('provider_refund_ref', sa.String(length=100), nullable=True),
    sa.Column('payout_account', sa.JSON(), nullable=True),
    sa.Column('failure_reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('settled_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("channel IN ('gateway', 'payout')", name=op.f('ck_refunds_channel')),
    sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed')", name=op.f('ck_refunds_status')),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_refunds_amount')),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['orders.tenant_id', 'orders.id'], name=op.f('fk_refunds_tenant_id_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'payment_id'], ['payments.tenant_id', 'payments.id'], name=op.f('fk_refunds_tenant_id_payment_id_payments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_refunds_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_refunds_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'idempotency_key', name=op.f('uq_refunds_tenant_id_idempotency_key')),
    sa.UniqueConstraint('tenant_id', 'provider_refund_ref', name=op.f('uq_refunds_tenant_id_provider_refund_ref'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index('ix_refunds_open', ['status', 'provider_refund_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_refunds_order_id'))
        batch_op.drop_index('ix_refunds_open')

    op.drop_table('refunds')
    with op.batch_alter_table('payment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_events_tenant_id'))
        batch_op.drop_index('ix_payment_events_subject')

    op.drop_table('payment_events')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index('ix_payments_unsettled')
        batch_op.drop_index(batch_op.f('ix_payments_tenant_id'))

    op.drop_table('payments')
