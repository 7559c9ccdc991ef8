"""What the buyer storefront's discovery pages show, assembled from the domains' services.

The pages (For You, video, live room, shopping tab, search, category, product) stay thin: each
view calls one function here, which calls the same services the REST API calls (discovery,
content, deals, catalog, shipping) and hands plain values to the templates. Nothing here knows
Flask: image URLs come in through the catalog ``Presenter`` and a room's viewer count through a
``viewers(live_id)`` callable, so the functions run the same in a request, a test or a task.

The For You page shows what the discovery service assembled (its cards are loaded there); the
few look-ups no service offers yet (shop and creator names by id, a deal's product) are batched
here, so a page costs a constant number of statements, not one per card.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pasar import clock
from pasar.cart import service as cart
from pasar.catalog import listing
from pasar.catalog.models import Category, Product, Variant
from pasar.catalog.service import CatalogNotFound, list_categories
from pasar.content import live as lives
from pasar.content import service as content
from pasar.content.errors import ContentNotFound
from pasar.content.models import LiveSession, Video
from pasar.contracts import Address, ConsumerRules, Parcel, TaxContext, TaxLineInput
from pasar.creators.models import Creator
from pasar.deals import service as deals
from pasar.deals.models import Deal
from pasar.discovery import service as discovery
from pasar.discovery.candidates import Card as FeedCard
from pasar.discovery.explain import render
from pasar.discovery.feed import products_by_id
from pasar.money import format_money, from_minor, money
from pasar.sellers.models import Seller
from pasar.shipping.service import ShippingError, quote_options
from pasar.tenancy.service import TenantContext

Card = dict[str, Any]  # a product card: ``Presenter.summary`` plus ``variant_id``
Viewers = Callable[[int], int]

VIDEOS, LIVE, SHOP_TAB, ADS = "short_video", "live_shopping", "shopping_tab", "ads"
LIVE_RAIL = 12
PAGE_SIZE = 20


# --- cards --------------------------------------------------------------------------------------
def default_variant(product: Product) -> Variant | None:
    """What a one-tap buy takes: the first active variant in stock, else the first active one."""
    active = [v for v in product.variants if v.active]
    in_stock = [v for v in active if v.inventory is not None and v.inventory.available > 0]
    return (in_stock or active or [None])[0]


def card(presenter: listing.Presenter, product: Product, seller_name: str) -> Card:
    """A listing card with the variant a buy button adds."""
    chosen = default_variant(product)
    return {**presenter.summary(product, seller_name), "variant_id": chosen.id if chosen else None,
            "variants": variant_choices(presenter, product)}


def variant_choices(presenter: listing.Presenter, product: Product) -> list[dict[str, Any]]:
    """The active variants as a buyer picks among them: label, price, stock."""
    choices = []
    for variant in product.variants:
        if not variant.active:
            continue
        available = variant.inventory.available if variant.inventory is not None else 0
        choices.append({
            "id": variant.id, "label": variant_label(variant), "in_stock": available > 0,
            "available": max(available, 0), **presenter.price(variant.price_minor),
        })
    return choices


def variant_label(variant: Variant) -> str:
    """``"M · red"`` from ``{"size": "M", "colour": "red"}``; the SKU when it has no options."""
    values = [str(value) for value in (variant.options or {}).values() if str(value).strip()]
    return " · ".join(values) or variant.sku


def cards(presenter: listing.Presenter, rows: Iterable[tuple[Product, str]]) -> list[Card]:
    return [card(presenter, product, name) for product, name in rows]


# --- authors ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AuthorNames:
    """Shop and creator names for the cards of one page."""

    sellers: Mapping[int, str]
    creators: Mapping[int, tuple[str, str]]  # id → (display name, handle)

    def of(self, kind: str, seller_id: int | None, creator_id: int | None) -> str:
        if kind == "creator" and creator_id is not None and creator_id in self.creators:
            name, handle = self.creators[creator_id]
            return f"{name} (@{handle})"
        return self.sellers.get(seller_id or 0, "")


def author_names(session: Session, seller_ids: Iterable[int | None], creator_ids: Iterable[int | None]) -> AuthorNames:
    wanted_sellers = {i for i in seller_ids if i is not None}
    wanted_creators = {i for i in creator_ids if i is not None}
    sellers = {row.id: row.name for row in session.execute(
        select(Seller.id, Seller.name).where(Seller.id.in_(wanted_sellers)))} if wanted_sellers else {}
    creators = {row.id: (row.display_name, row.handle) for row in session.execute(
        select(Creator.id, Creator.display_name, Creator.handle).where(Creator.id.in_(wanted_creators)))} \
        if wanted_creators else {}
    return AuthorNames(sellers, creators)


# --- videos and lives ---------------------------------------------------------------------------
@dataclass(frozen=True)
class VideoCard:
    id: int
    caption: str
    media_url: str
    cover_url: str | None
    author: str
    author_kind: str
    anchors: list[Card]


@dataclass(frozen=True)
class LiveCard:
    id: int
    title: str
    status: str
    host: str
    viewers: int
    started_at: datetime | None
    scheduled_at: datetime | None
    replay_url: str | None
    pinned: Card | None
    showcase: list[Card]


def _video_card(video: Video, names: AuthorNames, products: Mapping[int, Card]) -> VideoCard:
    anchors = [products[a.product_id] for a in sorted(video.anchors, key=lambda a: a.position) if a.product_id in products]
    return VideoCard(video.id, video.caption, video.media_url, video.cover_url,
                     names.of(video.author_kind, video.seller_id, video.creator_id), video.author_kind, anchors)


def _live_card(live: LiveSession, names: AuthorNames, products: Mapping[int, Card], viewers: Viewers) -> LiveCard:
    showcase = [products[i.product_id] for i in sorted(live.showcase, key=lambda i: i.position) if i.product_id in products]
    pinned = products.get(live.pinned_product_id) if live.pinned_product_id is not None else None
    return LiveCard(live.id, live.title, live.status, names.of(live.host_kind, live.seller_id, live.creator_id),
                    viewers(live.id) if live.status == "live" else 0, live.started_at, live.scheduled_at,
                    live.replay_url, pinned, showcase)


def _product_cards(session: Session, presenter: listing.Presenter, ids: Iterable[int]) -> dict[int, Card]:
    """Public products by id as cards (a product no longer for sale is simply missing)."""
    return {pid: card(presenter, product, name) for pid, (product, name) in products_by_id(session, ids).items()}


def live_rail(session: Session, tenant: TenantContext, presenter: listing.Presenter, viewers: Viewers,
              status: str = "live", limit: int = LIVE_RAIL) -> list[LiveCard]:
    """Live sessions in ``status`` (on air by default) as cards; none where lives are off."""
    if not tenant.has_feature(LIVE):
        return []
    found = lives.list_lives(session, tenant, status, limit)
    names = author_names(session, [l.seller_id for l in found], [l.creator_id for l in found])
    products = _product_cards(session, presenter, [i.product_id for l in found for i in l.showcase])
    return [_live_card(live, names, products, viewers) for live in found]


# --- the For You feed ---------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedEntry:
    """One item of the For You page, whatever its kind."""

    kind: str  # product, video or live
    id: int
    sponsored: bool
    explanation: str  # in the reader's language (``discovery.explain.render``)
    click_token: str | None = None  # a sponsored item's: opening it goes through the ads click
    product: Card | None = None
    video: VideoCard | None = None
    live: LiveCard | None = None


@dataclass(frozen=True)
class FeedView:
    entries: list[FeedEntry]
    next_cursor: str | None


def feed_view(presenter: listing.Presenter, result: discovery.FeedResult, viewers: Viewers) -> FeedView:
    """A page of the feed as the discovery service assembled it (ranked items, sponsored ones
    in their slots, cards already loaded) ready for the template."""
    entries = [feed_entry(presenter, item, viewers) for item in result.items]
    return FeedView([entry for entry in entries if entry is not None], result.next_cursor)


def feed_card(presenter: listing.Presenter, found: FeedCard) -> Card:
    """The feed's product card as the storefront's card (no one-tap buy from the feed)."""
    return {
        "id": found.id, "seller_id": found.seller_id, "seller_name": found.seller_name, "title": found.title,
        "category_id": found.category_id, **presenter.price(found.price_minor), "in_stock": found.in_stock,
        "thumbnail_url": presenter.media_url(found.thumbnail_path) if found.thumbnail_path else None,
        "variant_id": None, "variants": [],
    }


def feed_entry(presenter: listing.Presenter, item: discovery.FeedItem, viewers: Viewers) -> FeedEntry | None:
    candidate, shown = item.candidate, item.shown
    product = feed_card(presenter, item.product) if item.product is not None else None
    common: dict[str, Any] = {"id": candidate.id, "sponsored": candidate.sponsored, "explanation": render(item.reason),
                              "click_token": item.click_token, "product": product}
    if candidate.kind == "video" and shown is not None:
        anchors = [feed_card(presenter, anchor) for anchor in item.anchors]
        video = VideoCard(shown.id, shown.text, shown.media_url or "", shown.cover_url, shown.author_name,
                          shown.author_kind, anchors)
        return FeedEntry("video", video=video, **common)
    if candidate.kind == "live" and shown is not None:
        live = LiveCard(shown.id, shown.text, "live", shown.author_name, viewers(shown.id), shown.started_at, None,
                        None, product, [product] if product is not None else [])
        return FeedEntry("live", live=live, **common)
    if product is not None:
        return FeedEntry("product", **common)
    return None


# --- one video ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class VideoPage:
    video: VideoCard
    counts: dict[str, int]
    created_at: datetime


def video_page(session: Session, tenant: TenantContext, presenter: listing.Presenter, video_id: int) -> VideoPage:
    """An approved video with its anchored products; ``ContentNotFound`` for anything else."""
    video = content.visible_video(session, tenant, video_id)
    names = author_names(session, [video.seller_id], [video.creator_id])
    products = _product_cards(session, presenter, [a.product_id for a in video.anchors])
    return VideoPage(_video_card(video, names, products), content.counts(session, tenant, video.id), video.created_at)


# --- deals --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DealCard:
    id: int
    kind: str
    variant_id: int
    price: str  # formatted
    regular_price: str | None
    ends_at: datetime
    left: int
    per_buyer_limit: int
    product: Card | None
    live_session_id: int | None


def deal_cards(session: Session, tenant: TenantContext, presenter: listing.Presenter, found: Sequence[Deal]) -> list[DealCard]:
    """Deals with their products and regular prices (one statement for the variants)."""
    ids = {deal.variant_id for deal in found}
    variants = {row.id: row for row in session.execute(
        select(Variant.id, Variant.product_id, Variant.price_minor).where(Variant.id.in_(ids)))} if ids else {}
    products = _product_cards(session, presenter, [v.product_id for v in variants.values()])
    made = []
    for deal in found:
        variant = variants.get(deal.variant_id)
        product = products.get(variant.product_id) if variant is not None else None
        regular = presenter.price(variant.price_minor)["price_formatted"] if variant is not None else None
        made.append(DealCard(deal.id, deal.kind, deal.variant_id, presenter.price(deal.price_minor)["price_formatted"],
                             regular, deal.ends_at, max(deal.quota - deal.claimed, 0), deal.per_buyer_limit, product,
                             deal.live_session_id))
    return made


# --- a live room --------------------------------------------------------------------------------
@dataclass(frozen=True)
class LiveRoom:
    live: LiveCard
    deals: list[DealCard]


def live_room(session: Session, tenant: TenantContext, presenter: listing.Presenter, live_id: int,
              viewers: Viewers) -> LiveRoom:
    """The room: stream, showcase, pinned product, and the deals a purchase from this room gets
    on its products: flash sales, and the room's own live deals while it is on air (``deals``
    prices a line added here with the room as its source). ``ContentNotFound`` for an unknown id."""
    live = lives.get_live(session, tenant, live_id)
    names = author_names(session, [live.seller_id], [live.creator_id])
    products = _product_cards(session, presenter, [item.product_id for item in live.showcase])
    shown = set(products)
    applies = [d for d in deals.active_deals(session, tenant, clock.now())
               if d.kind == "flash" or (d.live_session_id == live.id and live.status == "live")]
    room_deals = [d for d in deal_cards(session, tenant, presenter, applies) if d.product is not None and d.product["id"] in shown]
    return LiveRoom(_live_card(live, names, products, viewers), room_deals)


# --- the shopping tab, search and categories ----------------------------------------------------
def category_name(category: Category, locale: str, default_locale: str) -> str:
    return str(category.names.get(locale) or category.names.get(default_locale) or category.slug)


@dataclass(frozen=True)
class CategoryLink:
    id: int
    name: str
    parent_id: int | None


@dataclass(frozen=True)
class ShopPage:
    categories: list[CategoryLink]
    deals: list[DealCard]
    recommendations: list[Card]


def shop_page(session: Session, tenant: TenantContext, presenter: listing.Presenter, buyer_id: int | None) -> ShopPage:
    """The shopping tab (``discovery.shop_tab``): top categories, running deals, picks."""
    tab = discovery.shop_tab(session, tenant, buyer_id)
    links = [CategoryLink(c.id, category_name(c, presenter.locale, tenant.default_locale), c.parent_id) for c in tab.categories]
    picks = list({product.id: (product, name) for product, name in tab.recommendations}.values())  # each once
    return ShopPage(links, deal_cards(session, tenant, presenter, tab.deals), cards(presenter, picks))


@dataclass(frozen=True)
class ResultsPage:
    cards: list[Card]
    next_offset: int | None


def search_page(session: Session, tenant: TenantContext, presenter: listing.Presenter, query: str, offset: int) -> ResultsPage:
    """Ranked search hits (``discovery.search``); ``InvalidSearch`` names a bad argument."""
    page = discovery.search(session, tenant, query, limit=PAGE_SIZE, offset=offset)
    return ResultsPage(cards(presenter, page.rows), page.next_offset)


@dataclass(frozen=True)
class CategoryPage:
    category: CategoryLink
    parents: list[CategoryLink]
    children: list[CategoryLink]
    cards: list[Card]
    next_cursor: str | None


def category_page(session: Session, tenant: TenantContext, presenter: listing.Presenter, category_id: int,
                  *, sort: str = "newest", cursor: str | None = None) -> CategoryPage:
    """A category's products (its subcategories' included), its path and its children.
    ``CatalogNotFound`` for an unknown category; ``InvalidCatalogInput`` for a bad sort/cursor."""
    everything = {c.id: c for c in list_categories(session, tenant)}
    if category_id not in everything:
        raise CatalogNotFound("no such category", "category_id")

    def link(c: Category) -> CategoryLink:
        return CategoryLink(c.id, category_name(c, presenter.locale, tenant.default_locale), c.parent_id)

    parents: list[CategoryLink] = []
    parent_id = everything[category_id].parent_id
    while parent_id is not None and parent_id in everything and len(parents) < len(everything):
        parents.insert(0, link(everything[parent_id]))
        parent_id = everything[parent_id].parent_id
    children = [link(c) for c in sorted(everything.values(), key=lambda c: (c.position, c.id)) if c.parent_id == category_id]
    page = listing.list_products(session, tenant, listing.ListingQuery(category_id=category_id, sort=sort, cursor=cursor,
                                                                       limit=PAGE_SIZE))
    return CategoryPage(link(everything[category_id]), parents, children, cards(presenter, page.rows), page.next_cursor)


# --- a product ----------------------------------------------------------------------------------
#: The carriers' service codes in the words the region plugins use for them; the plugins'
#: catalogs translate these (``gettext`` at render time), so they are not kernel strings.
SERVICE_NAMES: Mapping[str, str] = {
    "economy": "Economy delivery", "standard": "Standard delivery", "express": "Express delivery",
    "same_day": "Same-day delivery", "pickup_point": "Delivery to a pick-up point or locker",
}


@dataclass(frozen=True)
class DeliveryOption:
    carrier: str
    service: str  # the plugin's wording, translated by its catalog
    price: str  # formatted
    min_days: int
    max_days: int
    earliest: date
    latest: date


@dataclass(frozen=True)
class TaxNote:
    """How the price relates to tax here: included (with the plugin's rule, e.g. "UK VAT
    standard rate 20%") or added at checkout, and the tax's name as the region's plugin gives
    it (English, translated by the plugin's catalog at render time; "" = the plain word)."""

    display: str  # "inclusive" or "exclusive"
    rule: str | None = None
    label: str = ""  # "VAT", "GST", "sales tax"


@dataclass(frozen=True)
class ProductPage:
    detail: dict[str, Any]
    card: Card
    category: CategoryLink | None
    variants: list[dict[str, Any]]  # the detail's variants with their label and running deal
    selected: dict[str, Any] | None
    rules: ConsumerRules | None
    tax: TaxNote | None
    delivery: list[DeliveryOption]  # cheapest first
    cash_on_delivery: bool
    deals: list[DealCard] = field(default_factory=list)

    @property
    def fastest(self) -> DeliveryOption | None:
        """The quickest option when it is not also the cheapest (shown next to it)."""
        if not self.delivery:
            return None
        quickest = min(self.delivery, key=lambda o: (o.max_days, o.min_days))
        cheapest = self.delivery[0]
        return quickest if (quickest.max_days, quickest.min_days) < (cheapest.max_days, cheapest.min_days) else None


def product_page(session: Session, tenant: TenantContext, presenter: listing.Presenter, product_id: int,
                 live_session_id: int | None = None) -> ProductPage:
    """A product for sale with everything a buyer decides on: variants and stock, price with
    the region's tax display and prior price (EU Omnibus, via the catalog's price history),
    deals it gets (flash sales; a live room's deal too when opened from that room,
    ``live_session_id``), delivery options with dates, and the return policy.
    ``CatalogNotFound`` for a product that is not for sale."""
    product, seller_name = listing.public_product(session, tenant, product_id)
    detail = presenter.detail(session, product, seller_name)
    today = clock.today_in(tenant.config.timezone)
    running = [d for v in product.variants if v.active
               for d in [deals.active_deal(session, tenant, v.id, clock.now(), live_session_id)] if d is not None]
    deal_list = deal_cards(session, tenant, presenter, running)
    by_variant = {d.variant_id: d for d in deal_list}
    labels = {v.id: variant_label(v) for v in product.variants}
    variants = [{**v, "label": labels.get(v["id"], v["sku"]), "deal": by_variant.get(v["id"])} for v in detail["variants"]]
    selected = next((v for v in variants if v["in_stock"]), variants[0] if variants else None)
    category = None
    if product.category_id is not None:
        found = session.get(Category, product.category_id)
        if found is not None:
            category = CategoryLink(found.id, category_name(found, presenter.locale, tenant.default_locale), found.parent_id)
    unit = _unit_price(tenant, product)
    return ProductPage(
        detail=detail, card=card(presenter, product, seller_name), category=category, variants=variants, selected=selected,
        rules=tenant.consumer_rules(today), tax=tax_note(tenant, product, unit, today),
        delivery=delivery_options(session, tenant, presenter, product, unit, today),
        cash_on_delivery=tenant.has_feature("cash_on_delivery"), deals=deal_list,
    )


def _unit_price(tenant: TenantContext, product: Product) -> Decimal:
    """The "from" price in major units, as the tax hook and a parcel's declared value take it."""
    return from_minor(product.price_minor or 0, tenant.currency, tenant.currency_rules()).amount


def tax_note(tenant: TenantContext, product: Product, unit_price: Decimal, on: date) -> TaxNote | None:
    """Included or added, from the region's consumer rules; for included tax, the rule the
    region's tax engine applies to this product (its own wording), when it answers."""
    rules = tenant.consumer_rules(on)
    if rules is None:
        return None
    if rules.price_display != "inclusive":
        return TaxNote("exclusive", label=rules.tax_label)
    context = TaxContext(country=tenant.country, currency=tenant.currency, on=on,
                         lines=(TaxLineInput(ref=str(product.id), category=product.tax_category, unit_price=unit_price),))
    try:
        quote = tenant.hooks.tax_quote(context)
    except (ValueError, LookupError):  # e.g. a tax category the engine does not know: say less
        quote = None
    rule = quote.lines[0].rule if quote is not None and quote.lines else None
    return TaxNote("inclusive", rule, rules.tax_label)


def delivery_options(session: Session, tenant: TenantContext, presenter: listing.Presenter, product: Product,
                     unit_price: Decimal, today: date) -> list[DeliveryOption]:
    """The tenant's carriers' quotes for one unit from the shop to anywhere in the country
    (the widest domestic zone: checkout quotes the real address), cheapest first."""
    parcel = Parcel(weight_grams=max(product.weight_grams, 1), length_cm=product.length_cm, width_cm=product.width_cm,
                    height_cm=product.height_cm, declared_value=unit_price)
    try:
        quotes = quote_options(session, tenant, product.seller_id, Address(country=tenant.country), parcel)
    except (ShippingError, ValueError, LookupError):
        return []
    names = {info.code: info.name for info in tenant.carriers()}
    rules = tenant.currency_rules()
    return [
        DeliveryOption(names.get(q.carrier, q.carrier), SERVICE_NAMES.get(q.service, q.service),
                       format_money(money(q.amount, q.currency), presenter.locale, rules), q.min_days, q.max_days,
                       today + timedelta(days=q.min_days), today + timedelta(days=q.max_days))
        for q in quotes
    ]


# --- the header ---------------------------------------------------------------------------------
def cart_count(session: Session, tenant: TenantContext, buyer_id: int) -> int:
    """Units in the buyer's cart, for the header's badge."""
    return sum(line.quantity for line in cart.cart_lines(session, tenant, buyer_id))


__all__ = [
    "CatalogNotFound", "ContentNotFound", "DealCard", "FeedEntry", "FeedView", "LiveCard", "LiveRoom", "ProductPage",
    "ShopPage", "VideoCard", "VideoPage", "cart_count", "category_page", "for_you", "live_rail", "live_room",
    "product_page", "search_page", "shop_page", "video_page",
]
