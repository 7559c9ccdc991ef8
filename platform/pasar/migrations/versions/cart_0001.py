"""carts and cart lines

Revision ID: cart_0001
Revises: 0001
Create Date: 2026-11-24 21:12:05.167263
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = 'cart_0001'
down_revision = '0001'
branch_labels = ('cart',)
depends_on = ('catalog_0001',)


def upgrade() -> None:
    op.create_table('carts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_carts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carts')),
    sa.UniqueConstraint('tenant_id', 'buyer_id', name=op.f('uq_carts_tenant_id_buyer_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_carts_tenant_id_id'))
    )
    with op.batch_alter_table('carts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_carts_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('cart_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cart_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('added_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_cart_lines_quantity')),
    sa.ForeignKeyConstraint(['tenant_id', 'cart_id'], ['carts.tenant_id', 'carts.id'], name=op.f('fk_cart_lines_tenant_id_cart_id_carts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'variant_id'], ['variants.tenant_id', 'variants.id'], name=op.f('fk_cart_lines_tenant_id_variant_id_variants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_cart_lines_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cart_lines')),
    sa.UniqueConstraint('tenant_id', 'cart_id', 'variant_id', name=op.f('uq_cart_lines_tenant_id_cart_id_variant_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_cart_lines_tenant_id_id'))
    )
    with op.batch_alter_table('cart_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cart_lines_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cart_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cart_lines_tenant_id'))

    op.drop_table('cart_lines')
    with op.batch_alter_table('carts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_carts_tenant_id'))

    op.drop_table('carts')
