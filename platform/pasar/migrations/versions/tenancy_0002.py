"""tenants.revision: bumped by every change to what a tenant's context is built from

Revision ID: tenancy_0002
Revises: tenancy_0001
Create Date: 2026-11-25 02:30:00.000000

Web processes keep each tenant's parsed ``TenantContext`` in memory and check it with one small
statement per request (``SELECT id, revision FROM tenants WHERE code = ?``) instead of reading
the tenant, its host names and its feature overrides and parsing its configuration every time.
Applying a tenant file and switching a feature bump the revision in the same transaction, so
every process rebuilds the context on its next request.
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = 'tenancy_0002'
down_revision = 'tenancy_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('tenants', schema=None) as batch_op:
        batch_op.drop_column('revision')
