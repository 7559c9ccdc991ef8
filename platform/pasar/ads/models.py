"""Ads tables: seller ad accounts, campaigns, per-day delivery counters, impressions, clicks,
top-ups and the Spark codes creators issue.

Money that is *spent* is counted in **micros** — millionths of the currency's major unit
(Google Ads' unit) — because one CPM impression costs a thousandth of a bid: a 5.00 GBP CPM bid
costs 5,000 micros an impression, which minor units (pence) cannot hold. Prices a seller types
(bids, budgets, top-ups) are minor units at the ISO exponent, like every other stored price.

Delivery is guarded by two hot counter rows, each moved only by one conditional UPDATE whose
row count is checked (never read-then-write), so concurrent impressions can pass neither:

* ``ad_campaign_days``: one row per campaign and *local* day (the tenant's time zone) with the
  day's spend, guarded by ``spent + price <= the campaign's daily budget``;
* ``ad_accounts``: one row per seller, guarded by ``spent + price <= funded`` (the prepaid
  balance can never go below zero).

The ledger learns of spend in batches (``posted_micros`` → ``spent_micros``, see
``pasar.ads.budget.roll_up``), so the books are not a hot spot of every feed request; the
CHECK constraints repeat the guards so no code path can break them either.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pasar.db import Base, TenantScoped, utcnow

CAMPAIGN_KINDS: tuple[str, ...] = ("in_feed", "spark")
BILLINGS: tuple[str, ...] = ("cpm", "cpc")
#: Stored states. Whether a campaign delivers *now* also depends on its schedule, today's
#: spend, the account's balance and its target (see ``pasar.ads.service.delivery``).
CAMPAIGN_STATUSES: tuple[str, ...] = ("draft", "active", "paused", "ended")
TOPUP_SOURCES: tuple[str, ...] = ("payable",)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class AdAccount(TenantScoped, Base):
    """A seller's prepaid ad balance: ``funded - spent`` micros may still be spent;
    ``spent - posted`` micros are spent but not yet posted to the ledger."""

    __tablename__ = "ad_accounts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "seller_id"),
        ForeignKeyConstraint(["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"], ondelete="CASCADE"),
        CheckConstraint("spent_micros >= 0 AND spent_micros <= funded_micros", name="balance"),
        CheckConstraint("posted_micros >= 0 AND posted_micros <= spent_micros", name="posted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    funded_micros: Mapped[int] = mapped_column(BigInteger, default=0)  # every top-up, ever
    spent_micros: Mapped[int] = mapped_column(BigInteger, default=0)  # every charge, ever
    posted_micros: Mapped[int] = mapped_column(BigInteger, default=0)  # spend the ledger has
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AdTopUp(TenantScoped, Base):
    """Money a seller moved into the ad balance; ``(seller, key)`` is the Idempotency-Key, so
    a retried request never funds twice."""

    __tablename__ = "ad_topups"
    __table_args__ = (
        UniqueConstraint("tenant_id", "seller_id", "key"),
        ForeignKeyConstraint(["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"], ondelete="CASCADE"),
        CheckConstraint(_one_of("source", TOPUP_SOURCES), name="source"),
        CheckConstraint("amount_minor > 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int]
    key: Mapped[str] = mapped_column(String(128))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String(16))
    ledger_ref: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SparkCode(TenantScoped, Base):
    """A creator's authorisation for shops to boost one of its videos as a Spark ad, until
    ``expires_at``; a single-use code (``reusable`` false) authorises one campaign."""

    __tablename__ = "ad_spark_codes"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "code"),
        ForeignKeyConstraint(["tenant_id", "creator_id"], ["creators.tenant_id", "creators.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "video_id"], ["videos.tenant_id", "videos.id"], ondelete="CASCADE"),
        CheckConstraint("uses >= 0", name="uses"),
        CheckConstraint("reusable OR uses <= 1", name="single_use"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24))
    creator_id: Mapped[int] = mapped_column(index=True)
    video_id: Mapped[int]
    reusable: Mapped[bool] = mapped_column(default=False)
    uses: Mapped[int] = mapped_column(default=0)  # campaigns made with it
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Campaign(TenantScoped, Base):
    """A seller's ad: what it shows (its own video or product — In-Feed — or a creator's video
    through a Spark code), how it pays (CPM or CPC bid), how much a day, when and to whom."""

    __tablename__ = "ad_campaigns"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "video_id"], ["videos.tenant_id", "videos.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "product_id"], ["products.tenant_id", "products.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "spark_code_id"], ["ad_spark_codes.tenant_id", "ad_spark_codes.id"]),
        CheckConstraint(_one_of("kind", CAMPAIGN_KINDS), name="kind"),
        CheckConstraint(_one_of("billing", BILLINGS), name="billing"),
        CheckConstraint(_one_of("status", CAMPAIGN_STATUSES), name="status"),
        CheckConstraint("(video_id IS NULL) <> (product_id IS NULL)", name="one_target"),
        CheckConstraint("kind = 'in_feed' OR (spark_code_id IS NOT NULL AND video_id IS NOT NULL)", name="spark"),
        CheckConstraint("bid_minor > 0 AND daily_budget_minor > 0", name="amounts"),
        CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="window"),
        # The auction's candidate query: active campaigns whose schedule has begun.
        Index("ix_ad_campaigns_auction", "tenant_id", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    video_id: Mapped[int | None]
    product_id: Mapped[int | None]
    spark_code_id: Mapped[int | None]
    creator_id: Mapped[int | None]  # a Spark video's creator
    billing: Mapped[str] = mapped_column(String(3))
    bid_minor: Mapped[int] = mapped_column(BigInteger)  # per 1000 impressions (cpm) or per click
    daily_budget_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]  # exclusive; None: until ended
    categories: Mapped[list[int]] = mapped_column(JSON, default=list)  # empty: every buyer
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every country
    status: Mapped[str] = mapped_column(String(8), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    ended_at: Mapped[datetime | None]


class CampaignDay(TenantScoped, Base):
    """One campaign's delivery on one local day: the budget guard and the report's numbers."""

    __tablename__ = "ad_campaign_days"
    __table_args__ = (
        UniqueConstraint("tenant_id", "campaign_id", "day"),
        ForeignKeyConstraint(["tenant_id", "campaign_id"], ["ad_campaigns.tenant_id", "ad_campaigns.id"],
                             ondelete="CASCADE"),
        CheckConstraint("spent_micros >= 0 AND impressions >= 0 AND clicks >= 0", name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int]
    day: Mapped[date]
    spent_micros: Mapped[int] = mapped_column(BigInteger, default=0)
    impressions: Mapped[int] = mapped_column(BigInteger, default=0)
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)


class Impression(TenantScoped, Base):
    """One sponsored slot served, with the opaque token its click comes back with.

    ``price_micros`` is what the impression cost (CPM) or what a click on it will cost (CPC),
    fixed by the auction that placed it."""

    __tablename__ = "ad_impressions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "token"),
        ForeignKeyConstraint(["tenant_id", "campaign_id"], ["ad_campaigns.tenant_id", "ad_campaigns.id"],
                             ondelete="CASCADE"),
        CheckConstraint(_one_of("billing", BILLINGS), name="billing"),
        Index("ix_ad_impressions_campaign", "tenant_id", "campaign_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    campaign_id: Mapped[int]
    seller_id: Mapped[int]
    buyer_id: Mapped[int | None]  # None: a signed-out viewer
    kind: Mapped[str] = mapped_column(String(8))  # "video" | "product": what the slot showed
    target_id: Mapped[int]
    product_id: Mapped[int | None]
    billing: Mapped[str] = mapped_column(String(3))
    price_micros: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class AdClick(TenantScoped, Base):
    """A click on a served impression: at most one per impression, so a repeated token is
    never charged twice. ``charged_micros`` is 0 for CPM (paid with the impression), and for
    a CPC click that found the budget or the balance spent (the platform does not overcharge)."""

    __tablename__ = "ad_clicks"
    __table_args__ = (
        UniqueConstraint("tenant_id", "impression_id"),
        ForeignKeyConstraint(["tenant_id", "impression_id"], ["ad_impressions.tenant_id", "ad_impressions.id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "campaign_id"], ["ad_campaigns.tenant_id", "ad_campaigns.id"],
                             ondelete="CASCADE"),
        CheckConstraint("charged_micros >= 0", name="charged"),
        # Attribution: a buyer's clicks on a product.
        Index("ix_ad_clicks_attribution", "tenant_id", "campaign_id", "buyer_id", "product_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    impression_id: Mapped[int]
    campaign_id: Mapped[int]
    buyer_id: Mapped[int | None]
    product_id: Mapped[int | None]
    charged_micros: Mapped[int] = mapped_column(BigInteger, default=0)
    at: Mapped[datetime] = mapped_column(default=utcnow)
