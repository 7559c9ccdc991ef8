"""The feed's candidates and what a page shows of them, one SQL statement each.

**Candidates** (one ``UNION ALL``): the public products (the newest ``PRODUCT_LIMIT`` and every
popular one), the approved videos (the newest ``VIDEO_LIMIT`` and every popular one) with their
first anchored product, and the live sessions on air (``LIVE_LIMIT``, most recently started
first) with their pinned — else first — showcase product; all listed before the ranking moment.
Each row already carries what a card shows of a video or a live (caption, media, title, the
author's or host's name), so a page needs no further look-up for them. Videos a sponsored slot
won are fetched in the same statement, flagged ``organic=False`` so they are shown in their
slot without changing what the ranker sees.

**Cards** (one statement): the product cards a page shows — its products, its videos' anchors
and its lives' products — with the title in the reader's locale (else the tenant's default,
else any), the first image, whether anything is in stock and the category's names, plus, per
anchored product, the page video it hangs under and its position.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, and_, bindparam, case, exists, func, literal, null, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from pasar.catalog.listing import public_products
from pasar.catalog.models import Category, Inventory, Product, ProductImage, ProductText, Variant
from pasar.content.models import LiveSession, LiveShowcaseItem, Video, VideoAnchor
from pasar.contracts import FeedCandidate
from pasar.creators.models import Creator
from pasar.db import current_tenant_id
from pasar.discovery.models import FeedPopularity
from pasar.discovery.signals import Popularity
from pasar.sellers.models import Seller

#: The newest public products, approved videos and lives on air that are candidates...
PRODUCT_LIMIT = 100
VIDEO_LIMIT = 40
LIVE_LIMIT = 20
#: ...and the most popular products and videos besides them. At most 270 candidates: every
#: request ranks them all (the ranker hook), so this bounds its cost — and how far a buyer
#: can scroll before the feed ends (refreshing ranks again with what is new).
POPULAR_PRODUCTS = 80
POPULAR_VIDEOS = 30


@dataclass(frozen=True)
class Shown:
    """What a card of a video or a live shows besides its products."""

    kind: str  # "video" | "live"
    id: int
    author_kind: str  # "seller" | "creator"
    author_name: str
    text: str  # a video's caption, a live's title
    media_url: str | None
    cover_url: str | None
    started_at: datetime | None
    product_id: int | None  # a live's pinned product (or first in its showcase)


@dataclass(frozen=True)
class Candidates:
    """The ranker's candidates, what their cards show, and their authors' names."""

    organic: list[FeedCandidate]
    shown: dict[tuple[str, int], Shown]
    names: dict[tuple[str, int], str]  # ("seller" | "creator", id) -> display name


def load(session: Session, at: datetime, popular: Popularity | None, *, videos: bool, lives: bool) -> Candidates:
    """The candidates at ``at`` (videos and lives only where the tenant has them), each with its
    popularity scaled per kind so the most popular candidate of a kind is 1. ``popular`` None:
    read popularity from the tenant's rollup (``pasar.discovery.rollup``) in the same statement;
    else use the given measure (a tenant with no rollup yet)."""
    parts = [_products(at, popular)]
    if videos:
        parts.append(_videos(at, popular))
    if lives:
        parts.append(_lives(at, popular))
    rows = list(session.execute(union_all(*parts)))
    top: dict[str, float] = {}
    for row in rows:
        score = popular.of(row.kind, row.id) if popular is not None else float(row.score or 0.0)
        top[row.kind] = max(top.get(row.kind, 0.0), score)
    organic: list[FeedCandidate] = []
    shown: dict[tuple[str, int], Shown] = {}
    names: dict[tuple[str, int], str] = {}
    for row in rows:
        _note(row, shown, names)
        score = popular.of(row.kind, row.id) if popular is not None else float(row.score or 0.0)
        organic.append(FeedCandidate(
            kind=row.kind, id=row.id, seller_id=row.seller_id, creator_id=row.creator_id,
            product_id=row.product_id, category_id=row.category_id, created_at=row.created_at,
            popularity=score / top[row.kind] if top[row.kind] > 0 else 0.0, live=row.kind == "live",
        ))
    return Candidates(organic, shown, names)


def shown_videos(session: Session, ids: Sequence[int]) -> Candidates:
    """What the cards of the videos ``ids`` show (approved ones only): a sponsored slot's video
    that is not among the candidates."""
    if not ids:
        return Candidates([], {}, {})
    shown: dict[tuple[str, int], Shown] = {}
    names: dict[tuple[str, int], str] = {}
    for row in session.execute(_video_rows(Video.id.in_(sorted(set(ids))), _NO_SCORE)):
        _note(row, shown, names)
    return Candidates([], shown, names)


def _note(row: Any, shown: dict[tuple[str, int], Shown], names: dict[tuple[str, int], str]) -> None:
    if row.author_name is not None and row.author_id is not None:
        names[(row.author_kind, row.author_id)] = row.author_name
    if row.kind != "product":
        shown[(row.kind, row.id)] = Shown(
            row.kind, row.id, row.author_kind, row.author_name or "", row.text or "", row.media_url,
            row.cover_url, row.created_at if row.kind == "live" else None, row.product_id,
        )


_NO_SCORE = null().cast(Float)


def _most_popular(target: str, count: int) -> Any:
    return (select(FeedPopularity.ident).where(FeedPopularity.target == target, FeedPopularity.score > 0)
            .order_by(FeedPopularity.score.desc(), FeedPopularity.ident).limit(count).correlate(None))


def _products(at: datetime, popular: Popularity | None) -> Any:
    listed = public_products().where(Product.created_at <= at)
    newest = listed.with_only_columns(Product.id).order_by(Product.created_at.desc(), Product.id.desc()).limit(PRODUCT_LIMIT).correlate(None)
    most = _most_popular("product", POPULAR_PRODUCTS) if popular is None else popular.top("product", POPULAR_PRODUCTS)
    statement = listed.with_only_columns(
        literal("product").label("kind"), Product.id.label("id"), Product.seller_id.label("seller_id"),
        null().label("creator_id"), Product.id.label("product_id"), Product.category_id.label("category_id"),
        Product.created_at.label("created_at"), literal("seller").label("author_kind"),
        Product.seller_id.label("author_id"), Seller.name.label("author_name"), null().label("text"),
        null().label("media_url"), null().label("cover_url"),
        (FeedPopularity.score if popular is None else _NO_SCORE).label("score"),
    ).where(or_(Product.id.in_(newest), Product.id.in_(most)))
    if popular is None:
        statement = statement.outerjoin(FeedPopularity, and_(
            FeedPopularity.tenant_id == Product.tenant_id, FeedPopularity.target == "product",
            FeedPopularity.ident == Product.id))
    return statement


def _videos(at: datetime, popular: Popularity | None) -> Any:
    approved = select(Video.id).where(Video.moderation == "approved", Video.created_at <= at)
    newest = approved.order_by(Video.created_at.desc(), Video.id.desc()).limit(VIDEO_LIMIT).correlate(None)
    most = _most_popular("video", POPULAR_VIDEOS) if popular is None else popular.top("video", POPULAR_VIDEOS)
    wanted = and_(Video.created_at <= at, or_(Video.id.in_(newest), Video.id.in_(most)))
    if popular is not None:
        return _video_rows(wanted, _NO_SCORE)
    statement = _video_rows(wanted, FeedPopularity.score)
    return statement.outerjoin(FeedPopularity, and_(
        FeedPopularity.tenant_id == Video.tenant_id, FeedPopularity.target == "video", FeedPopularity.ident == Video.id))


def _video_rows(wanted: Any, score: Any) -> Any:
    """The approved videos ``wanted`` picks, as candidate rows with what their cards show."""
    anchor = aliased(VideoAnchor)
    product = aliased(Product)
    return (
        select(
            literal("video"), Video.id, func.coalesce(Video.seller_id, product.seller_id), Video.creator_id,
            anchor.product_id, product.category_id, Video.created_at, Video.author_kind,
            func.coalesce(Video.creator_id, Video.seller_id), func.coalesce(Creator.display_name, Seller.name),
            Video.caption, Video.media_url, Video.cover_url, score,
        )
        .select_from(Video)
        .outerjoin(anchor, and_(anchor.tenant_id == Video.tenant_id, anchor.video_id == Video.id, anchor.position == 0))
        .outerjoin(product, and_(product.tenant_id == anchor.tenant_id, product.id == anchor.product_id))
        .outerjoin(Seller, and_(Seller.tenant_id == Video.tenant_id, Seller.id == Video.seller_id))
        .outerjoin(Creator, and_(Creator.tenant_id == Video.tenant_id, Creator.id == Video.creator_id))
        .where(Video.moderation == "approved", wanted)
    )


def _lives(at: datetime, popular: Popularity | None) -> Any:
    first = aliased(LiveShowcaseItem)
    product = aliased(Product)
    on_air = select(LiveSession.id).where(LiveSession.status == "live", LiveSession.started_at <= at)
    recent = on_air.order_by(LiveSession.started_at.desc(), LiveSession.id.desc()).limit(LIVE_LIMIT).correlate(None)
    shows = func.coalesce(LiveSession.pinned_product_id, first.product_id)
    statement = (
        select(
            literal("live"), LiveSession.id, func.coalesce(LiveSession.seller_id, product.seller_id),
            LiveSession.creator_id, shows, product.category_id, LiveSession.started_at, LiveSession.host_kind,
            func.coalesce(LiveSession.creator_id, LiveSession.seller_id),
            func.coalesce(Creator.display_name, Seller.name), LiveSession.title, null(), null(),
            _NO_SCORE if popular is not None else FeedPopularity.score,
        )
        .select_from(LiveSession)
        .outerjoin(first, and_(first.tenant_id == LiveSession.tenant_id, first.live_session_id == LiveSession.id,
                               first.position == 0))
        .outerjoin(product, and_(product.tenant_id == LiveSession.tenant_id, product.id == shows))
        .outerjoin(Seller, and_(Seller.tenant_id == LiveSession.tenant_id, Seller.id == LiveSession.seller_id))
        .outerjoin(Creator, and_(Creator.tenant_id == LiveSession.tenant_id, Creator.id == LiveSession.creator_id))
        .where(LiveSession.id.in_(recent))
    )
    if popular is not None:
        return statement
    return statement.outerjoin(FeedPopularity, and_(
        FeedPopularity.tenant_id == LiveSession.tenant_id, FeedPopularity.target == "live",
        FeedPopularity.ident == LiveSession.id))


# --- cards --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Card:
    """A product as a feed card shows it (prices in minor units; the API formats them)."""

    id: int
    seller_id: int
    seller_name: str
    category_id: int | None
    category_names: dict[str, str]
    title: str
    locale: str
    price_minor: int | None
    in_stock: bool
    thumbnail_path: str | None
    created_at: datetime


@dataclass(frozen=True)
class Cards:
    """The page's product cards by id, and each page video's anchored product ids in order."""

    products: dict[int, Card]
    anchors: dict[int, list[int]]


def cards(session: Session, product_ids: Iterable[int], video_ids: Iterable[int], locale: str,
          default_locale: str) -> Cards:
    """The cards of ``product_ids`` and of every product anchored under ``video_ids``; products
    a buyer may not see (inactive, blocked, shop not approved) have none."""
    wanted, videos = sorted(set(product_ids)), sorted(set(video_ids))
    if not wanted and not videos:
        return Cards({}, {})
    products: dict[int, Card] = {}
    placed: dict[int, list[tuple[int, int]]] = {}
    rows = session.connection().execute(_cards_statement(), {
        "tenant": current_tenant_id(session), "wanted": wanted, "videos": videos, "locale": locale,
        "default_locale": default_locale})
    for row in rows:
        title, text_locale = _split_text(row.text, locale)
        products[row.id] = Card(
            row.id, row.seller_id, row.name, row.category_id, dict(row.names or {}), title, text_locale,
            row.price_minor, bool(row.in_stock), row.thumbnail, row.created_at,
        )
        if row.video_id is not None:
            placed.setdefault(row.video_id, []).append((row.position, row.id))
    return Cards(products, {video: [pid for _, pid in sorted(pairs)] for video, pairs in placed.items()})


@cache
def _cards_statement() -> Any:
    """The cards statement, built once per process: ids, videos, locales and the tenant are
    bound per request. Run on the connection (building it through the ORM per request cost more
    than running it), it bypasses the session's automatic tenant criterion: the tenant is bound
    on ``products`` and every other table is joined or correlated on ``tenant_id``."""
    tenant, videos = bindparam("tenant", type_=Integer), bindparam("videos", expanding=True)
    page_anchor = aliased(VideoAnchor)
    anchored = and_(VideoAnchor.tenant_id == Product.tenant_id, VideoAnchor.product_id == Product.id,
                    VideoAnchor.video_id.in_(videos))
    return (
        public_products().with_only_columns(
            Product.id, Product.seller_id, Seller.name, Product.category_id, Category.names, Product.price_minor,
            Product.created_at, _title(bindparam("locale"), bindparam("default_locale")).label("text"),
            _thumbnail().label("thumbnail"), _in_stock().label("in_stock"), VideoAnchor.video_id, VideoAnchor.position,
        )
        .outerjoin(Category, and_(Category.tenant_id == Product.tenant_id, Category.id == Product.category_id))
        .outerjoin(VideoAnchor, anchored)
        # Both lists drive the lookup by primary key (an OR over the outer join would scan
        # every public product).
        .where(Product.tenant_id == tenant, or_(Product.id.in_(bindparam("wanted", expanding=True)), Product.id.in_(
            select(page_anchor.product_id).where(page_anchor.tenant_id == tenant, page_anchor.video_id.in_(videos))
            .correlate(None).scalar_subquery())))
    )


_SEPARATOR = "\x1f"  # between a text's locale and its title in one scalar subquery


def _title(locale: Any, default_locale: Any) -> Any:
    """``locale + SEP + title`` of the product's best text: the reader's, else the default, else any."""
    preference = case((ProductText.locale == locale, 0), (ProductText.locale == default_locale, 1), else_=2)
    return (
        select(ProductText.locale + _SEPARATOR + ProductText.title)
        .where(ProductText.tenant_id == Product.tenant_id, ProductText.product_id == Product.id)
        .order_by(preference, ProductText.id).limit(1).scalar_subquery()
    )


def _split_text(text: str | None, locale: str) -> tuple[str, str]:
    if not text:
        return "", locale
    found, _, title = text.partition(_SEPARATOR)
    return title, found


def _thumbnail() -> Any:
    return (
        select(ProductImage.thumbnail_path)
        .where(ProductImage.tenant_id == Product.tenant_id, ProductImage.product_id == Product.id)
        .order_by(ProductImage.position, ProductImage.id).limit(1).scalar_subquery()
    )


def _in_stock() -> Any:
    return exists(
        select(Variant.id)
        .join(Inventory, and_(Inventory.tenant_id == Variant.tenant_id, Inventory.variant_id == Variant.id))
        .where(Variant.tenant_id == Product.tenant_id, Variant.product_id == Product.id, Variant.active.is_(True),
               Inventory.on_hand > Inventory.reserved)
    )
