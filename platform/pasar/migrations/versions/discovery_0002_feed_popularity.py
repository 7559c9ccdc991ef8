"""discovery: the feed's popularity rollup (per thing, and how far each tenant's goes)

Revision ID: discovery_0002
Revises: discovery_0001
Create Date: 2026-11-25 12:00:00.000000

Empty at first: until the first refresh (``pasar.discovery.refresh_popularity``, on beat) a
tenant's feed measures popularity from the orders and interactions themselves.
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

from pasar.db import UTCDateTime

revision = "discovery_0002"
down_revision = "discovery_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_popularity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=8), nullable=False),
        sa.Column("ident", sa.Integer(), nullable=False),
        sa.Column("bought", sa.Float(), nullable=False),
        sa.Column("engaged", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_feed_popularity_tenant_id_tenants",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_feed_popularity"),
        sa.UniqueConstraint("tenant_id", "target", "ident", name="uq_feed_popularity_tenant_id_target_ident"),
    )
    op.create_index("ix_feed_popularity_tenant_id", "feed_popularity", ["tenant_id"])
    op.create_index("ix_feed_popularity_top", "feed_popularity", ["tenant_id", "target", "score"])
    op.create_table(
        "feed_popularity_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("reference", UTCDateTime(timezone=True), nullable=False),
        sa.Column("refreshed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("interactions_through", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_feed_popularity_state_tenant_id_tenants",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_feed_popularity_state"),
        sa.UniqueConstraint("tenant_id", name="uq_feed_popularity_state_tenant_id"),
    )
    op.create_index("ix_feed_popularity_state_tenant_id", "feed_popularity_state", ["tenant_id"])


def downgrade() -> None:
    op.drop_table("feed_popularity_state")
    op.drop_table("feed_popularity")
