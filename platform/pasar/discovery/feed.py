"""The For You feed: gather candidates, measure signals, let the ranker order them, page, and
put sponsored items in their slots.

Candidates are public products, approved videos and live sessions on air — the newest and the
most popular of each kind (``pasar.discovery.candidates``); signals are the buyer's category,
shop and creator affinities and everything's time-decayed popularity (``pasar.discovery.signals``,
kept per tenant by ``pasar.discovery.rollup``). The candidates with their popularity are the same
for every buyer of a tenant: each process keeps them a minute (``pasar.discovery.pool``). The
ranking is the ``pasar_rank_feed`` hook (the kernel's ranker is ``pasar.discovery.ranking``),
asked on every request with the buyer's affinities and the pool's candidates.

A page costs a fixed number of SQL statements whatever its size: affinities (signed-in buyers
only) and cards — two — plus the ads auction's reads where the tenant sells ads, one more when a
sponsored video is not among the candidates, and, only when a sponsored item is shown, one short
write transaction for its impression. Building the pool (once a minute per process and tenant)
adds two: the rollup's state and the candidates (three with no rollup yet).

**Sponsored slots.** On a page of ``limit`` items the positions in ``SPONSORED_SLOTS`` (the 3rd
and the 10th) go to the ads auction's awards (``pasar.ads.service.run_auction``), labelled
sponsored, explained "Sponsored", each with the click token of its impression; a slot the auction
leaves empty — or whose award is over budget when charged — is filled by the next ranked item. An
award for something already on the page is not shown twice. Sponsored items are not ranked: the
auction placed them, and the ranked order (what the cursor counts) stays the same whatever the
ads do. The auction runs in the read transaction; ``record_sponsored`` then charges and records
just the items shown, in the caller's write transaction.

**Cursor.** It carries the moment the first page was ranked and how many ranked items were shown:
ranking again at that moment gives the same order, so pages neither repeat nor skip an item while
the data stays the same (a live session that went off air meanwhile drops out once the pool is
rebuilt; a product hidden meanwhile is skipped); a buyer who refreshes starts a new ranking.
"""
from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from pasar import clock
from pasar.catalog.listing import _loaded, public_products
from pasar.catalog.models import Product
from pasar.contracts import FeedCandidate, FeedContext, RankedItem
from pasar.discovery import candidates as found
from pasar.discovery import pool as pools
from pasar.discovery import signals
from pasar.discovery.explain import Names, Reason, describe
from pasar.discovery.ranking import EXPLANATIONS
from pasar.tenancy.service import TenantContext

MAX_FEED_LIMIT = 50
#: Page positions (0-based) of sponsored items: the 3rd and the 10th of a page.
SPONSORED_SLOTS: tuple[int, ...] = (2, 9)
#: How many of the buyer's strongest categories the ads auction targets on.
AD_INTERESTS = 5
VIDEOS, LIVES, ADS = "short_video", "live_shopping", "ads"

# Kept importable under their old names.
decay = signals.decay
POPULARITY_DAYS = signals.POPULARITY_DAYS


class InvalidFeedRequest(ValueError):
    """A feed request that cannot be answered; ``field`` names the argument at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


# --- the page -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedItem:
    """One item as shown: its place in the ranking, why, and what its card shows."""

    ranked: RankedItem
    reason: Reason
    product: found.Card | None = None  # the product, a video's first anchor, a live's product
    shown: found.Shown | None = None  # a video's or a live's own fields
    anchors: tuple[found.Card, ...] = ()  # a video's anchored products, in order
    award: Any = None  # the ads auction's Award of a sponsored item
    click_token: str | None = None
    position: int | None = None  # its place in the ranking (organic items)

    @property
    def candidate(self) -> FeedCandidate:
        return self.ranked.candidate


@dataclass(frozen=True)
class FeedDraft:
    """A page before its sponsored items were charged: the ranked items it may show (in order,
    more than it will show when sponsored items take slots) and the awards to try."""

    at: datetime
    offset: int
    limit: int
    total: int  # ranked items in the whole feed
    organic: list[FeedItem]
    sponsored: list[FeedItem] = field(default_factory=list)


@dataclass(frozen=True)
class FeedResult:
    items: list[FeedItem]
    next_cursor: str | None


def draft(
    session: Session, tenant: TenantContext, buyer_id: int | None, *, cursor: str | None = None, limit: int = 20,
    locale: str | None = None, sponsored: bool = True,
) -> FeedDraft:
    """One page of the buyer's For You feed (``buyer_id`` None: signed out, cold start), with
    cards in ``locale`` and — with ``sponsored`` — the auction's awards for its slots. Reads only."""
    at, offset = _position(cursor, limit)
    affinity = signals.affinities(session, buyer_id, at)
    slots = [p for p in SPONSORED_SLOTS if p < limit] if sponsored else []
    awards = _auction(session, tenant, buyer_id, affinity, at, len(slots)) if slots else []
    ranked = _ranking(session, tenant, buyer_id, at, affinity, [a.target_id for a in awards if a.kind == "video"])
    window, shown = ranked.items[offset: offset + limit], ranked.shown
    on_page = {(item.candidate.kind, item.candidate.id) for item in window}
    awards = [a for a in awards if (a.kind, a.target_id) not in on_page]
    cards = found.cards(
        session, _product_ids(window, awards), _video_ids(window, awards), locale or tenant.default_locale,
        tenant.default_locale,
    )
    names = _names(ranked.names, cards, locale or tenant.default_locale, tenant.default_locale)
    organic = [_item(r, cards, shown, names, position=offset + i) for i, r in enumerate(window)
               if _showable(r.candidate, cards)]
    placed = _sponsored_items(awards, cards, shown, names)
    return FeedDraft(at, offset, limit, len(ranked.items), organic, _placeable(placed, len(organic), slots))


def record_sponsored(session: Session, tenant: TenantContext, page: FeedDraft, *, buyer_id: int | None) -> list[FeedItem]:
    """Charge and record the impressions of the draft's sponsored items (in the caller's write
    transaction): those served, with their click tokens. Over-budget ones are dropped."""
    if not page.sponsored:
        return []
    from pasar.ads.service import record_impressions

    served = record_impressions(session, tenant, [item.award for item in page.sponsored], buyer_id=buyer_id, at=page.at)
    by_award = {id(item.award): item for item in page.sponsored}
    return [replace(by_award[id(award)], click_token=token) for award, token in served]


def assemble(page: FeedDraft, served: Sequence[FeedItem] = ()) -> FeedResult:
    """The page as shown: ranked items with the served sponsored ones in their slots."""
    slots = [p for p in SPONSORED_SLOTS if p < page.limit]
    items, organic, sponsored = [], list(page.organic), list(served)
    while len(items) < page.limit and (organic or (sponsored and len(items) in slots)):
        take_ad = sponsored and len(items) in slots
        items.append(sponsored.pop(0) if take_ad else organic.pop(0))
    # The next page starts at the first ranked item not shown; items skipped for want of a card
    # (``_showable``) lie before it.
    if organic and organic[0].position is not None:
        reached = organic[0].position
    else:
        reached = min(page.offset + page.limit, page.total) if not organic else page.offset + len(page.organic) - len(organic)
    more = reached < page.total
    return FeedResult(items, encode_cursor(page.at, reached) if more else None)


def _placeable(sponsored: list[FeedItem], organic: int, slots: Sequence[int]) -> list[FeedItem]:
    """The sponsored items whose slot the page reaches (a short last page has fewer slots)."""
    placed: list[FeedItem] = []
    for slot in slots:
        if len(placed) == len(sponsored) or slot > organic + len(placed):
            break
        placed.append(sponsored[len(placed)])
    return placed


# --- the shopping tab and pages that show catalogue products ------------------------------------
@dataclass(frozen=True)
class FeedPage:
    """Ranked items of one page (no sponsored ones), the products they show (by id, loaded with
    the catalogue's own loader), and the next page's cursor."""

    items: list[RankedItem]
    products: dict[int, tuple[Product, str]]
    next_cursor: str | None


def feed(
    session: Session, tenant: TenantContext, buyer_id: int | None, *, cursor: str | None = None, limit: int = 20
) -> FeedPage:
    """One page of the ranked feed without sponsored items, its products as catalogue rows."""
    at, offset = _position(cursor, limit)
    ranked = _ranking(session, tenant, buyer_id, at, signals.affinities(session, buyer_id, at)).items
    page = ranked[offset: offset + limit]
    ids = [item.candidate.product_id for item in page if item.candidate.product_id is not None]
    more = offset + limit < len(ranked)
    return FeedPage(page, products_by_id(session, ids), encode_cursor(at, offset + limit) if more else None)


def products_by_id(session: Session, ids: Iterable[int]) -> dict[int, tuple[Product, str]]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    statement = _loaded(public_products().where(Product.id.in_(wanted)))
    return {product.id: (product, name) for product, name in session.execute(statement)}


# --- ranking ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Ranked:
    items: list[RankedItem]
    shown: Mapping[tuple[str, int], found.Shown]
    names: Mapping[tuple[str, int], str]


def _ranking(
    session: Session, tenant: TenantContext, buyer_id: int | None, at: datetime, affinity: signals.Affinities,
    sponsored_videos: Sequence[int] = (),
) -> _Ranked:
    """The tenant's pool (``pasar.discovery.pool``: candidates with their popularity, cached a
    minute) ranked for this buyer by the tenant's ranker, and the cards of sponsored videos
    the pool does not hold (one more statement, only then)."""
    videos, lives = tenant.has_feature(VIDEOS), tenant.has_feature(LIVES)
    held = pools.pool(session, tenant.id, videos=videos, lives=lives)
    shown: Mapping[tuple[str, int], found.Shown] = held.shown
    names: Mapping[tuple[str, int], str] = held.names
    missing = [video for video in sponsored_videos if ("video", video) not in shown]
    if missing:
        extra = found.shown_videos(session, missing)
        shown, names = {**shown, **extra.shown}, {**names, **extra.names}
    context = feed_context(tenant, buyer_id, at, affinity)
    return _Ranked(rank_feed(tenant, context, held.candidates(at)), shown, names)


def feed_context(tenant: TenantContext, buyer_id: int | None, at: datetime, affinity: signals.Affinities) -> FeedContext:
    return FeedContext(
        tenant=tenant.code, country=tenant.country, now=at, buyer_id=buyer_id,
        category_affinity=affinity.categories, seller_affinity=affinity.sellers, creator_affinity=affinity.creators,
    )


def rank_feed(tenant: TenantContext, context: FeedContext, candidates: Sequence[FeedCandidate]) -> list[RankedItem]:
    """Ask the tenant's plugins (the kernel's ranker answers last)."""
    return tenant.hooks.rank_feed(context, candidates)


def _auction(session: Session, tenant: TenantContext, buyer_id: int | None, affinity: signals.Affinities,
             at: datetime, slots: int) -> list[Any]:
    if not tenant.has_feature(ADS):
        return []
    from pasar.ads.service import run_auction

    return list(run_auction(session, tenant, buyer_id=buyer_id, country=tenant.country,
                            interests=affinity.top_categories(AD_INTERESTS), at=at, slots=slots))


# --- cards --------------------------------------------------------------------------------------
def _product_ids(window: Sequence[RankedItem], awards: Sequence[Any]) -> list[int]:
    ids = [item.candidate.product_id for item in window if item.candidate.product_id is not None]
    return ids + [a.product_id for a in awards if a.product_id is not None]


def _video_ids(window: Sequence[RankedItem], awards: Sequence[Any]) -> list[int]:
    ids = [item.candidate.id for item in window if item.candidate.kind == "video"]
    return ids + [a.target_id for a in awards if a.kind == "video"]


def _names(known: Mapping[tuple[str, int], str], cards: found.Cards, locale: str, default_locale: str) -> Names:
    categories = {card.category_id: card.category_names for card in cards.products.values() if card.category_id}
    sellers = {**{ident: name for (kind, ident), name in known.items() if kind == "seller"},
               **{card.seller_id: card.seller_name for card in cards.products.values()}}

    def category(ident: int) -> str | None:
        names = categories.get(ident) or {}
        return names.get(locale) or names.get(default_locale)

    return Names(category, sellers.get, lambda ident: known.get(("creator", ident)))


def _showable(candidate: FeedCandidate, cards: found.Cards) -> bool:
    """False for a product the pool still held but buyers may no longer see (no card)."""
    return candidate.kind != "product" or candidate.product_id in cards.products


def _item(ranked: RankedItem, cards: found.Cards, shown: Mapping[tuple[str, int], found.Shown], names: Names,
          award: Any = None, *, position: int | None = None) -> FeedItem:
    candidate = ranked.candidate
    anchors = tuple(cards.products[pid] for pid in cards.anchors.get(candidate.id, ()) if pid in cards.products) \
        if candidate.kind == "video" else ()
    product = cards.products.get(candidate.product_id) if candidate.product_id is not None else None
    return FeedItem(ranked, describe(ranked.explanation, candidate, names), product,
                    shown.get((candidate.kind, candidate.id)), anchors, award, position=position)


def _sponsored_items(awards: Sequence[Any], cards: found.Cards, shown: Mapping[tuple[str, int], found.Shown],
                     names: Names) -> list[FeedItem]:
    """The awards as feed items; one whose product or video cannot be shown is left out."""
    items = []
    for award in awards:
        if award.kind == "video" and ("video", award.target_id) not in shown:
            continue
        if award.kind == "product" and award.target_id not in cards.products:
            continue
        candidate = FeedCandidate(
            kind=award.kind, id=award.target_id, seller_id=award.seller_id, creator_id=award.creator_id,
            product_id=award.product_id, category_id=award.category_id, sponsored=True,
        )
        items.append(_item(RankedItem(candidate, 0.0, EXPLANATIONS["sponsored"]), cards, shown, names, award))
    return items


# --- cursor -------------------------------------------------------------------------------------
def _position(cursor: str | None, limit: int) -> tuple[datetime, int]:
    if not 1 <= limit <= MAX_FEED_LIMIT:
        raise InvalidFeedRequest(f"between 1 and {MAX_FEED_LIMIT}", "limit")
    return decode_cursor(cursor) if cursor else (clock.now(), 0)


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
    """The fields of a feed item that come from its ranking."""
    candidate = item.candidate
    return {
        "kind": candidate.kind, "id": candidate.id, "seller_id": candidate.seller_id,
        "creator_id": candidate.creator_id, "product_id": candidate.product_id, "score": item.score,
        "explanation": item.explanation, "sponsored": candidate.sponsored, "live": candidate.live,
    }
