"""the price listing index covers what a listing filters on

Revision ID: catalog_0002
Revises: catalog_0001
Create Date: 2026-11-25 01:40:00.000000

The price-sorted public listing walks ``ix_products_listing_price`` until it has a page and
checks each candidate's category, moderation and shop. With those columns in the index the walk
reads no product row it does not keep: a category page over 1M products went from 0.20 s to
0.02 s from a cold cache (SQLite; bench/results/FINDINGS.md).
"""
from __future__ import annotations

from alembic import op


revision = 'catalog_0002'
down_revision = 'catalog_0001'
branch_labels = None
depends_on = None

NARROW = ['tenant_id', 'status', 'price_minor', 'id']
COVERING = [*NARROW, 'category_id', 'moderation', 'seller_id', 'created_at']


def upgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('ix_products_listing_price')
        batch_op.create_index('ix_products_listing_price', COVERING, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('ix_products_listing_price')
        batch_op.create_index('ix_products_listing_price', NARROW, unique=False)
