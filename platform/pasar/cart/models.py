"""A buyer's cart and its lines.

A line holds a variant and a quantity, never a price: prices are read from the catalogue each
time the cart is shown or checked out, so a cart left for a week never sells at last week's
price. One line per variant (adding again raises its quantity).

A line added in a live room remembers the room (``source_kind="live"``, ``source_id`` = the
live session): checkout stamps the order with it (attribution to the session and its host) and
only such a line gets that session's live deals.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pasar.db import Base, TenantScoped, utcnow


class Cart(TenantScoped, Base):
    """The one cart of one buyer in one marketplace."""

    __tablename__ = "carts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "buyer_id"),  # one cart per buyer
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int]  # users.id (accounts migrates on its own branch: no FK)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lines: Mapped[list[CartLine]] = relationship(
        back_populates="cart", cascade="all, delete-orphan", order_by="CartLine.id", lazy="selectin"
    )


class CartLine(TenantScoped, Base):
    """A variant and how many of it the buyer wants."""

    __tablename__ = "cart_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "cart_id", "variant_id"),  # one line per variant
        ForeignKeyConstraint(["tenant_id", "cart_id"], ["carts.tenant_id", "carts.id"], ondelete="CASCADE"),
        # A variant deleted from the catalogue leaves no dangling line behind.
        ForeignKeyConstraint(["tenant_id", "variant_id"], ["variants.tenant_id", "variants.id"], ondelete="CASCADE"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint(
            "(source_kind IS NULL AND source_id IS NULL) OR (source_kind IN ('live') AND source_id IS NOT NULL)",
            name="source",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int]
    variant_id: Mapped[int]
    quantity: Mapped[int]
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Where the buyer added it: a live room ("live", its session id), or nowhere in particular.
    # No foreign key: live sessions migrate on the content branch.
    source_kind: Mapped[str | None] = mapped_column(String(8))
    source_id: Mapped[int | None]

    cart: Mapped[Cart] = relationship(back_populates="lines")
