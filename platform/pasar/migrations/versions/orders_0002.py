"""index order lines and transitions by their order

Revision ID: orders_0002
Revises: orders_0001
Create Date: 2026-11-25 00:00:00.000000

Every order page and list loads lines and history with ``order_id IN (...)``; without these
indexes each load scanned all of the tenant's lines (a seller's list of 100 orders took 0.3 s
over 5,000 orders on SQLite; see bench/).
"""
from __future__ import annotations

from alembic import op


revision = 'orders_0002'
down_revision = 'orders_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_lines_order_id'), ['order_id'], unique=False)
    with op.batch_alter_table('order_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_transitions_order_id'), ['order_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('order_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_transitions_order_id'))
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_lines_order_id'))
