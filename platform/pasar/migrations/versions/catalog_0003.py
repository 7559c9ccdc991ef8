"""each tenant's catalog generation

Revision ID: catalog_0003
Revises: catalog_0002
Create Date: 2026-11-25 02:50:00.000000

Web processes keep anonymous catalog answers (listing, product page, categories) and use one
only while the tenant's catalog generation is the one it was made under; every write that can
change such an answer bumps it in its own transaction (``pasar.catalog.generations``). One row
per tenant, made by its first catalog write: no row reads as generation 0.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'catalog_0003'
down_revision = 'catalog_0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'catalog_generations',
        sa.Column('tenant_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('generation', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_catalog_generations_tenant_id_tenants'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('tenant_id', name=op.f('pk_catalog_generations')),
    )


def downgrade() -> None:
    op.drop_table('catalog_generations')
