"""cart lines remember the live room they were added in

Revision ID: cart_0002
Revises: cart_0001
Create Date: 2026-11-26 10:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = 'cart_0002'
down_revision = 'cart_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cart_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_kind', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_cart_lines_source'),
            "(source_kind IS NULL AND source_id IS NULL) OR (source_kind IN ('live') AND source_id IS NOT NULL)",
        )


def downgrade() -> None:
    with op.batch_alter_table('cart_lines', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_cart_lines_source'), type_='check')
        batch_op.drop_column('source_id')
        batch_op.drop_column('source_kind')
