"""tenants, hosts and provider state

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 20:37:17.102160
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tenants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('default_locale', sa.String(length=16), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('config_hash', sa.String(length=64), nullable=False),
    sa.Column('source_file', sa.String(length=500), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenants')),
    sa.UniqueConstraint('code', name=op.f('uq_tenants_code'))
    )
    op.create_table('provider_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_provider_state_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_state')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_provider_state_tenant_id_key'))
    )
    with op.batch_alter_table('provider_state', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_state_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('tenant_hosts',
    sa.Column('host', sa.String(length=253), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tenant_hosts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('host', name=op.f('pk_tenant_hosts'))
    )


def downgrade() -> None:
    op.drop_table('tenant_hosts')
    with op.batch_alter_table('provider_state', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_state_tenant_id'))

    op.drop_table('provider_state')
    op.drop_table('tenants')
