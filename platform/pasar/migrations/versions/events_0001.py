"""outbox

Revision ID: events_0001
Revises: 0001
Create Date: 2026-11-24 20:46:27.425181
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = "events_0001"
down_revision = "0001"
branch_labels = ("events",)
depends_on = None


def upgrade() -> None:
    op.create_table('outbox_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('subject_id', sa.String(length=64), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('occurred_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_outbox_events_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_events'))
    )
    with op.batch_alter_table('outbox_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_events_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_outbox_events_unpublished', ['published_at', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outbox_events', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_events_unpublished')
        batch_op.drop_index(batch_op.f('ix_outbox_events_tenant_id'))

    op.drop_table('outbox_events')
