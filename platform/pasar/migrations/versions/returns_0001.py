"""return requests and lines

Revision ID: returns_0001
Revises: 0001
Create Date: 2026-11-24 21:07:14.034373
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = 'returns_0001'
down_revision = '0001'
branch_labels = ('returns',)
depends_on = 'orders_0001'


def upgrade() -> None:
    op.create_table('return_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('rejection_reason', sa.String(length=500), nullable=True),
    sa.Column('refund_minor', sa.BigInteger(), nullable=False),
    sa.Column('shipping_refund_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('token_expires_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('refund_bank_holder', sa.String(length=200), nullable=True),
    sa.Column('refund_bank_number', sa.String(length=64), nullable=True),
    sa.Column('refund_bank_code', sa.String(length=32), nullable=True),
    sa.Column('refund_bank_country', sa.String(length=2), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('refunded_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('withdrawal', 'return')", name=op.f('ck_return_requests_kind')),
    sa.CheckConstraint("status IN ('pending_confirmation', 'requested', 'approved', 'rejected', 'received', 'refunded')", name=op.f('ck_return_requests_status')),
    sa.CheckConstraint('refund_minor >= 0', name=op.f('ck_return_requests_refund_minor')),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['orders.tenant_id', 'orders.id'], name=op.f('fk_return_requests_tenant_id_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_return_requests_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_requests')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_return_requests_tenant_id_id'))
    )
    with op.batch_alter_table('return_requests', schema=None) as batch_op:
        batch_op.create_index('ix_return_requests_order', ['tenant_id', 'order_id'], unique=False)
        batch_op.create_index('ix_return_requests_seller', ['tenant_id', 'seller_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_requests_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('return_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('refund_minor', sa.BigInteger(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_return_lines_quantity')),
    sa.ForeignKeyConstraint(['tenant_id', 'order_line_id'], ['order_lines.tenant_id', 'order_lines.id'], name=op.f('fk_return_lines_tenant_id_order_line_id_order_lines')),
    sa.ForeignKeyConstraint(['tenant_id', 'return_id'], ['return_requests.tenant_id', 'return_requests.id'], name=op.f('fk_return_lines_tenant_id_return_id_return_requests'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_return_lines_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_lines')),
    sa.UniqueConstraint('tenant_id', 'return_id', 'order_line_id', name=op.f('uq_return_lines_tenant_id_return_id_order_line_id'))
    )
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_lines_tenant_id'), ['tenant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('return_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_lines_tenant_id'))

    op.drop_table('return_lines')
    with op.batch_alter_table('return_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_requests_tenant_id'))
        batch_op.drop_index('ix_return_requests_seller')
        batch_op.drop_index('ix_return_requests_order')

    op.drop_table('return_requests')
