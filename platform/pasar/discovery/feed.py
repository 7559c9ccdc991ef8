"""The For You feed: gather candidates, measure signals, let the ranker order them, page.

Candidates are the public products (the newest ``CANDIDATE_LIMIT`` and every product bought
recently), so the feed works before videos, lives and ads exist. Signals:

* popularity — units ordered by anyone in the last ``POPULARITY_DAYS``, each weighted
  ``exp(-age / POPULARITY_DECAY_DAYS)``, so last week's bestseller fades;
* affinity — what the buyer ordered (decayed over ``AFFINITY_DECAY_DAYS``) and has in the cart,
  counted per category and per seller and scaled so the strongest interest is 1.

The ranking is the ``pasar_rank_feed`` hook (the kernel's ranker is ``pasar.discovery.ranking``).
A cursor carries the moment the first page was ranked and the position reached: ranking again at
that same moment gives the same order, so pages neither repeat nor skip an item while the data
stays the same; a buyer who refreshes starts a new ranking.
"""
from __future__ import annotations

import base64
import binascii
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from pasar import clock
from pasar.cart.models import Cart, CartLine
from pasar.catalog.listing import _loaded, public_products
from pasar.catalog.models import Product, Variant
from pasar.contracts import FeedCandidate, FeedContext, RankedItem
from pasar.orders.models import Order, OrderLine
from pasar.tenancy.service import TenantContext

MAX_FEED_LIMIT = 50
CANDIDATE_LIMIT = 500
POPULARITY_DAYS = 30
POPULARITY_DECAY_DAYS = 7.0
AFFINITY_DECAY_DAYS = 60.0
CART_WEIGHT = 0.5  # a product in the cart says less than one bought
_NOT_BOUGHT = ("pending_payment", "cancelled")


class InvalidFeedRequest(ValueError):
    """A feed request that cannot be answered; ``field`` names the argument at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class FeedPage:
    """Ranked items of one page, the products they show (by id), and the next page's cursor."""

    items: list[RankedItem]
    products: dict[int, tuple[Product, str]]
    next_cursor: str | None


def feed(
    session: Session, tenant: TenantContext, buyer_id: int | None, *, cursor: str | None = None, limit: int = 20
) -> FeedPage:
    """One page of the buyer's For You feed (``buyer_id`` None: signed out, cold start)."""
    if not 1 <= limit <= MAX_FEED_LIMIT:
        raise InvalidFeedRequest(f"between 1 and {MAX_FEED_LIMIT}", "limit")
    at, offset = decode_cursor(cursor) if cursor else (clock.now(), 0)
    context = feed_context(session, tenant, buyer_id, at)
    ranked = rank_feed(tenant, context, product_candidates(session, at))
    page = ranked[offset: offset + limit]
    more = offset + limit < len(ranked)
    ids = [item.candidate.product_id for item in page if item.candidate.product_id is not None]
    return FeedPage(page, products_by_id(session, ids), encode_cursor(at, offset + limit) if more else None)


def rank_feed(tenant: TenantContext, context: FeedContext, candidates: list[FeedCandidate]) -> list[RankedItem]:
    """Ask the tenant's plugins (the kernel's ranker answers last)."""
    return tenant.hooks.rank_feed(context, candidates)


# --- signals ------------------------------------------------------------------------------------
def feed_context(session: Session, tenant: TenantContext, buyer_id: int | None, at: datetime) -> FeedContext:
    """The buyer's affinities from orders and cart; empty for a buyer without history."""
    categories: dict[int, float] = defaultdict(float)
    sellers: dict[int, float] = defaultdict(float)
    if buyer_id is not None:
        for category_id, seller_id, weight in _bought(session, buyer_id, at) + _in_cart(session, buyer_id):
            sellers[seller_id] += weight
            if category_id is not None:
                categories[category_id] += weight
    return FeedContext(
        tenant=tenant.code, country=tenant.country, now=at, buyer_id=buyer_id,
        category_affinity=_scaled(categories), seller_affinity=_scaled(sellers),
    )


def _bought(session: Session, buyer_id: int, at: datetime) -> list[tuple[int | None, int, float]]:
    rows = session.execute(
        select(Product.category_id, Product.seller_id, OrderLine.quantity, Order.created_at)
        .join(Order, and_(Order.tenant_id == OrderLine.tenant_id, Order.id == OrderLine.order_id))
        .join(Product, and_(Product.tenant_id == OrderLine.tenant_id, Product.id == OrderLine.product_id))
        .where(Order.buyer_id == buyer_id, Order.status.not_in(_NOT_BOUGHT), Order.created_at <= at)
    )
    return [(c, s, q * decay(at - when, AFFINITY_DECAY_DAYS)) for c, s, q, when in rows]


def _in_cart(session: Session, buyer_id: int) -> list[tuple[int | None, int, float]]:
    rows = session.execute(
        select(Product.category_id, Product.seller_id)
        .select_from(CartLine)
        .join(Cart, and_(Cart.tenant_id == CartLine.tenant_id, Cart.id == CartLine.cart_id))
        .join(Variant, and_(Variant.tenant_id == CartLine.tenant_id, Variant.id == CartLine.variant_id))
        .join(Product, and_(Product.tenant_id == Variant.tenant_id, Product.id == Variant.product_id))
        .where(Cart.buyer_id == buyer_id)
    )
    return [(c, s, CART_WEIGHT) for c, s in rows]


def decay(age: timedelta, days: float) -> float:
    """``exp(-age / days)``: 1 now, about a third after ``days``."""
    return math.exp(-max(age.total_seconds(), 0.0) / (days * 86400))


def _scaled(weights: Mapping[int, float]) -> Mapping[int, float]:
    top = max(weights.values(), default=0.0)
    return MappingProxyType({key: value / top for key, value in weights.items()} if top > 0 else {})


def popularity(session: Session, at: datetime) -> dict[int, float]:
    """Product id → units ordered in the last ``POPULARITY_DAYS``, time-decayed."""
    rows = session.execute(
        select(OrderLine.product_id, OrderLine.quantity, Order.created_at)
        .join(Order, and_(Order.tenant_id == OrderLine.tenant_id, Order.id == OrderLine.order_id))
        .where(Order.status.not_in(_NOT_BOUGHT), Order.created_at > at - timedelta(days=POPULARITY_DAYS),
               Order.created_at <= at)
    )
    scores: dict[int, float] = defaultdict(float)
    for product_id, quantity, when in rows:
        scores[product_id] += quantity * decay(at - when, POPULARITY_DECAY_DAYS)
    return scores


# --- candidates ---------------------------------------------------------------------------------
def product_candidates(session: Session, at: datetime) -> list[FeedCandidate]:
    """The newest public products and the popular ones, each once, listed before ``at``."""
    scores = popularity(session, at)
    columns = public_products().with_only_columns(
        Product.id, Product.seller_id, Product.category_id, Product.created_at
    ).where(Product.created_at <= at)
    newest = columns.order_by(Product.created_at.desc(), Product.id.desc()).limit(CANDIDATE_LIMIT)
    rows = list(session.execute(newest))
    seen = {row.id for row in rows}
    missing = [pid for pid in scores if pid not in seen]
    if missing:
        rows += list(session.execute(columns.where(Product.id.in_(missing))))
    return [
        FeedCandidate(
            kind="product", id=row.id, seller_id=row.seller_id, product_id=row.id, category_id=row.category_id,
            created_at=row.created_at, popularity=scores.get(row.id, 0.0),
        )
        for row in rows
    ]


def products_by_id(session: Session, ids: Iterable[int]) -> dict[int, tuple[Product, str]]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    statement = _loaded(public_products().where(Product.id.in_(wanted)))
    return {product.id: (product, name) for product, name in session.execute(statement)}


# --- cursor -------------------------------------------------------------------------------------
def encode_cursor(at: datetime, offset: int) -> str:
    """Opaque to clients: base64 of the ranking moment and the position reached."""
    raw = json.dumps([at.isoformat(), offset], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        at_text, offset = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        at = datetime.fromisoformat(at_text)
        if not isinstance(offset, int) or offset < 0 or at.tzinfo is None:
            raise ValueError("bad position")
        return at, offset
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidFeedRequest("not a cursor of this feed; start again without one", "cursor") from None


def candidate_payload(item: RankedItem) -> dict[str, Any]:
    """The fields of a feed item other than the product card."""
    candidate = item.candidate
    return {
        "kind": candidate.kind, "id": candidate.id, "seller_id": candidate.seller_id,
        "creator_id": candidate.creator_id, "product_id": candidate.product_id, "score": item.score,
        "explanation": item.explanation, "sponsored": candidate.sponsored,
    }
