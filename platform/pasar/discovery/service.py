"""Discovery services the endpoints call: search, the feed, and the shopping tab.

The For You feed is three steps (``pasar.discovery.feed``): ``draft`` reads and ranks a page,
``record_sponsored`` charges the sponsored items it will show (in a write transaction), and
``assemble`` puts them in their slots. Plain functions over ``(session, tenant, ...)``; no Flask. The shopping tab shows the deals running
now (``pasar.deals``).
"""
from __future__ import annotations

from dataclasses import dataclass

from pasar.deals.models import Deal
from pasar.deals.service import active_deals
from typing import Any

from sqlalchemy.orm import Session

from pasar import clock
from pasar.catalog.models import Category, Product
from pasar.catalog.service import list_categories
from pasar.discovery.feed import (
    FeedDraft, FeedItem, FeedPage, FeedResult, InvalidFeedRequest, assemble, draft, feed, record_sponsored,
)
from pasar.discovery.search import InvalidSearch, SearchPage, search
from pasar.tenancy.service import TenantContext

__all__ = [
    "FeedDraft", "FeedItem", "FeedPage", "FeedResult", "InvalidFeedRequest", "InvalidSearch", "SearchPage", "ShopTab",
    "assemble", "draft", "feed", "record_sponsored", "search", "shop_tab",
]

RECOMMENDATIONS = 10


@dataclass(frozen=True)
class ShopTab:
    """What the shopping tab opens with."""

    categories: list[Category]
    deals: list[dict[str, Any]]
    recommendations: list[tuple[Product, str]]


def shop_tab(session: Session, tenant: TenantContext, buyer_id: int | None) -> ShopTab:
    """Top-level categories, running deals, and the buyer's first feed products."""
    roots = [c for c in list_categories(session, tenant) if c.parent_id is None]
    page = feed(session, tenant, buyer_id, limit=RECOMMENDATIONS)
    picks = [page.products[i.candidate.product_id] for i in page.items
             if i.candidate.product_id is not None and i.candidate.product_id in page.products]
    return ShopTab(roots, running_deals(session, tenant), picks)


def running_deals(session: Session, tenant: TenantContext) -> list[Deal]:
    """Flash sales and live deals running now (none where the tenant has no flash sales)."""
    return active_deals(session, tenant, clock.now())
