"""Creator profiles, their followers, shops' collaboration offers, promotion links and clicks.

Commission rates are integer basis points (1250 = 12.50 %), exact like money. A collaboration
copies its offer's product, rate and window when it is made, so "was this creator allowed to
earn on this product at that moment?" is one indexed look-up, and a later withdrawal of the
offer only shortens the window (``ends_at``) — it never rewrites what was already earned.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pasar.db import Base, TenantScoped, utcnow

OFFER_STATUSES: tuple[str, ...] = ("open", "withdrawn")
COLLABORATION_STATUSES: tuple[str, ...] = ("invited", "applied", "active", "declined", "rejected", "ended")
SOURCE_KINDS: tuple[str, ...] = ("link", "video", "live")
MAX_RATE_BP = 5000  # 50 %: the seller must keep something after commission, fees and tax


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Creator(TenantScoped, Base):
    """A user who promotes products: a public profile and where commission is paid."""

    __tablename__ = "creators"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "user_id"),  # one profile per user
        UniqueConstraint("tenant_id", "handle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int]  # users.id (accounts migrates on its own branch: no FK)
    handle: Mapped[str] = mapped_column(String(40))  # @handle, lower case
    display_name: Mapped[str] = mapped_column(String(120))
    bio: Mapped[str] = mapped_column(String(1000), default="")
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)  # what the creator covers
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO codes of the audience
    follower_count: Mapped[int] = mapped_column(default=0)  # kept with creator_follows
    bank_holder: Mapped[str] = mapped_column(String(200))
    # Full number: payouts need it; answers show it masked.
    bank_number: Mapped[str] = mapped_column(String(64))
    bank_code: Mapped[str | None] = mapped_column(String(32))
    bank_country: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CreatorFollow(TenantScoped, Base):
    """A user following a creator (the profile's follower count and the feed's affinity)."""

    __tablename__ = "creator_follows"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "creator_id"], ["creators.tenant_id", "creators.id"], ondelete="CASCADE"),
        UniqueConstraint("tenant_id", "creator_id", "user_id"),
        Index("ix_creator_follows_user", "tenant_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    creator_id: Mapped[int]
    user_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CollaborationOffer(TenantScoped, Base):
    """A shop's offer of commission on one product for a window: open to every creator
    (``creator_id`` None: creators apply) or an invitation to one creator."""

    __tablename__ = "collaboration_offers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"]),
        ForeignKeyConstraint(["tenant_id", "product_id"], ["products.tenant_id", "products.id"]),
        ForeignKeyConstraint(["tenant_id", "creator_id"], ["creators.tenant_id", "creators.id"]),
        CheckConstraint(_one_of("status", OFFER_STATUSES), name="status"),
        CheckConstraint(f"rate_bp > 0 AND rate_bp <= {MAX_RATE_BP}", name="rate"),
        CheckConstraint("ends_at > starts_at", name="window"),
        Index("ix_collaboration_offers_open", "tenant_id", "status", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(index=True)
    product_id: Mapped[int]
    creator_id: Mapped[int | None]  # set: a targeted invitation
    rate_bp: Mapped[int]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]  # exclusive; a withdrawal moves it to the withdrawal time
    status: Mapped[str] = mapped_column(String(12), default="open")
    note: Mapped[str] = mapped_column(String(1000), default="")  # the brief for creators
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Collaboration(TenantScoped, Base):
    """One creator on one offer: invited → active/declined, or applied → active/rejected."""

    __tablename__ = "collaborations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "offer_id", "creator_id"),
        ForeignKeyConstraint(["tenant_id", "offer_id"], ["collaboration_offers.tenant_id", "collaboration_offers.id"]),
        ForeignKeyConstraint(["tenant_id", "creator_id"], ["creators.tenant_id", "creators.id"]),
        CheckConstraint(_one_of("status", COLLABORATION_STATUSES), name="status"),
        Index("ix_collaborations_promote", "tenant_id", "creator_id", "product_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int]
    creator_id: Mapped[int]
    seller_id: Mapped[int]  # copied from the offer
    product_id: Mapped[int]  # copied from the offer
    rate_bp: Mapped[int]  # copied from the offer
    starts_at: Mapped[datetime]  # copied from the offer
    ends_at: Mapped[datetime]  # the offer's, or earlier when the offer was withdrawn
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]


class PromotionLink(TenantScoped, Base):
    """A creator's short link to a product (``/api/v1/r/<code>``)."""

    __tablename__ = "promotion_links"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "code"),
        UniqueConstraint("tenant_id", "creator_id", "product_id"),  # one link per product
        ForeignKeyConstraint(["tenant_id", "creator_id"], ["creators.tenant_id", "creators.id"]),
        ForeignKeyConstraint(["tenant_id", "product_id"], ["products.tenant_id", "products.id"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    creator_id: Mapped[int]
    product_id: Mapped[int]
    clicks: Mapped[int] = mapped_column(default=0)  # every click, signed in or not
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PromotionClick(TenantScoped, Base):
    """A signed-in buyer reached a product through a creator: what attribution reads."""

    __tablename__ = "promotion_clicks"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "creator_id"], ["creators.tenant_id", "creators.id"]),
        CheckConstraint(_one_of("source_kind", SOURCE_KINDS), name="source_kind"),
        Index("ix_promotion_clicks_attribution", "tenant_id", "buyer_id", "product_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int]  # users.id
    creator_id: Mapped[int]
    product_id: Mapped[int]
    source_kind: Mapped[str] = mapped_column(String(8))
    source_id: Mapped[int]  # the link, video or live session
    at: Mapped[datetime] = mapped_column(default=utcnow)
