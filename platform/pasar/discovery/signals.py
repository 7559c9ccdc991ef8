"""What the feed measures: the buyer's affinities (per request) and everything's popularity (the
reference measure; the feed reads it from ``pasar.discovery.rollup``), one SQL statement each,
time decay applied here.

**Affinity** (one ``UNION ALL``): what the buyer ordered (per unit, ``ORDER_WEIGHT``), has in the
cart (``CART_WEIGHT``) and did with videos and live sessions (``INTERACTION_WEIGHTS``; a view
counts in proportion to the seconds watched, fully from ``FULL_VIEW_SECONDS``), each weighted
``exp(-age / AFFINITY_DECAY_DAYS)`` and counted toward the category and shop of the product it
was about — the clicked product, else a video's first anchor, else a live's pinned product — and
toward the creator (a creator's video or live, or the creator an order line was credited to).
Each map is scaled so that the buyer's strongest interest is 1.

**Popularity** (one ``UNION ALL``, grouped per thing and day so the rows stay few): units
ordered and product clicks for products, weighted interactions for videos and live sessions,
over the last ``POPULARITY_DAYS``, each day's sum weighted ``exp(-age / POPULARITY_DECAY_DAYS)``
from its latest moment. Each kind is then scaled so its most popular is 1, so a video with many
views does not drown every product (a view and a purchase are not the same unit).
"""
from __future__ import annotations

import math
from collections import defaultdict
from functools import cache
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from sqlalchemy import String, and_, bindparam, case, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from pasar.cart.models import Cart, CartLine
from pasar.catalog.models import Product, Variant
from pasar.content.models import Interaction, LiveSession, Video, VideoAnchor
from pasar.db import UTCDateTime
from pasar.orders.models import Order, OrderLine

AFFINITY_DAYS = 365
AFFINITY_DECAY_DAYS = 60.0
POPULARITY_DAYS = 30
POPULARITY_DECAY_DAYS = 7.0
ORDER_WEIGHT = 5.0  # one unit bought says more than any tap
CART_WEIGHT = 2.5  # in the cart: half a purchase
FULL_VIEW_SECONDS = 30
INTERACTION_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {"view": 1.0, "like": 2.0, "share": 3.0, "comment": 2.0, "product_click": 3.0}
)
NOT_BOUGHT = ("pending_payment", "cancelled")


def decay(age: timedelta, days: float) -> float:
    """``exp(-age / days)``: 1 now, about a third after ``days``."""
    return math.exp(-max(age.total_seconds(), 0.0) / (days * 86400))


def scaled(weights: Mapping[int, float]) -> Mapping[int, float]:
    """The weights divided by the largest (read-only; empty when all are 0)."""
    top = max(weights.values(), default=0.0)
    return MappingProxyType({key: value / top for key, value in weights.items() if value > 0} if top > 0 else {})


def interaction_weight(kind: str, count: int, watched: int) -> float:
    """``count`` interactions of ``kind``; views weigh by the (capped) seconds watched."""
    if kind == "view":
        return INTERACTION_WEIGHTS["view"] * watched / FULL_VIEW_SECONDS
    return INTERACTION_WEIGHTS.get(kind, 0.0) * count


def _watched() -> Any:
    """Seconds of a view that count (capped: a loop left playing is one view)."""
    return case((Interaction.watch_seconds > FULL_VIEW_SECONDS, FULL_VIEW_SECONDS), else_=Interaction.watch_seconds)


# --- affinity -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Affinities:
    """The buyer's interests, each map scaled to [0, 1]."""

    categories: Mapping[int, float] = field(default_factory=dict)
    sellers: Mapping[int, float] = field(default_factory=dict)
    creators: Mapping[int, float] = field(default_factory=dict)

    def top_categories(self, count: int) -> list[int]:
        """The buyer's strongest category interests, strongest first (the ads' ``interests``)."""
        return [c for c, _ in sorted(self.categories.items(), key=lambda kv: (-kv[1], kv[0]))[:count]]


def affinities(session: Session, buyer_id: int | None, at: datetime) -> Affinities:
    """The buyer's affinities at ``at`` (empty when signed out or without history)."""
    if buyer_id is None:
        return Affinities()
    categories: dict[int, float] = defaultdict(float)
    sellers: dict[int, float] = defaultdict(float)
    creators: dict[int, float] = defaultdict(float)
    for row in session.execute(_affinity_statement(), {"buyer_id": buyer_id, "at": at,
                                                       "since": at - timedelta(days=AFFINITY_DAYS)}):
        weight = _row_weight(row) * decay(at - row.at, AFFINITY_DECAY_DAYS)
        if row.category_id is not None:
            categories[row.category_id] += weight
        if row.seller_id is not None:
            sellers[row.seller_id] += weight
        if row.creator_id is not None:
            creators[row.creator_id] += weight
    return Affinities(scaled(categories), scaled(sellers), scaled(creators))


def _row_weight(row: Any) -> float:
    if row.source == "order":
        return ORDER_WEIGHT * row.amount
    if row.source == "cart":
        return CART_WEIGHT
    return interaction_weight(row.kind, 1, row.watched)


@cache
def _affinity_statement() -> Any:
    """The affinity statement, built once (its parameters are bound per request: building it
    costs more than running it)."""
    return _affinity_rows(bindparam("buyer_id"), bindparam("at", type_=UTCDateTime()),
                          bindparam("since", type_=UTCDateTime()))


def _affinity_rows(buyer_id: Any, at: Any, since: Any) -> Any:
    """(source, kind, category, seller, creator, amount, watched, at) of everything the buyer did."""
    ordered = (
        select(literal("order").label("source"), null().cast(String).label("kind"), Product.category_id,
               Product.seller_id, OrderLine.creator_id, OrderLine.quantity.label("amount"),
               literal(0).label("watched"), Order.created_at.label("at"))
        .select_from(OrderLine)
        .join(Order, and_(Order.tenant_id == OrderLine.tenant_id, Order.id == OrderLine.order_id))
        .join(Product, and_(Product.tenant_id == OrderLine.tenant_id, Product.id == OrderLine.product_id))
        .where(Order.buyer_id == buyer_id, Order.status.not_in(NOT_BOUGHT), Order.created_at <= at,
               Order.created_at > since)
    )
    in_cart = (
        select(literal("cart"), null().cast(String), Product.category_id, Product.seller_id, null(), literal(1),
               literal(0), CartLine.added_at)
        .select_from(CartLine)
        .join(Cart, and_(Cart.tenant_id == CartLine.tenant_id, Cart.id == CartLine.cart_id))
        .join(Variant, and_(Variant.tenant_id == CartLine.tenant_id, Variant.id == CartLine.variant_id))
        .join(Product, and_(Product.tenant_id == Variant.tenant_id, Product.id == Variant.product_id))
        .where(Cart.buyer_id == buyer_id)
    )
    first_anchor = and_(VideoAnchor.tenant_id == Interaction.tenant_id, VideoAnchor.video_id == Interaction.video_id,
                        VideoAnchor.position == 0)
    about = func.coalesce(Interaction.product_id, VideoAnchor.product_id, LiveSession.pinned_product_id)
    did = (
        select(literal("interaction"), Interaction.kind, Product.category_id,
               func.coalesce(Video.seller_id, LiveSession.seller_id, Product.seller_id),
               func.coalesce(Video.creator_id, LiveSession.creator_id), literal(1), _watched(), Interaction.at)
        .select_from(Interaction)
        .outerjoin(Video, and_(Video.tenant_id == Interaction.tenant_id, Video.id == Interaction.video_id))
        .outerjoin(LiveSession, and_(LiveSession.tenant_id == Interaction.tenant_id,
                                     LiveSession.id == Interaction.live_session_id))
        .outerjoin(VideoAnchor, first_anchor)
        .outerjoin(Product, and_(Product.tenant_id == Interaction.tenant_id, Product.id == about))
        .where(Interaction.buyer_id == buyer_id, Interaction.at <= at, Interaction.at > since)
    )
    return union_all(ordered, in_cart, did)


# --- popularity ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Popularity:
    """Time-decayed popularity per kind and id, each kind scaled so its most popular is 1."""

    by_kind: Mapping[str, Mapping[int, float]]

    def of(self, kind: str, ident: int) -> float:
        return self.by_kind.get(kind, {}).get(ident, 0.0)

    def ids(self, kind: str) -> list[int]:
        return sorted(self.by_kind.get(kind, {}))

    def top(self, kind: str, count: int) -> list[int]:
        """The ``count`` most popular ids of ``kind``, most popular first."""
        scores = self.by_kind.get(kind, {})
        return sorted(scores, key=lambda ident: (-scores[ident], ident))[:count]


def popularity(session: Session, at: datetime, *, videos: bool = True, lives: bool = True) -> Popularity:
    """Everything's popularity at ``at`` measured from the orders and interactions themselves
    (videos and lives only where the tenant has them). The feed reads the rollup instead
    (``pasar.discovery.rollup``) once a tenant has one; this is the reference it follows."""
    raw: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for row in session.execute(popularity_rows(at, videos=videos, lives=lives)):
        if row.ident is None:
            continue
        raw[row.target][row.ident] += row_amount(row) * decay(at - row.latest, POPULARITY_DECAY_DAYS)
    return Popularity(MappingProxyType({target: scaled(scores) for target, scores in raw.items()}))


def row_amount(row: Any) -> float:
    """What one popularity row (a thing, a kind, a day) adds before its decay."""
    return ORDER_WEIGHT * row.amount if row.kind == "order" else interaction_weight(row.kind, row.amount, row.watched)


def popularity_rows(
    at: datetime, *, videos: bool = True, lives: bool = True, orders: bool = True, interactions: bool = True,
    after_id: int | None = None, through_id: int | None = None,
) -> Any:
    """(target, ident, kind, amount, watched, latest) per thing, kind and day of the window
    before ``at``; interactions only with ``after_id < id <= through_id`` when given (the
    rollup's increments)."""
    since = at - timedelta(days=POPULARITY_DAYS)
    parts = []
    if orders:
        parts.append(
            select(literal("product").label("target"), OrderLine.product_id.label("ident"),
                   literal("order").label("kind"), func.sum(OrderLine.quantity).label("amount"),
                   literal(0).label("watched"), func.max(Order.created_at).label("latest"))
            .select_from(OrderLine)
            .join(Order, and_(Order.tenant_id == OrderLine.tenant_id, Order.id == OrderLine.order_id))
            .where(Order.status.not_in(NOT_BOUGHT), Order.created_at > since, Order.created_at <= at)
            .group_by(OrderLine.product_id, func.date(Order.created_at))
        )
    if interactions:
        recent = [Interaction.at > since, Interaction.at <= at]
        if after_id is not None:
            recent.append(Interaction.id > after_id)
        if through_id is not None:
            recent.append(Interaction.id <= through_id)
        parts.append(
            select(literal("product").label("target"), Interaction.product_id.label("ident"),
                   Interaction.kind.label("kind"), func.count().label("amount"), literal(0).label("watched"),
                   func.max(Interaction.at).label("latest"))
            .where(*recent, Interaction.kind == "product_click", Interaction.product_id.is_not(None))
            .group_by(Interaction.product_id, Interaction.kind, func.date(Interaction.at))
        )
        for wanted, target, column in ((videos, "video", Interaction.video_id),
                                       (lives, "live", Interaction.live_session_id)):
            if wanted:
                parts.append(
                    select(literal(target).label("target"), column.label("ident"), Interaction.kind.label("kind"),
                           func.count().label("amount"), func.sum(_watched()).label("watched"),
                           func.max(Interaction.at).label("latest"))
                    .where(*recent, column.is_not(None))
                    .group_by(column, Interaction.kind, func.date(Interaction.at))
                )
    return union_all(*parts) if len(parts) > 1 else parts[0]
