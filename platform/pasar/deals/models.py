"""Deals, each buyer's running total per deal, and the claims checkouts make on a deal.

A deal holds its ``quota`` units in the variant's inventory (``reserved``) from creation, so
the shop cannot sell them twice at the normal price. A checkout *claims* units: the deal's
``claimed`` counter is raised by one conditional UPDATE (``claimed + q <= quota``) and the
buyer's row in ``deal_buyers`` by another (``bought + q <= per_buyer_limit``); the units move
from the deal's hold to the order's hold. Nothing is read before it is written, so concurrent
buyers can never pass the quota or a buyer's limit. Ending the deal gives back what no one
claimed (``quota - claimed``).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pasar.db import Base, TenantScoped, utcnow

DEAL_KINDS: tuple[str, ...] = ("flash", "live")
DEAL_STATUSES: tuple[str, ...] = ("active", "ended")
CLAIM_STATUSES: tuple[str, ...] = ("held", "used", "released")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Deal(TenantScoped, Base):
    """A seller's variant at ``price_minor`` between ``starts_at`` and ``ends_at``, while the
    quota lasts. ``status`` is ``active`` until the deal is ended (by the seller, or once its
    window is over); whether it applies *now* is also a matter of the window."""

    __tablename__ = "deals"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "variant_id"], ["variants.tenant_id", "variants.id"], ondelete="CASCADE"),
        CheckConstraint(_one_of("kind", DEAL_KINDS), name="kind"),
        CheckConstraint(_one_of("status", DEAL_STATUSES), name="status"),
        CheckConstraint("price_minor > 0", name="price"),
        CheckConstraint("ends_at > starts_at", name="window"),
        CheckConstraint("quota >= 0 AND claimed >= 0 AND claimed <= quota", name="claimed"),
        CheckConstraint("per_buyer_limit > 0", name="per_buyer_limit"),
        Index("ix_deals_variant_window", "tenant_id", "variant_id", "status", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(index=True)
    variant_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    live_session_id: Mapped[int | None]  # the content domain's live session (no FK: its branch)
    price_minor: Mapped[int] = mapped_column(BigInteger)  # the deal price, tenant currency
    currency: Mapped[str] = mapped_column(String(3))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    quota: Mapped[int]  # units held for the deal at creation (lowered only if a hold is lost)
    per_buyer_limit: Mapped[int]
    claimed: Mapped[int] = mapped_column(default=0)  # units in held or used claims
    status: Mapped[str] = mapped_column(String(10), default="active")
    released: Mapped[int | None]  # units given back to the shelf when the deal ended
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class DealBuyer(TenantScoped, Base):
    """How many units of a deal one buyer holds or bought: one row per buyer and deal, so the
    per-buyer limit is one guarded UPDATE on it (inserted first, if missing, with ON CONFLICT
    DO NOTHING)."""

    __tablename__ = "deal_buyers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "deal_id", "buyer_id"),
        ForeignKeyConstraint(["tenant_id", "deal_id"], ["deals.tenant_id", "deals.id"], ondelete="CASCADE"),
        CheckConstraint("bought >= 0", name="bought"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int]
    buyer_id: Mapped[int]
    bought: Mapped[int] = mapped_column(default=0)  # units in this buyer's held or used claims


class DealClaim(TenantScoped, Base):
    """Units of a deal one checkout took at the deal price: ``held`` while its order waits for
    payment, ``used`` once paid, ``released`` when the order was cancelled or its payment
    ended (the units went back to the deal, or to the shelf if the deal was over)."""

    __tablename__ = "deal_claims"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "deal_id"], ["deals.tenant_id", "deals.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "checkout_id"], ["checkouts.tenant_id", "checkouts.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"], ondelete="CASCADE"),
        CheckConstraint(_one_of("status", CLAIM_STATUSES), name="status"),
        CheckConstraint("quantity > 0", name="quantity"),
        Index("ix_deal_claims_order", "tenant_id", "order_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(index=True)
    buyer_id: Mapped[int]
    variant_id: Mapped[int]  # the deal's, kept here to match the claim to its order line
    quantity: Mapped[int]
    price_minor: Mapped[int] = mapped_column(BigInteger)  # the unit price the buyer got
    checkout_id: Mapped[int | None]  # set in the placing transaction once the checkout exists
    order_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default="held")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_at: Mapped[datetime | None]
