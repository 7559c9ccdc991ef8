"""Which products an author may link to a video or show in a live session.

Only active, unblocked products of approved shops are linkable. A shop links its own products;
a creator links its own shop's products (if it runs one) and those the creators domain says it
may promote (an active collaboration or accepted invitation).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pasar.catalog.models import Product
from pasar.content.errors import InvalidContent
from pasar.creators.service import may_promote
from pasar.sellers.models import Seller
from pasar.tenancy.service import TenantContext


@dataclass(frozen=True)
class Author:
    """Who posts a video or hosts a live: a shop (``kind="seller"``) or a creator."""

    kind: str  # "seller" | "creator"
    user_id: int
    seller_id: int | None  # the shop, for a seller; a creator's own shop, if any
    creator_id: int | None

    def owns(self, seller_id: int | None, creator_id: int | None, kind: str) -> bool:
        """True when an object authored as (kind, seller_id, creator_id) is this author's."""
        if kind != self.kind:
            return False
        if kind == "seller":
            return seller_id is not None and seller_id == self.seller_id
        return creator_id is not None and creator_id == self.creator_id

    @property
    def author_seller_id(self) -> int | None:
        """The ``seller_id`` stored on the object: the shop only when the shop is the author."""
        return self.seller_id if self.kind == "seller" else None


def checked_products(
    session: Session, tenant: TenantContext, author: Author, product_ids: Sequence[int], *,
    field: str, limit: int, at: datetime,
) -> list[int]:
    """``product_ids`` in order if the author may link every one; else a 422 naming the first
    offending entry (``field.<index>``)."""
    if len(product_ids) > limit:
        raise InvalidContent(f"at most {limit} products", field)
    if len(set(product_ids)) != len(product_ids):
        raise InvalidContent("a product is listed twice", field)
    sellable = _sellable(session, product_ids)
    for index, product_id in enumerate(product_ids):
        where = f"{field}.{index}"
        seller_id = sellable.get(product_id)
        if seller_id is None:
            raise InvalidContent(f"product {product_id} is not for sale", where)
        if not _may_link(session, tenant, author, product_id, seller_id, at):
            raise InvalidContent(_refusal(author, product_id), where)
    return list(product_ids)


def _sellable(session: Session, product_ids: Sequence[int]) -> dict[int, int]:
    """product id → seller id, for the active, unblocked products of approved shops among them."""
    if not product_ids:
        return {}
    rows = session.execute(
        select(Product.id, Product.seller_id).join(Seller, Seller.id == Product.seller_id).where(
            Product.id.in_(product_ids), Product.status == "active", Product.moderation == "approved",
            Seller.status == "approved",
        )
    )
    return {product_id: seller_id for product_id, seller_id in rows}


def _may_link(
    session: Session, tenant: TenantContext, author: Author, product_id: int, seller_id: int, at: datetime
) -> bool:
    if author.seller_id is not None and seller_id == author.seller_id:
        return True  # a shop's own product, posted by the shop or by its creator-owner
    if author.kind != "creator" or author.creator_id is None:
        return False
    return may_promote(session, tenant, author.creator_id, product_id, at)


def _refusal(author: Author, product_id: int) -> str:
    if author.kind == "seller":
        return f"product {product_id} is not a product of your shop"
    return f"product {product_id} is not one you may promote (no active collaboration)"
