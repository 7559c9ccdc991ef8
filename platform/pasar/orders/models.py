"""Checkouts, orders, their lines and every status change.

Money is stored as integer minor units of the tenant's currency (ISO exponent, see
``pasar.money``). Lines keep a snapshot of what was bought (title, SKU, price, tax) so an order
reads the same after the product changes.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pasar.db import Base, TenantScoped, utcnow

ORDER_STATUSES: tuple[str, ...] = (
    "pending_payment",
    "paid",
    "ready_to_ship",
    "shipped",
    "delivered",
    "completed",
    "cancelled",
    "return_requested",
    "return_approved",
    "return_rejected",
    "returned",
    "refunded",
)
CHECKOUT_STATUSES: tuple[str, ...] = ("pending_payment", "paid", "expired", "cancelled", "failed")
ACTOR_KINDS: tuple[str, ...] = ("buyer", "seller", "operator", "system", "carrier", "gateway")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Checkout(TenantScoped, Base):
    """One buyer payment covering one order per seller."""

    __tablename__ = "checkouts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        # The Idempotency-Key of the placing request: a retry finds this checkout again.
        UniqueConstraint("tenant_id", "buyer_id", "idempotency_key"),
        CheckConstraint(_one_of("status", CHECKOUT_STATUSES), name="status"),
        Index("ix_checkouts_expiry", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(index=True)  # users.id (accounts' own branch: no FK)
    idempotency_key: Mapped[str] = mapped_column(String(128))
    request_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the canonical request body
    status: Mapped[str] = mapped_column(String(20), default="pending_payment")
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_minor: Mapped[int] = mapped_column(BigInteger)  # lines at their displayed prices
    discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # all vouchers
    shipping_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_added_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # exclusive regions only
    total_minor: Mapped[int] = mapped_column(BigInteger)  # what the buyer pays
    payment_method: Mapped[str] = mapped_column(String(40))
    shipping_address: Mapped[dict[str, Any]]
    vouchers: Mapped[list[str]] = mapped_column(JSON, default=list)  # voucher codes applied
    expires_at: Mapped[datetime | None]  # unpaid after this: orders cancel, stock returns
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]

    orders: Mapped[list[Order]] = relationship(back_populates="checkout", order_by="Order.id", lazy="selectin")


class Order(TenantScoped, Base):
    """What one seller owes one buyer from one checkout."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "checkout_id"], ["checkouts.tenant_id", "checkouts.id"]),
        ForeignKeyConstraint(["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"]),
        CheckConstraint(_one_of("status", ORDER_STATUSES), name="status"),
        Index("ix_orders_seller", "tenant_id", "seller_id", "id"),
        Index("ix_orders_buyer", "tenant_id", "buyer_id", "id"),
        Index("ix_orders_status", "status", "return_deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int]
    seller_id: Mapped[int]
    buyer_id: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="pending_payment")
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_minor: Mapped[int] = mapped_column(BigInteger)
    seller_discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # the shop pays it
    platform_discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # the platform pays it
    shipping_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # all tax in the order
    tax_included: Mapped[bool] = mapped_column(default=True)  # inside the prices, or added on top
    tax_collected_by: Mapped[str] = mapped_column(String(12), default="seller")  # or "marketplace"
    total_minor: Mapped[int] = mapped_column(BigInteger)  # this order's share of the payment
    payment_method: Mapped[str] = mapped_column(String(40))
    carrier: Mapped[str] = mapped_column(String(40))
    shipping_service: Mapped[str] = mapped_column(String(40))
    shipping_address: Mapped[dict[str, Any]]
    # Social attribution (the creator, live session or video that led to the order).
    source_kind: Mapped[str | None] = mapped_column(String(16))
    source_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    return_deadline: Mapped[datetime | None]  # delivered_at + the region's return window
    completed_at: Mapped[datetime | None]

    checkout: Mapped[Checkout] = relationship(back_populates="orders")
    lines: Mapped[list[OrderLine]] = relationship(back_populates="order", order_by="OrderLine.id", lazy="selectin")
    transitions: Mapped[list[OrderTransition]] = relationship(
        back_populates="order", order_by="OrderTransition.id", lazy="selectin"
    )


class OrderLine(TenantScoped, Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"], ondelete="CASCADE"),
        CheckConstraint("quantity > 0", name="quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed: an order's lines are loaded by ``order_id IN (...)`` on every order page and list
    # (without it each load scans every line of the tenant; measured in bench/).
    order_id: Mapped[int] = mapped_column(index=True)
    product_id: Mapped[int]
    variant_id: Mapped[int]
    sku: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))  # in the buyer's language at checkout
    tax_category: Mapped[str] = mapped_column(String(24))
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)  # as displayed
    quantity: Mapped[int]
    discount_minor: Mapped[int] = mapped_column(BigInteger, default=0)  # this line's voucher share
    tax_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_rate: Mapped[str] = mapped_column(String(12), default="0")  # decimal string
    weight_grams: Mapped[int] = mapped_column(default=0)
    refunded_quantity: Mapped[int] = mapped_column(default=0)
    creator_id: Mapped[int | None]  # the creator credited with this line (affiliate)

    order: Mapped[Order] = relationship(back_populates="lines")


class OrderTransition(TenantScoped, Base):
    """Who moved an order from one status to the next, and when."""

    __tablename__ = "order_transitions"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "order_id"], ["orders.tenant_id", "orders.id"], ondelete="CASCADE"),
        CheckConstraint(_one_of("actor_kind", ACTOR_KINDS), name="actor_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(index=True)  # an order's history, loaded with the order
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_kind: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order] = relationship(back_populates="transitions")
