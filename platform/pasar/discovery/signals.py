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

from sqlalchemy import Integer, String, and_, bindparam, case, func, literal, null, select, union_all
from sqlalchemy.orm import Session

from pasar.cart.models import Cart, CartLine
from pasar.catalog.models import Product, Variant
from pasar.content.models import Interaction, LiveSession, Video, VideoAnchor
from pasar.db import UTCDateTime, current_tenant_id
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
    # Core over the mapped tables, bound to the session's tenant (see ``_affinity_statement``).
    found = session.connection().execute(_affinity_statement(), {
        "tenant": current_tenant_id(session), "buyer_id": buyer_id, "at": at,
        "since": at - timedelta(days=AFFINITY_DAYS)})
    for row in found:
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
    """(source, kind, category, seller, creator, amount, watched, at) of everything the buyer
    did: Core over the mapped tables, built once per process (building it cost more than
    running it), so it bypasses the session's automatic tenant criterion — the tenant is a
    bound parameter on each part's driving table, and every join also matches ``tenant_id``."""
    tenant = bindparam("tenant", type_=Integer)
    buyer_id = bindparam("buyer_id", type_=Integer)
    at, since = bindparam("at", type_=UTCDateTime()), bindparam("since", type_=UTCDateTime())
    lines, orders, products = OrderLine.__table__.c, Order.__table__.c, Product.__table__.c
    ordered = (
        select(literal("order").label("source"), null().cast(String).label("kind"), products.category_id,
               products.seller_id, lines.creator_id, lines.quantity.label("amount"), literal(0).label("watched"),
               orders.created_at.label("at"))
        .select_from(OrderLine.__table__
                     .join(Order.__table__, and_(orders.tenant_id == lines.tenant_id, orders.id == lines.order_id))
                     .join(Product.__table__, and_(products.tenant_id == lines.tenant_id,
                                                   products.id == lines.product_id)))
        .where(lines.tenant_id == tenant, orders.buyer_id == buyer_id, orders.status.not_in(NOT_BOUGHT),
               orders.created_at <= at, orders.created_at > since)
    )
    cart_lines, carts, variants = CartLine.__table__.c, Cart.__table__.c, Variant.__table__.c
    in_cart = (
        select(literal("cart"), null().cast(String), products.category_id, products.seller_id, null(), literal(1),
               literal(0), cart_lines.added_at)
        .select_from(CartLine.__table__
                     .join(Cart.__table__, and_(carts.tenant_id == cart_lines.tenant_id, carts.id == cart_lines.cart_id))
                     .join(Variant.__table__, and_(variants.tenant_id == cart_lines.tenant_id,
                                                   variants.id == cart_lines.variant_id))
                     .join(Product.__table__, and_(products.tenant_id == variants.tenant_id,
                                                   products.id == variants.product_id)))
        .where(cart_lines.tenant_id == tenant, carts.buyer_id == buyer_id)
    )
    did_, videos, lives, anchors = (Interaction.__table__.c, Video.__table__.c, LiveSession.__table__.c,
                                    VideoAnchor.__table__.c)
    about = func.coalesce(did_.product_id, anchors.product_id, lives.pinned_product_id)
    watched = case((did_.watch_seconds > FULL_VIEW_SECONDS, FULL_VIEW_SECONDS), else_=did_.watch_seconds)
    did = (
        select(literal("interaction"), did_.kind, products.category_id,
               func.coalesce(videos.seller_id, lives.seller_id, products.seller_id),
               func.coalesce(videos.creator_id, lives.creator_id), literal(1), watched, did_.at)
        .select_from(
            Interaction.__table__
            .outerjoin(Video.__table__, and_(videos.tenant_id == did_.tenant_id, videos.id == did_.video_id))
            .outerjoin(LiveSession.__table__, and_(lives.tenant_id == did_.tenant_id, lives.id == did_.live_session_id))
            .outerjoin(VideoAnchor.__table__, and_(anchors.tenant_id == did_.tenant_id,
                                                   anchors.video_id == did_.video_id, anchors.position == 0))
            .outerjoin(Product.__table__, and_(products.tenant_id == did_.tenant_id, products.id == about))
        )
        .where(did_.tenant_id == tenant, did_.buyer_id == buyer_id, did_.at <= at, did_.at > since)
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
