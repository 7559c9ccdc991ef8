"""tenant feature overrides and their audit log

Revision ID: tenancy_0001
Revises: 0001
Create Date: 2026-11-24 23:30:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = 'tenancy_0001'
down_revision = '0001'
branch_labels = ('tenancy',)
depends_on = None


def upgrade() -> None:
    op.create_table('tenant_feature_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feature', sa.String(length=32), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=False),
    sa.Column('updated_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tenant_feature_overrides_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenant_feature_overrides')),
    sa.UniqueConstraint('tenant_id', 'feature', name=op.f('uq_tenant_feature_overrides_tenant_id_feature'))
    )
    with op.batch_alter_table('tenant_feature_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenant_feature_overrides_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('tenant_feature_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feature', sa.String(length=32), nullable=False),
    sa.Column('old_enabled', sa.Boolean(), nullable=False),
    sa.Column('new_enabled', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('operator_email', sa.String(length=254), nullable=False),
    sa.Column('at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tenant_feature_changes_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenant_feature_changes'))
    )
    with op.batch_alter_table('tenant_feature_changes', schema=None) as batch_op:
        batch_op.create_index('ix_tenant_feature_changes_newest', ['tenant_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_tenant_feature_changes_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tenant_feature_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenant_feature_changes_tenant_id'))
        batch_op.drop_index('ix_tenant_feature_changes_newest')

    op.drop_table('tenant_feature_changes')
    with op.batch_alter_table('tenant_feature_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenant_feature_overrides_tenant_id'))

    op.drop_table('tenant_feature_overrides')
