"""The public catalogue: filtered, sorted, keyset-paginated product lists and product detail.

Only what a buyer may buy is public: active products, not blocked by moderation, with a price,
of approved sellers. Pages are cut with a keyset cursor (the last row's sort key and id), not
an offset, so a product added while someone pages never shifts a row into the next page twice
or out of sight, and page 1,000 costs what page 1 costs. A page is a constant number of SQL
statements whatever its size: one for the products (with the seller's name), one each for their
texts, variants with stock, and images.

Answers are plain dicts in the request's locale, with prices formatted by ``pasar.money``;
image URLs come from a ``media_url(path)`` callable the caller hands in (no Flask here).
"""
from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, select, tuple_
from sqlalchemy.orm import Session, selectinload

from pasar import clock
from pasar.catalog.models import Category, Inventory, Product, ProductImage, ProductText, Variant
from pasar.catalog.prices import PricePeriod, price_history, reduction_prior
from pasar.catalog.service import CatalogNotFound, InvalidCatalogInput
from pasar.clock import today_in
from pasar.contracts import CurrencyRules
from pasar.money import format_money, from_minor, money, parse_amount, quantize, to_minor
from pasar.sellers.models import Seller
from pasar.tenancy.service import TenantContext

SORTS: tuple[str, ...] = ("newest", "price_asc", "price_desc")
MAX_LIMIT = 100
MediaUrl = Callable[[str], str]


@dataclass(frozen=True)
class ListingQuery:
    """What a buyer asked for; prices are decimal strings in the tenant's currency."""

    category_id: int | None = None
    seller_id: int | None = None
    min_price: str | None = None
    max_price: str | None = None
    in_stock: bool = False
    sort: str = "newest"
    cursor: str | None = None
    limit: int = 20


@dataclass(frozen=True)
class ListingPage:
    """One page: ``(product, seller name)`` rows and the cursor of the next page, if any."""

    rows: list[tuple[Product, str]]
    next_cursor: str | None


# --- the query ----------------------------------------------------------------------------------
def public_products() -> Select[tuple[Product, str]]:
    """Products a buyer may see, with their shop's name (the tenant criterion is automatic)."""
    return (
        select(Product, Seller.name)
        .join(Seller, and_(Seller.tenant_id == Product.tenant_id, Seller.id == Product.seller_id))
        .where(
            Product.status == "active",
            Product.moderation == "approved",
            Product.price_minor.is_not(None),
            Seller.status == "approved",
        )
    )


def _loaded(statement: Select[Any]) -> Select[Any]:
    """Children in one statement each, whatever the number of products."""
    return statement.options(
        selectinload(Product.texts),
        selectinload(Product.variants).joinedload(Variant.inventory),
        selectinload(Product.images),
    )


def list_products(session: Session, tenant: TenantContext, query: ListingQuery) -> ListingPage:
    """One page of the public catalogue."""
    if query.sort not in SORTS:
        raise InvalidCatalogInput(f"use one of {', '.join(SORTS)}", "sort")
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidCatalogInput(f"between 1 and {MAX_LIMIT}", "limit")
    statement = _filtered(public_products(), tenant, query)
    statement = _ordered_after(statement, query.sort, _decode_cursor(query.cursor, query.sort))
    rows = [(product, name) for product, name in session.execute(_loaded(statement.limit(query.limit + 1)))]
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    return ListingPage(rows, encode_cursor(query.sort, rows[-1][0]) if more else None)


@dataclass(frozen=True)
class CardRow:
    """What a listing card shows of one product, read as plain columns (no ORM objects)."""

    id: int
    seller_id: int
    seller_name: str
    category_id: int | None
    price_minor: int | None
    created_at: datetime
    title: str = ""
    description: str = ""
    locale: str | None = None
    in_stock: bool = False
    thumbnail_path: str | None = None


@dataclass(frozen=True)
class CardPage:
    """One page of cards and the cursor of the next page, if any."""

    cards: list[CardRow]
    next_cursor: str | None


def list_cards(session: Session, tenant: TenantContext, query: ListingQuery, locale: str) -> CardPage:
    """One page of the public catalogue as cards: the same filters, order and cursor as
    ``list_products``, read as columns. Building ORM objects for every product, text,
    variant, stock row and image was half of a listing's time (bench/); a card needs a few
    columns of each, so it is four plain queries whatever the page size: the products, their
    texts, which of them have stock, and their first pictures."""
    if query.sort not in SORTS:
        raise InvalidCatalogInput(f"use one of {', '.join(SORTS)}", "sort")
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidCatalogInput(f"between 1 and {MAX_LIMIT}", "limit")
    statement = _filtered(public_products(), tenant, query).with_only_columns(*_CARD_COLUMNS)
    statement = _ordered_after(statement, query.sort, _decode_cursor(query.cursor, query.sort))
    rows = list(session.execute(statement.limit(query.limit + 1)))
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cards = card_rows(session, tenant, rows, locale)
    return CardPage(cards, _cursor_of(query.sort, cards[-1]) if more else None)


_CARD_COLUMNS = (Product.id, Product.seller_id, Seller.name, Product.category_id, Product.price_minor, Product.created_at)


def card_rows(session: Session, tenant: TenantContext, rows: Sequence[Any], locale: str) -> list[CardRow]:
    """``(id, seller_id, seller name, category_id, price_minor, created_at)`` rows completed
    with text, stock and picture: one statement each for the whole page."""
    ids = [row[0] for row in rows]
    if not ids:
        return []
    texts: dict[int, dict[str, tuple[str, str]]] = {}
    for product_id, text_locale, title, description in session.execute(
        select(ProductText.product_id, ProductText.locale, ProductText.title, ProductText.description)
        .where(ProductText.product_id.in_(ids)).order_by(ProductText.locale)
    ):
        texts.setdefault(product_id, {})[text_locale] = (title, description)
    stocked = set(session.scalars(
        select(Variant.product_id).join(Inventory, and_(Inventory.tenant_id == Variant.tenant_id,
                                                        Inventory.variant_id == Variant.id))
        .where(Variant.product_id.in_(ids), Variant.active.is_(True), Inventory.on_hand > Inventory.reserved)
        .distinct()
    ))
    thumbnails: dict[int, str] = {}
    for product_id, path in session.execute(
        select(ProductImage.product_id, ProductImage.thumbnail_path).where(ProductImage.product_id.in_(ids))
        .order_by(ProductImage.product_id, ProductImage.position, ProductImage.id)
    ):
        thumbnails.setdefault(product_id, path)
    cards = []
    for product_id, seller_id, seller_name, category_id, price_minor, created_at in rows:
        found = texts.get(product_id, {})
        chosen = locale if locale in found else tenant.default_locale if tenant.default_locale in found else next(iter(found), None)
        title, description = found[chosen] if chosen is not None else ("", "")
        cards.append(CardRow(product_id, seller_id, seller_name, category_id, price_minor, created_at, title, description,
                             chosen, product_id in stocked, thumbnails.get(product_id)))
    return cards


def _cursor_of(sort: str, card: CardRow) -> str:
    key: Any = card.created_at.isoformat() if sort == "newest" else card.price_minor
    raw = json.dumps([sort, key, card.id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _filtered(statement: Select[Any], tenant: TenantContext, query: ListingQuery) -> Select[Any]:
    if query.category_id is not None:
        statement = statement.where(Product.category_id.in_(select(category_tree(query.category_id).c.id)))
    if query.seller_id is not None:
        statement = statement.where(Product.seller_id == query.seller_id)
    if query.min_price is not None:
        statement = statement.where(Product.price_minor >= _amount_minor(tenant, query.min_price, "min_price"))
    if query.max_price is not None:
        statement = statement.where(Product.price_minor <= _amount_minor(tenant, query.max_price, "max_price"))
    if query.in_stock:
        statement = statement.where(_has_stock())
    return statement


def category_tree(category_id: int) -> Any:
    """A recursive CTE of ``category_id`` and every category below it, at any depth."""
    tree = select(Category.id).where(Category.id == category_id).cte("category_tree", recursive=True)
    return tree.union_all(select(Category.id).where(Category.parent_id == tree.c.id))


def _has_stock() -> Any:
    """Some active variant has a unit nobody holds."""
    return exists(
        select(Variant.id)
        .join(Inventory, and_(Inventory.tenant_id == Variant.tenant_id, Inventory.variant_id == Variant.id))
        .where(Variant.product_id == Product.id, Variant.active.is_(True), Inventory.on_hand > Inventory.reserved)
    )


def _amount_minor(tenant: TenantContext, text: str, field: str) -> int:
    rules = tenant.currency_rules()
    try:
        amount = parse_amount(text, tenant.currency, rules)
    except ValueError as exc:
        raise InvalidCatalogInput(str(exc), field) from None
    if amount < 0:
        raise InvalidCatalogInput("must be zero or more", field)
    return to_minor(money(amount, tenant.currency), rules)


# --- sort and cursor ----------------------------------------------------------------------------
def _sort_key(sort: str) -> tuple[Any, bool]:
    """The column a sort orders by (then by id) and whether it descends."""
    return (Product.created_at, True) if sort == "newest" else (Product.price_minor, sort == "price_desc")


def _ordered_after(statement: Select[Any], sort: str, after: tuple[Any, int] | None) -> Select[Any]:
    column, descending = _sort_key(sort)
    if after is not None:
        position = tuple_(column, Product.id)
        statement = statement.where(position < after if descending else position > after)
    if descending:
        return statement.order_by(column.desc(), Product.id.desc())
    return statement.order_by(column.asc(), Product.id.asc())


def encode_cursor(sort: str, product: Product) -> str:
    """Opaque to clients: base64 of the sort, the last row's sort key and its id."""
    key: Any = product.created_at.isoformat() if sort == "newest" else product.price_minor
    raw = json.dumps([sort, key, product.id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str | None, sort: str) -> tuple[Any, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, key, last_id = json.loads(raw)
        if cursor_sort != sort or not isinstance(last_id, int):
            raise ValueError("cursor of another sort")
        if sort == "newest":
            return datetime.fromisoformat(key), last_id
        if not isinstance(key, int):
            raise ValueError("price key is not an integer")
        return key, last_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidCatalogInput("not a cursor of this listing; start again without one", "cursor") from None


# --- one product --------------------------------------------------------------------------------
def public_product(session: Session, tenant: TenantContext, product_id: int) -> tuple[Product, str]:
    """A product a buyer may see, with its shop's name; anything else is not found."""
    row = session.execute(_loaded(public_products().where(Product.id == product_id))).first()
    if row is None:
        raise CatalogNotFound("no such product")
    return row[0], row[1]


# --- presentation -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Presenter:
    """Turns catalog rows into answers for one tenant, locale and moment."""

    tenant: TenantContext
    locale: str
    media_url: MediaUrl
    rules: CurrencyRules

    @classmethod
    def for_request(cls, tenant: TenantContext, locale: str, media_url: MediaUrl) -> Presenter:
        return cls(tenant, locale, media_url, tenant.currency_rules())

    def price(self, minor: int | None, prefix: str = "price") -> dict[str, Any]:
        """``{"price": "12.50", "price_formatted": "£12.50"}`` (both None for no price)."""
        if minor is None:
            return {prefix: None, f"{prefix}_formatted": None}
        amount = from_minor(minor, self.tenant.currency, self.rules)
        shown = quantize(amount.amount, self.rules.display_minor_units, self.rules.rounding)
        return {prefix: str(shown), f"{prefix}_formatted": format_money(amount, self.locale, self.rules)}

    def texts(self, product: Product) -> dict[str, Any]:
        text = product.text_for(self.locale, self.tenant.default_locale)
        return {
            "title": text.title if text else "",
            "description": text.description if text else "",
            "locale": text.locale if text else self.locale,
        }

    def image(self, image: ProductImage) -> dict[str, Any]:
        return {
            "id": image.id, "position": image.position, "width": image.width, "height": image.height,
            "content_type": image.content_type, "url": self.media_url(image.original_path),
            "thumbnail_url": self.media_url(image.thumbnail_path),
        }

    def summary(self, product: Product, seller_name: str) -> dict[str, Any]:
        """A listing card: title, "from" price, first image, whether anything is in stock."""
        first = product.images[0] if product.images else None
        return {
            "id": product.id, "seller_id": product.seller_id, "seller_name": seller_name,
            "category_id": product.category_id, "currency": self.tenant.currency,
            **self.texts(product), **self.price(product.price_minor),
            "in_stock": any(v.active and v.inventory.available > 0 for v in product.variants),
            "thumbnail_url": self.media_url(first.thumbnail_path) if first else None,
            "created_at": product.created_at,
        }

    def card(self, card: CardRow) -> dict[str, Any]:
        """A listing card from a ``CardRow``: the same answer as ``summary``."""
        return {
            "id": card.id, "seller_id": card.seller_id, "seller_name": card.seller_name,
            "category_id": card.category_id, "currency": self.tenant.currency, "title": card.title,
            "description": card.description, "locale": card.locale or self.locale, **self.price(card.price_minor),
            "in_stock": card.in_stock,
            "thumbnail_url": self.media_url(card.thumbnail_path) if card.thumbnail_path else None,
            "created_at": card.created_at,
        }

    def detail(
        self, session: Session, product: Product, seller_name: str | None, *, owner: bool = False
    ) -> dict[str, Any]:
        """The product page; ``owner`` adds what only its seller sees (drafts, moderation,
        every locale's text, inactive variants, stock counts)."""
        days = self._prior_price_days()
        variants = [v for v in product.variants if owner or v.active]
        # The prior-price rule reads each variant's price periods: one statement for all of them.
        history = price_history(session, [v.id for v in variants]) if days is not None else {}
        answer = {
            "id": product.id, "seller_id": product.seller_id, "seller_name": seller_name,
            "category_id": product.category_id, "status": product.status, "tax_category": product.tax_category,
            "weight_grams": product.weight_grams, "length_cm": product.length_cm, "width_cm": product.width_cm,
            "height_cm": product.height_cm, "currency": self.tenant.currency, **self.texts(product),
            **self.price(product.price_minor), "created_at": product.created_at, "updated_at": product.updated_at,
            "variants": [self.variant(session, v, days, owner=owner, history=history.get(v.id, [])) for v in variants],
            "images": [self.image(i) for i in product.images],
        }
        if owner:
            answer["moderation"], answer["moderation_reason"] = product.moderation, product.moderation_reason
            answer["texts"] = {t.locale: {"title": t.title, "description": t.description} for t in product.texts}
        return answer

    def variant(self, session: Session, variant: Variant, days: int | None, *, owner: bool,
                history: Sequence[PricePeriod] | None = None) -> dict[str, Any]:
        """A variant's answer; ``history`` is its price periods when the caller read them for
        every variant at once (else they are read here)."""
        available = variant.inventory.available if variant.inventory else 0
        if days is not None and history is None:
            history = price_history(session, [variant.id]).get(variant.id, [])
        prior = reduction_prior(history or [], variant.price_minor, clock.now(), days) if days is not None else None
        answer = {
            "id": variant.id, "sku": variant.sku, "options": variant.options, "active": variant.active,
            "currency": variant.currency, **self.price(variant.price_minor),
            **self.price(prior, "prior_price"),
            "available": max(available, 0), "in_stock": available > 0,
        }
        if owner and variant.inventory is not None:
            answer["on_hand"], answer["reserved"] = variant.inventory.on_hand, variant.inventory.reserved
        return answer

    def _prior_price_days(self) -> int | None:
        """How many days back the prior price looks, where the region's law asks for one."""
        rules = self.tenant.consumer_rules(today_in(self.tenant.config.timezone))
        return rules.prior_price_days if rules is not None else None


def summaries(presenter: Presenter, rows: Sequence[tuple[Product, str]]) -> list[dict[str, Any]]:
    return [presenter.summary(product, name) for product, name in rows]
