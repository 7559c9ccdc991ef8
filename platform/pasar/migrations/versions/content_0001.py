"""Content: videos with product anchors, interactions, live sessions and their showcase

Revision ID: content_0001
Revises: 0001
Create Date: 2026-11-24 22:07:51.353989
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = 'content_0001'
down_revision = '0001'
branch_labels = ('content',)
depends_on = ('sellers_0001', 'catalog_0001')


def upgrade() -> None:
    op.create_table('videos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_kind', sa.String(length=12), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=True),
    sa.Column('creator_id', sa.Integer(), nullable=True),
    sa.Column('posted_by', sa.Integer(), nullable=False),
    sa.Column('media_url', sa.String(length=500), nullable=False),
    sa.Column('cover_url', sa.String(length=500), nullable=True),
    sa.Column('caption', sa.String(length=2200), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('moderation', sa.String(length=12), nullable=False),
    sa.Column('moderation_reason', sa.String(length=500), nullable=True),
    sa.Column('moderated_by', sa.Integer(), nullable=True),
    sa.Column('moderated_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("(author_kind = 'seller' AND seller_id IS NOT NULL AND creator_id IS NULL) OR (author_kind = 'creator' AND creator_id IS NOT NULL)", name=op.f('ck_videos_author')),
    sa.CheckConstraint("author_kind IN ('seller', 'creator')", name=op.f('ck_videos_author_kind')),
    sa.CheckConstraint("moderation IN ('pending', 'approved', 'rejected')", name=op.f('ck_videos_moderation')),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_videos_tenant_id_seller_id_sellers')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_videos_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_videos')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_videos_tenant_id_id'))
    )
    with op.batch_alter_table('videos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_videos_creator_id'), ['creator_id'], unique=False)
        batch_op.create_index('ix_videos_feed', ['tenant_id', 'moderation', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_videos_seller_id'), ['seller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_videos_tenant_id'), ['tenant_id'], unique=False)
    op.create_table('live_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host_kind', sa.String(length=12), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=True),
    sa.Column('creator_id', sa.Integer(), nullable=True),
    sa.Column('hosted_by', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('scheduled_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('replay_url', sa.String(length=500), nullable=True),
    sa.Column('pinned_product_id', sa.Integer(), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("(host_kind = 'seller' AND seller_id IS NOT NULL AND creator_id IS NULL) OR (host_kind = 'creator' AND creator_id IS NOT NULL)", name=op.f('ck_live_sessions_host')),
    sa.CheckConstraint("host_kind IN ('seller', 'creator')", name=op.f('ck_live_sessions_host_kind')),
    sa.CheckConstraint("status IN ('scheduled', 'live', 'ended')", name=op.f('ck_live_sessions_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'pinned_product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_live_sessions_tenant_id_pinned_product_id_products')),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_live_sessions_tenant_id_seller_id_sellers')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_live_sessions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_sessions')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_live_sessions_tenant_id_id'))
    )
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_sessions_creator_id'), ['creator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_sessions_seller_id'), ['seller_id'], unique=False)
        batch_op.create_index('ix_live_sessions_status', ['tenant_id', 'status', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_sessions_tenant_id'), ['tenant_id'], unique=False)
    op.create_table('video_anchors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('position >= 0 AND position < 6', name=op.f('ck_video_anchors_position')),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_video_anchors_tenant_id_product_id_products')),
    sa.ForeignKeyConstraint(['tenant_id', 'video_id'], ['videos.tenant_id', 'videos.id'], name=op.f('fk_video_anchors_tenant_id_video_id_videos'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_video_anchors_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_video_anchors')),
    sa.UniqueConstraint('tenant_id', 'video_id', 'product_id', name=op.f('uq_video_anchors_tenant_id_video_id_product_id'))
    )
    with op.batch_alter_table('video_anchors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_video_anchors_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_anchors_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_video_anchors_video_id'), ['video_id'], unique=False)
    op.create_table('interactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=True),
    sa.Column('live_session_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('watch_seconds', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=True),
    sa.Column('at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('view', 'like', 'share', 'comment', 'product_click')", name=op.f('ck_interactions_kind')),
    sa.CheckConstraint('video_id IS NOT NULL OR live_session_id IS NOT NULL', name=op.f('ck_interactions_subject')),
    sa.CheckConstraint('watch_seconds >= 0', name=op.f('ck_interactions_watch_seconds')),
    sa.ForeignKeyConstraint(['tenant_id', 'live_session_id'], ['live_sessions.tenant_id', 'live_sessions.id'], name=op.f('fk_interactions_tenant_id_live_session_id_live_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'video_id'], ['videos.tenant_id', 'videos.id'], name=op.f('fk_interactions_tenant_id_video_id_videos'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_interactions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interactions'))
    )
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.create_index('ix_interactions_buyer', ['tenant_id', 'buyer_id', 'at'], unique=False)
        batch_op.create_index('ix_interactions_live', ['tenant_id', 'live_session_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_interactions_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_interactions_video', ['tenant_id', 'video_id', 'kind', 'at'], unique=False)
    op.create_table('live_showcase_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('live_session_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'live_session_id'], ['live_sessions.tenant_id', 'live_sessions.id'], name=op.f('fk_live_showcase_items_tenant_id_live_session_id_live_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_live_showcase_items_tenant_id_product_id_products')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_live_showcase_items_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_showcase_items')),
    sa.UniqueConstraint('tenant_id', 'live_session_id', 'product_id', name=op.f('uq_live_showcase_items_tenant_id_live_session_id_product_id'))
    )
    with op.batch_alter_table('live_showcase_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_showcase_items_live_session_id'), ['live_session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_showcase_items_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_showcase_items_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('live_showcase_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_showcase_items_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_live_showcase_items_product_id'))
        batch_op.drop_index(batch_op.f('ix_live_showcase_items_live_session_id'))
    op.drop_table('live_showcase_items')
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_index('ix_interactions_video')
        batch_op.drop_index(batch_op.f('ix_interactions_tenant_id'))
        batch_op.drop_index('ix_interactions_live')
        batch_op.drop_index('ix_interactions_buyer')
    op.drop_table('interactions')
    with op.batch_alter_table('video_anchors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_video_anchors_video_id'))
        batch_op.drop_index(batch_op.f('ix_video_anchors_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_video_anchors_product_id'))
    op.drop_table('video_anchors')
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_sessions_tenant_id'))
        batch_op.drop_index('ix_live_sessions_status')
        batch_op.drop_index(batch_op.f('ix_live_sessions_seller_id'))
        batch_op.drop_index(batch_op.f('ix_live_sessions_creator_id'))
    op.drop_table('live_sessions')
    with op.batch_alter_table('videos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_videos_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_videos_seller_id'))
        batch_op.drop_index('ix_videos_feed')
        batch_op.drop_index(batch_op.f('ix_videos_creator_id'))
    op.drop_table('videos')
