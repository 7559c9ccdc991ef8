"""Catalog tables: categories, products with their texts per language, variants (SKUs) with
price history and stock, and product images.

Every child points at its parent with a composite ``(tenant_id, parent_id)`` foreign key, so a
row can never hang under another marketplace's product. Money is integer minor units at the
ISO 4217 exponent next to the currency code (``pasar.money``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pasar.db import Base, TenantScoped, utcnow

PRODUCT_STATUSES: tuple[str, ...] = ("draft", "active", "archived")
MODERATION_STATES: tuple[str, ...] = ("approved", "blocked")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL for ``column IN (...)``: the database refuses a status no code path knows."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Category(TenantScoped, Base):
    """A node of the tenant's category tree; ``names`` holds its name per locale."""

    __tablename__ = "categories"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "slug"),
        ForeignKeyConstraint(["tenant_id", "parent_id"], ["categories.tenant_id", "categories.id"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(index=True)
    slug: Mapped[str] = mapped_column(String(64))
    # {"en_GB": "Shoes", ...}: one entry per tenant locale, the default locale always present.
    names: Mapped[dict[str, Any]]
    # Order among siblings, smallest first.
    position: Mapped[int] = mapped_column(default=0)


class Product(TenantScoped, Base):
    """What a seller lists; buyers buy one of its ``variants``."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        ForeignKeyConstraint(["tenant_id", "seller_id"], ["sellers.tenant_id", "sellers.id"]),
        ForeignKeyConstraint(["tenant_id", "category_id"], ["categories.tenant_id", "categories.id"]),
        CheckConstraint(_one_of("status", PRODUCT_STATUSES), name="status"),
        CheckConstraint(_one_of("moderation", MODERATION_STATES), name="moderation"),
        CheckConstraint("weight_grams >= 0", name="weight"),
        Index("ix_products_listing_newest", "tenant_id", "status", "created_at", "id"),
        # The price-sorted listing walks this index until it has a page; the trailing columns
        # let it check category, moderation and shop without reading each product row (at 1M
        # products those row reads made a category page 10× slower from a cold cache; bench/).
        Index("ix_products_listing_price", "tenant_id", "status", "price_minor", "id",
              "category_id", "moderation", "seller_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(index=True)
    category_id: Mapped[int | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # Set by operators: a blocked product is never listed, whatever its status.
    moderation: Mapped[str] = mapped_column(String(16), default="approved")
    moderation_reason: Mapped[str | None] = mapped_column(String(500))
    tax_category: Mapped[str] = mapped_column(String(32), default="standard")  # contracts.TAX_CATEGORIES
    weight_grams: Mapped[int] = mapped_column(default=0)
    length_cm: Mapped[int] = mapped_column(default=0)
    width_cm: Mapped[int] = mapped_column(default=0)
    height_cm: Mapped[int] = mapped_column(default=0)
    # Lowest price of the active variants (the "from" price), kept by the service so the
    # listing can sort and paginate by price on an index; None when nothing is for sale.
    price_minor: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    texts: Mapped[list[ProductText]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductText.locale"
    )
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="Variant.id"
    )
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductImage.position"
    )

    def text_for(self, locale: str, default_locale: str) -> ProductText | None:
        """The text in ``locale``, else in the tenant's default locale, else any."""
        by_locale = {text.locale: text for text in self.texts}
        return by_locale.get(locale) or by_locale.get(default_locale) or next(iter(self.texts), None)


class ProductText(TenantScoped, Base):
    """A product's title and description in one of the tenant's locales."""

    __tablename__ = "product_texts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "product_id", "locale"),
        ForeignKeyConstraint(
            ["tenant_id", "product_id"], ["products.tenant_id", "products.id"], ondelete="CASCADE"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(index=True)
    locale: Mapped[str] = mapped_column(String(16))  # babel id, one of the tenant's locales
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    product: Mapped[Product] = relationship(back_populates="texts")


class Variant(TenantScoped, Base):
    """One buyable SKU of a product, e.g. size M in red."""

    __tablename__ = "variants"
    __table_args__ = (
        UniqueConstraint("tenant_id", "id"),
        UniqueConstraint("tenant_id", "sku"),
        ForeignKeyConstraint(
            ["tenant_id", "product_id"], ["products.tenant_id", "products.id"], ondelete="CASCADE"
        ),
        CheckConstraint("price_minor >= 0", name="price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(index=True)
    sku: Mapped[str] = mapped_column(String(64))
    # {"size": "M", "colour": "red"}: option name → value, both free text.
    options: Mapped[dict[str, Any]]
    price_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))  # always the tenant's currency
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(back_populates="variants")
    inventory: Mapped[Inventory] = relationship(
        back_populates="variant", cascade="all, delete-orphan", uselist=False
    )


class PriceChange(TenantScoped, Base):
    """One period during which a variant had one price; the open period has no ``valid_to``.

    The EU's prior-price rule (Omnibus) needs the lowest price of the days before a reduction,
    so prices are never overwritten, only closed and followed by a new period.
    """

    __tablename__ = "price_changes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "variant_id"], ["variants.tenant_id", "variants.id"], ondelete="CASCADE"
        ),
        Index("ix_price_changes_variant_period", "variant_id", "valid_from"),
        CheckConstraint("price_minor >= 0", name="price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int]
    price_minor: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    valid_from: Mapped[datetime]
    valid_to: Mapped[datetime | None]


class Inventory(TenantScoped, Base):
    """Stock of one variant. ``reserved`` units are held by unpaid or unshipped orders, so what
    a buyer can still take is ``on_hand - reserved``; the database refuses anything else."""

    __tablename__ = "inventory"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "variant_id"], ["variants.tenant_id", "variants.id"], ondelete="CASCADE"
        ),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("on_hand >= reserved", name="on_hand_covers_reserved"),
    )

    variant_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)

    variant: Mapped[Variant] = relationship(back_populates="inventory")

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class ProductImage(TenantScoped, Base):
    """An uploaded picture, re-encoded without metadata, with a thumbnail.

    Paths are relative to the tenant's media directory (``<media root>/<tenant code>/``).
    """

    __tablename__ = "product_images"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "product_id"], ["products.tenant_id", "products.id"], ondelete="CASCADE"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(index=True)
    position: Mapped[int] = mapped_column(default=0)
    original_path: Mapped[str] = mapped_column(String(255))
    thumbnail_path: Mapped[str] = mapped_column(String(255))
    width: Mapped[int]
    height: Mapped[int]
    content_type: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(back_populates="images")
