"""creator profiles, follows, collaboration offers and collaborations, promotion links and clicks

Revision ID: creators_0001
Revises: 0001
Create Date: 2026-11-25 10:00:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = "creators_0001"
down_revision = "0001"
branch_labels = ("creators",)
depends_on = ("sellers_0001", "catalog_0001")


def upgrade() -> None:
    op.create_table('creators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('handle', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('bio', sa.String(length=1000), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('follower_count', sa.Integer(), nullable=False),
    sa.Column('bank_holder', sa.String(length=200), nullable=False),
    sa.Column('bank_number', sa.String(length=64), nullable=False),
    sa.Column('bank_code', sa.String(length=32), nullable=True),
    sa.Column('bank_country', sa.String(length=2), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_creators_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_creators')),
    sa.UniqueConstraint('tenant_id', 'handle', name=op.f('uq_creators_tenant_id_handle')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_creators_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'user_id', name=op.f('uq_creators_tenant_id_user_id'))
    )
    with op.batch_alter_table('creators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_creators_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('creator_follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'creator_id'], ['creators.tenant_id', 'creators.id'], name=op.f('fk_creator_follows_tenant_id_creator_id_creators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_creator_follows_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_creator_follows')),
    sa.UniqueConstraint('tenant_id', 'creator_id', 'user_id', name=op.f('uq_creator_follows_tenant_id_creator_id_user_id'))
    )
    with op.batch_alter_table('creator_follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_creator_follows_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_creator_follows_user', ['tenant_id', 'user_id'], unique=False)

    op.create_table('promotion_clicks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.String(length=8), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("source_kind IN ('link', 'video', 'live')", name=op.f('ck_promotion_clicks_source_kind')),
    sa.ForeignKeyConstraint(['tenant_id', 'creator_id'], ['creators.tenant_id', 'creators.id'], name=op.f('fk_promotion_clicks_tenant_id_creator_id_creators')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_promotion_clicks_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotion_clicks'))
    )
    with op.batch_alter_table('promotion_clicks', schema=None) as batch_op:
        batch_op.create_index('ix_promotion_clicks_attribution', ['tenant_id', 'buyer_id', 'product_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_promotion_clicks_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('collaboration_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=True),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.Column('starts_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'withdrawn')", name=op.f('ck_collaboration_offers_status')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_collaboration_offers_window')),
    sa.CheckConstraint('rate_bp > 0 AND rate_bp <= 5000', name=op.f('ck_collaboration_offers_rate')),
    sa.ForeignKeyConstraint(['tenant_id', 'creator_id'], ['creators.tenant_id', 'creators.id'], name=op.f('fk_collaboration_offers_tenant_id_creator_id_creators')),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_collaboration_offers_tenant_id_product_id_products')),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_collaboration_offers_tenant_id_seller_id_sellers')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collaboration_offers_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collaboration_offers')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_collaboration_offers_tenant_id_id'))
    )
    with op.batch_alter_table('collaboration_offers', schema=None) as batch_op:
        batch_op.create_index('ix_collaboration_offers_open', ['tenant_id', 'status', 'ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_collaboration_offers_seller_id'), ['seller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collaboration_offers_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('promotion_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('clicks', sa.Integer(), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'creator_id'], ['creators.tenant_id', 'creators.id'], name=op.f('fk_promotion_links_tenant_id_creator_id_creators')),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_promotion_links_tenant_id_product_id_products')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_promotion_links_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotion_links')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_promotion_links_tenant_id_code')),
    sa.UniqueConstraint('tenant_id', 'creator_id', 'product_id', name=op.f('uq_promotion_links_tenant_id_creator_id_product_id')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_promotion_links_tenant_id_id'))
    )
    with op.batch_alter_table('promotion_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promotion_links_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('collaborations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.Column('starts_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('invited', 'applied', 'active', 'declined', 'rejected', 'ended')", name=op.f('ck_collaborations_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'creator_id'], ['creators.tenant_id', 'creators.id'], name=op.f('fk_collaborations_tenant_id_creator_id_creators')),
    sa.ForeignKeyConstraint(['tenant_id', 'offer_id'], ['collaboration_offers.tenant_id', 'collaboration_offers.id'], name=op.f('fk_collaborations_tenant_id_offer_id_collaboration_offers')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_collaborations_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collaborations')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_collaborations_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'offer_id', 'creator_id', name=op.f('uq_collaborations_tenant_id_offer_id_creator_id'))
    )
    with op.batch_alter_table('collaborations', schema=None) as batch_op:
        batch_op.create_index('ix_collaborations_promote', ['tenant_id', 'creator_id', 'product_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_collaborations_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('collaborations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collaborations_tenant_id'))
        batch_op.drop_index('ix_collaborations_promote')

    op.drop_table('collaborations')
    with op.batch_alter_table('promotion_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promotion_links_tenant_id'))

    op.drop_table('promotion_links')
    with op.batch_alter_table('collaboration_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_collaboration_offers_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_collaboration_offers_seller_id'))
        batch_op.drop_index('ix_collaboration_offers_open')

    op.drop_table('collaboration_offers')
    with op.batch_alter_table('promotion_clicks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promotion_clicks_tenant_id'))
        batch_op.drop_index('ix_promotion_clicks_attribution')

    op.drop_table('promotion_clicks')
    with op.batch_alter_table('creator_follows', schema=None) as batch_op:
        batch_op.drop_index('ix_creator_follows_user')
        batch_op.drop_index(batch_op.f('ix_creator_follows_tenant_id'))

    op.drop_table('creator_follows')
    with op.batch_alter_table('creators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_creators_tenant_id'))

    op.drop_table('creators')
