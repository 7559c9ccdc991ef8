"""cash collected per order of a cash-on-delivery checkout

Revision ID: payments_0002
Revises: payments_0001
Create Date: 2026-11-25 01:00:00.000000

A checkout of several shops paid in cash is delivered, and collected, one parcel at a time:
each collection is a row, and the payment is captured for their sum.
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = 'payments_0002'
down_revision = 'payments_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cash_collections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('collected_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_cash_collections_amount')),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['orders.tenant_id', 'orders.id'], name=op.f('fk_cash_collections_tenant_id_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'payment_id'], ['payments.tenant_id', 'payments.id'], name=op.f('fk_cash_collections_tenant_id_payment_id_payments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_cash_collections_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_collections')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_cash_collections_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'order_id', name=op.f('uq_cash_collections_tenant_id_order_id'))
    )
    with op.batch_alter_table('cash_collections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cash_collections_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cash_collections_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cash_collections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cash_collections_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_cash_collections_payment_id'))
    op.drop_table('cash_collections')
