"""ads: seller ad accounts, top-ups, Spark codes, campaigns, per-day counters, impressions, clicks

Revision ID: ads_0001
Revises: 0001
Create Date: 2026-11-24 23:16:09.607947
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = 'ads_0001'
down_revision = '0001'
branch_labels = ('ads',)
depends_on = ('sellers_0001', 'catalog_0001', 'content_0001', 'creators_0001')


def upgrade() -> None:
    op.create_table('ad_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('funded_micros', sa.BigInteger(), nullable=False),
    sa.Column('spent_micros', sa.BigInteger(), nullable=False),
    sa.Column('posted_micros', sa.BigInteger(), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('posted_micros >= 0 AND posted_micros <= spent_micros', name=op.f('ck_ad_accounts_posted')),
    sa.CheckConstraint('spent_micros >= 0 AND spent_micros <= funded_micros', name=op.f('ck_ad_accounts_balance')),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_ad_accounts_tenant_id_seller_id_sellers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ad_accounts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ad_accounts')),
    sa.UniqueConstraint('tenant_id', 'seller_id', name=op.f('uq_ad_accounts_tenant_id_seller_id'))
    )
    with op.batch_alter_table('ad_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ad_accounts_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('ad_topups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('ledger_ref', sa.String(length=200), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("source IN ('payable')", name=op.f('ck_ad_topups_source')),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_ad_topups_amount')),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_ad_topups_tenant_id_seller_id_sellers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ad_topups_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ad_topups')),
    sa.UniqueConstraint('tenant_id', 'seller_id', 'key', name=op.f('uq_ad_topups_tenant_id_seller_id_key'))
    )
    with op.batch_alter_table('ad_topups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ad_topups_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('ad_spark_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=False),
    sa.Column('reusable', sa.Boolean(), nullable=False),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.Column('expires_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('reusable OR uses <= 1', name=op.f('ck_ad_spark_codes_single_use')),
    sa.CheckConstraint('uses >= 0', name=op.f('ck_ad_spark_codes_uses')),
    sa.ForeignKeyConstraint(['tenant_id', 'creator_id'], ['creators.tenant_id', 'creators.id'], name=op.f('fk_ad_spark_codes_tenant_id_creator_id_creators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'video_id'], ['videos.tenant_id', 'videos.id'], name=op.f('fk_ad_spark_codes_tenant_id_video_id_videos'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ad_spark_codes_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ad_spark_codes')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_ad_spark_codes_tenant_id_code')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_ad_spark_codes_tenant_id_id'))
    )
    with op.batch_alter_table('ad_spark_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ad_spark_codes_creator_id'), ['creator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ad_spark_codes_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('ad_campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('video_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('spark_code_id', sa.Integer(), nullable=True),
    sa.Column('creator_id', sa.Integer(), nullable=True),
    sa.Column('billing', sa.String(length=3), nullable=False),
    sa.Column('bid_minor', sa.BigInteger(), nullable=False),
    sa.Column('daily_budget_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('starts_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("billing IN ('cpm', 'cpc')", name=op.f('ck_ad_campaigns_billing')),
    sa.CheckConstraint("kind = 'in_feed' OR (spark_code_id IS NOT NULL AND video_id IS NOT NULL)", name=op.f('ck_ad_campaigns_spark')),
    sa.CheckConstraint("kind IN ('in_feed', 'spark')", name=op.f('ck_ad_campaigns_kind')),
    sa.CheckConstraint("status IN ('draft', 'active', 'paused', 'ended')", name=op.f('ck_ad_campaigns_status')),
    sa.CheckConstraint('(video_id IS NULL) <> (product_id IS NULL)', name=op.f('ck_ad_campaigns_one_target')),
    sa.CheckConstraint('bid_minor > 0 AND daily_budget_minor > 0', name=op.f('ck_ad_campaigns_amounts')),
    sa.CheckConstraint('ends_at IS NULL OR ends_at > starts_at', name=op.f('ck_ad_campaigns_window')),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_ad_campaigns_tenant_id_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'seller_id'], ['sellers.tenant_id', 'sellers.id'], name=op.f('fk_ad_campaigns_tenant_id_seller_id_sellers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'spark_code_id'], ['ad_spark_codes.tenant_id', 'ad_spark_codes.id'], name=op.f('fk_ad_campaigns_tenant_id_spark_code_id_ad_spark_codes')),
    sa.ForeignKeyConstraint(['tenant_id', 'video_id'], ['videos.tenant_id', 'videos.id'], name=op.f('fk_ad_campaigns_tenant_id_video_id_videos'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ad_campaigns_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ad_campaigns')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_ad_campaigns_tenant_id_id'))
    )
    with op.batch_alter_table('ad_campaigns', schema=None) as batch_op:
        batch_op.create_index('ix_ad_campaigns_auction', ['tenant_id', 'status', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ad_campaigns_seller_id'), ['seller_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ad_campaigns_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('ad_campaign_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('spent_micros', sa.BigInteger(), nullable=False),
    sa.Column('impressions', sa.BigInteger(), nullable=False),
    sa.Column('clicks', sa.BigInteger(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('spent_micros >= 0 AND impressions >= 0 AND clicks >= 0', name=op.f('ck_ad_campaign_days_counts')),
    sa.ForeignKeyConstraint(['tenant_id', 'campaign_id'], ['ad_campaigns.tenant_id', 'ad_campaigns.id'], name=op.f('fk_ad_campaign_days_tenant_id_campaign_id_ad_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ad_campaign_days_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ad_campaign_days')),
    sa.UniqueConstraint('tenant_id', 'campaign_id', 'day', name=op.f('uq_ad_campaign_days_tenant_id_campaign_id_day'))
    )
    with op.batch_alter_table('ad_campaign_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ad_campaign_days_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('ad_impressions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('billing', sa.String(length=3), nullable=False),
    sa.Column('price_micros', sa.BigInteger(), nullable=False),
    sa.Column('at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("billing IN ('cpm', 'cpc')", name=op.f('ck_ad_impressions_billing')),
    sa.ForeignKeyConstraint(['tenant_id', 'campaign_id'], ['ad_campaigns.tenant_id', 'ad_campaigns.id'], name=op.f('fk_ad_impressions_tenant_id_campaign_id_ad_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ad_impressions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ad_impressions')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_ad_impressions_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'token', name=op.f('uq_ad_impressions_tenant_id_token'))
    )
    with op.batch_alter_table('ad_impressions', schema=None) as batch_op:
        batch_op.create_index('ix_ad_impressions_campaign', ['tenant_id', 'campaign_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ad_impressions_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('ad_clicks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('impression_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('charged_micros', sa.BigInteger(), nullable=False),
    sa.Column('at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('charged_micros >= 0', name=op.f('ck_ad_clicks_charged')),
    sa.ForeignKeyConstraint(['tenant_id', 'campaign_id'], ['ad_campaigns.tenant_id', 'ad_campaigns.id'], name=op.f('fk_ad_clicks_tenant_id_campaign_id_ad_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id', 'impression_id'], ['ad_impressions.tenant_id', 'ad_impressions.id'], name=op.f('fk_ad_clicks_tenant_id_impression_id_ad_impressions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ad_clicks_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ad_clicks')),
    sa.UniqueConstraint('tenant_id', 'impression_id', name=op.f('uq_ad_clicks_tenant_id_impression_id'))
    )
    with op.batch_alter_table('ad_clicks', schema=None) as batch_op:
        batch_op.create_index('ix_ad_clicks_attribution', ['tenant_id', 'campaign_id', 'buyer_id', 'product_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ad_clicks_tenant_id'), ['tenant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ad_clicks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ad_clicks_tenant_id'))
        batch_op.drop_index('ix_ad_clicks_attribution')

    op.drop_table('ad_clicks')
    with op.batch_alter_table('ad_impressions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ad_impressions_tenant_id'))
        batch_op.drop_index('ix_ad_impressions_campaign')

    op.drop_table('ad_impressions')
    with op.batch_alter_table('ad_campaign_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ad_campaign_days_tenant_id'))

    op.drop_table('ad_campaign_days')
    with op.batch_alter_table('ad_campaigns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ad_campaigns_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_ad_campaigns_seller_id'))
        batch_op.drop_index('ix_ad_campaigns_auction')

    op.drop_table('ad_campaigns')
    with op.batch_alter_table('ad_spark_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ad_spark_codes_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_ad_spark_codes_creator_id'))

    op.drop_table('ad_spark_codes')
    with op.batch_alter_table('ad_topups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ad_topups_tenant_id'))

    op.drop_table('ad_topups')
    with op.batch_alter_table('ad_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ad_accounts_tenant_id'))

    op.drop_table('ad_accounts')
