"""The public catalogue: filtered, sorted, keyset-paginated product lists and product detail.

Only what a buyer may buy is public: active products, not blocked by moderation, with a price,
of approved sellers. Pages are cut with a keyset cursor (the last row's sort key and id), not
an offset, so a product added while someone pages never shifts a row into the next page twice
or out of sight, and page 1,000 costs what page 1 costs. A page is a constant number of SQL
statements whatever its size: one for the products (with the seller's name), one each for their
texts, variants with stock, and images.

Answers are plain dicts in the request's locale, with prices formatted by ``pasar.money``;
image URLs come from a ``media_url(path)`` callable the caller hands in (no Flask here).

The public API's listing and product page (``list_cards``, ``public_detail``) read plain
columns with SQLAlchemy Core statements that are built once per process (one per combination
of filters) and name the tenant as a bound parameter on every table they read. Built per
request, and run through the ORM session with its automatic tenant criterion, the same
statements cost most of a listing's time (bench/results/FINDINGS.md): now a request only binds
values and SQLAlchemy's compiled cache always hits. Because these statements bypass the
session's automatic criterion, each of them filters every table on ``tenant_id`` itself
(``tests/catalog`` checks another marketplace's rows never show).
"""
from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, and_, bindparam, case, exists, func, literal, select, tuple_
from sqlalchemy.orm import Session, selectinload

from pasar import clock
from pasar.catalog.models import Category, Inventory, PriceChange, Product, ProductImage, ProductText, Variant
from pasar.catalog.prices import PricePeriod, price_history, reduction_prior
from pasar.catalog.service import CatalogNotFound, InvalidCatalogInput
from pasar.clock import today_in
from pasar.contracts import CurrencyRules
from pasar.money import format_minor, money, parse_amount, to_minor
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


class CardRow(NamedTuple):
    """What a listing card shows of one product, read as plain columns (no ORM objects); a
    named tuple, so a page of rows becomes cards without a constructor call per field."""

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
    ``list_products``, in ONE statement whatever the page size. Building ORM objects for
    every product, text, variant, stock row and image was half of a listing's time (bench/);
    a card needs a few columns of each, which correlated subqueries fetch for the page's rows
    only: the text in the best locale, whether anything is in stock, the first picture."""
    if query.sort not in SORTS:
        raise InvalidCatalogInput(f"use one of {', '.join(SORTS)}", "sort")
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidCatalogInput(f"between 1 and {MAX_LIMIT}", "limit")
    after = _decode_cursor(query.cursor, query.sort)
    params: dict[str, Any] = {"tenant": tenant.id, "locale": locale, "default_locale": tenant.default_locale,
                              "n": query.limit + 1}
    if query.category_id is not None:
        params["category"] = query.category_id
    if query.seller_id is not None:
        params["seller"] = query.seller_id
    if query.min_price is not None:
        params["min_price"] = _amount_minor(tenant, query.min_price, "min_price")
    if query.max_price is not None:
        params["max_price"] = _amount_minor(tenant, query.max_price, "max_price")
    if after is not None:
        params["after_key"], params["after_id"] = after
    statement = _card_statement(
        query.sort, query.category_id is not None, query.seller_id is not None, query.min_price is not None,
        query.max_price is not None, query.in_stock, after is not None,
    )
    rows = session.connection().execute(statement, params).all()
    more = len(rows) > query.limit
    cards = [CardRow._make(row) for row in rows[: query.limit]]
    return CardPage(cards, _cursor_of(query.sort, cards[-1]) if more else None)


# --- the statements, as Core over the mapped tables (built once, see the module docstring) ----------
_PRODUCTS = Product.__table__
_SELLERS = Seller.__table__
_TEXTS = ProductText.__table__
_VARIANTS = Variant.__table__
_STOCK = Inventory.__table__
_IMAGES = ProductImage.__table__
_CATEGORIES = Category.__table__
_PERIODS = PriceChange.__table__


def _tenant() -> Any:
    return bindparam("tenant", type_=Integer)


def _public_columns(*columns: Any) -> Select[Any]:
    """``public_products`` in Core: what a buyer may see, with the tenant bound on each table."""
    return (
        select(*columns)
        .select_from(_PRODUCTS.join(_SELLERS, and_(_SELLERS.c.tenant_id == _PRODUCTS.c.tenant_id,
                                                   _SELLERS.c.id == _PRODUCTS.c.seller_id)))
        .where(
            _PRODUCTS.c.tenant_id == _tenant(),
            _PRODUCTS.c.status == "active",
            _PRODUCTS.c.moderation == "approved",
            _PRODUCTS.c.price_minor.is_not(None),
            _SELLERS.c.status == "approved",
        )
    )


def _text_of(column: Any) -> Any:
    """One column of the product's text in the request's locale, else the tenant's default
    locale, else the first by locale (``Product.text_for``); NULL when it has none."""
    preference = case((_TEXTS.c.locale == bindparam("locale"), 0),
                      (_TEXTS.c.locale == bindparam("default_locale"), 1), else_=2)
    return (
        select(column)
        .where(_TEXTS.c.tenant_id == _PRODUCTS.c.tenant_id, _TEXTS.c.product_id == _PRODUCTS.c.id)
        .order_by(preference, _TEXTS.c.locale)
        .limit(1)
        .scalar_subquery()
    )


def _in_stock() -> Any:
    """Some active variant of the product has a unit nobody holds (``_has_stock``)."""
    return exists(
        select(_VARIANTS.c.id)
        .select_from(_VARIANTS.join(_STOCK, and_(_STOCK.c.tenant_id == _VARIANTS.c.tenant_id,
                                                 _STOCK.c.variant_id == _VARIANTS.c.id)))
        .where(_VARIANTS.c.tenant_id == _PRODUCTS.c.tenant_id, _VARIANTS.c.product_id == _PRODUCTS.c.id,
               _VARIANTS.c.active.is_(True), _STOCK.c.on_hand > _STOCK.c.reserved)
    )


def _stock_flag() -> Any:
    """``_in_stock`` as a card's column: a scalar subquery cut at one row, not ``EXISTS``.

    Why: PostgreSQL may plan an ``EXISTS`` in the select list as a *hashed* subplan over every
    in-stock variant of the tenant, because it estimates the flag for all rows the filters match
    (80k at 100k products), not for the page the ``LIMIT`` keeps; that cost 150 ms of a 190 ms
    listing at 100k products. A scalar subquery is always evaluated per kept row (21 index
    probes)."""
    return func.coalesce(
        select(literal(True))
        .select_from(_VARIANTS.join(_STOCK, and_(_STOCK.c.tenant_id == _VARIANTS.c.tenant_id,
                                                 _STOCK.c.variant_id == _VARIANTS.c.id)))
        .where(_VARIANTS.c.tenant_id == _PRODUCTS.c.tenant_id, _VARIANTS.c.product_id == _PRODUCTS.c.id,
               _VARIANTS.c.active.is_(True), _STOCK.c.on_hand > _STOCK.c.reserved)
        .limit(1)
        .scalar_subquery(),
        False,
    )


def _thumbnail() -> Any:
    """The first picture's thumbnail (by position, then upload)."""
    return (
        select(_IMAGES.c.thumbnail_path)
        .where(_IMAGES.c.tenant_id == _PRODUCTS.c.tenant_id, _IMAGES.c.product_id == _PRODUCTS.c.id)
        .order_by(_IMAGES.c.position, _IMAGES.c.id)
        .limit(1)
        .scalar_subquery()
    )


@lru_cache(maxsize=None)
def _card_statement(sort: str, category: bool, seller: bool, min_price: bool, max_price: bool, in_stock: bool,
                    after: bool) -> Select[Any]:
    """The listing statement for one combination of filters (at most 3 × 2**6 of them): the
    columns of ``CardRow``, in its order."""
    statement = _public_columns(
        _PRODUCTS.c.id, _PRODUCTS.c.seller_id, _SELLERS.c.name, _PRODUCTS.c.category_id, _PRODUCTS.c.price_minor,
        _PRODUCTS.c.created_at, _text_of(_TEXTS.c.title), _text_of(_TEXTS.c.description),
        _text_of(_TEXTS.c.locale), _stock_flag(), _thumbnail(),
    )
    if category:
        tree = (select(_CATEGORIES.c.id)
                .where(_CATEGORIES.c.tenant_id == _tenant(), _CATEGORIES.c.id == bindparam("category", type_=Integer))
                .cte("category_tree", recursive=True))
        tree = tree.union_all(select(_CATEGORIES.c.id).where(_CATEGORIES.c.tenant_id == _tenant(),
                                                             _CATEGORIES.c.parent_id == tree.c.id))
        statement = statement.where(_PRODUCTS.c.category_id.in_(select(tree.c.id)))
    if seller:
        statement = statement.where(_PRODUCTS.c.seller_id == bindparam("seller", type_=Integer))
    if min_price:
        statement = statement.where(_PRODUCTS.c.price_minor >= bindparam("min_price", type_=Integer))
    if max_price:
        statement = statement.where(_PRODUCTS.c.price_minor <= bindparam("max_price", type_=Integer))
    if in_stock:
        statement = statement.where(_in_stock())
    column = _PRODUCTS.c.created_at if sort == "newest" else _PRODUCTS.c.price_minor
    descending = sort in ("newest", "price_desc")
    if after:
        position = tuple_(column, _PRODUCTS.c.id)
        bound = tuple_(bindparam("after_key", type_=column.type), bindparam("after_id", type_=Integer))
        statement = statement.where(position < bound if descending else position > bound)
    if descending:
        statement = statement.order_by(column.desc(), _PRODUCTS.c.id.desc())
    else:
        statement = statement.order_by(column.asc(), _PRODUCTS.c.id.asc())
    return statement.limit(bindparam("n", type_=Integer))


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


@dataclass(frozen=True)
class DetailRows:
    """A public product page read as plain columns: the product with its shop's name and its
    text (``_DETAIL_COLUMNS``), its active variants with stock, each with its price periods
    when the region's prior-price rule needs them, and its pictures."""

    product: Mapping[str, Any]
    variants: list[Mapping[str, Any]]
    history: dict[int, list[PricePeriod]]
    images: list[Mapping[str, Any]]


def public_detail(session: Session, tenant: TenantContext, product_id: int, locale: str,
                  with_history: bool) -> DetailRows:
    """A product a buyer may see, as ``public_product`` finds it, in three statements (the
    product, its variants, its pictures); anything else is not found."""
    connection = session.connection()
    params = {"tenant": tenant.id, "product": product_id, "locale": locale, "default_locale": tenant.default_locale}
    product = connection.execute(_DETAIL, params).mappings().first()
    if product is None:
        raise CatalogNotFound("no such product")
    variants: list[Mapping[str, Any]] = []
    history: dict[int, list[PricePeriod]] = {}
    for row in connection.execute(_VARIANTS_WITH_HISTORY if with_history else _VARIANTS_OF, params).mappings():
        if not variants or variants[-1]["id"] != row["id"]:
            variants.append(row)
            history[row["id"]] = []
        if with_history and row["period_id"] is not None:
            history[row["id"]].append(PricePeriod(row["period_id"], row["period_price"], row["valid_from"],
                                                  row["valid_to"]))
    images = list(connection.execute(_IMAGES_OF, params).mappings())
    return DetailRows(product, variants, history, images)


_DETAIL = _public_columns(
    _PRODUCTS.c.id, _PRODUCTS.c.seller_id, _SELLERS.c.name.label("seller_name"), _PRODUCTS.c.category_id,
    _PRODUCTS.c.status, _PRODUCTS.c.tax_category, _PRODUCTS.c.weight_grams, _PRODUCTS.c.length_cm,
    _PRODUCTS.c.width_cm, _PRODUCTS.c.height_cm, _PRODUCTS.c.price_minor, _PRODUCTS.c.created_at,
    _PRODUCTS.c.updated_at, _text_of(_TEXTS.c.title).label("title"),
    _text_of(_TEXTS.c.description).label("description"), _text_of(_TEXTS.c.locale).label("text_locale"),
).where(_PRODUCTS.c.id == bindparam("product", type_=Integer))

_VARIANT_COLUMNS = (
    _VARIANTS.c.id, _VARIANTS.c.sku, _VARIANTS.c.options, _VARIANTS.c.active, _VARIANTS.c.currency,
    _VARIANTS.c.price_minor, _STOCK.c.on_hand, _STOCK.c.reserved,
)
_VARIANTS_AND_STOCK = _VARIANTS.outerjoin(
    _STOCK, and_(_STOCK.c.tenant_id == _VARIANTS.c.tenant_id, _STOCK.c.variant_id == _VARIANTS.c.id))
_ACTIVE_VARIANTS = (_VARIANTS.c.tenant_id == _tenant(), _VARIANTS.c.product_id == bindparam("product", type_=Integer),
                    _VARIANTS.c.active.is_(True))
_VARIANTS_OF = (select(*_VARIANT_COLUMNS).select_from(_VARIANTS_AND_STOCK).where(*_ACTIVE_VARIANTS)
                .order_by(_VARIANTS.c.id))
_VARIANTS_WITH_HISTORY = (
    select(*_VARIANT_COLUMNS, _PERIODS.c.id.label("period_id"), _PERIODS.c.price_minor.label("period_price"),
           _PERIODS.c.valid_from, _PERIODS.c.valid_to)
    .select_from(_VARIANTS_AND_STOCK.outerjoin(
        _PERIODS, and_(_PERIODS.c.tenant_id == _VARIANTS.c.tenant_id, _PERIODS.c.variant_id == _VARIANTS.c.id)))
    .where(*_ACTIVE_VARIANTS)
    .order_by(_VARIANTS.c.id, _PERIODS.c.valid_from, _PERIODS.c.id)
)
_IMAGES_OF = (
    select(_IMAGES.c.id, _IMAGES.c.position, _IMAGES.c.width, _IMAGES.c.height, _IMAGES.c.content_type,
           _IMAGES.c.original_path, _IMAGES.c.thumbnail_path)
    .where(_IMAGES.c.tenant_id == _tenant(), _IMAGES.c.product_id == bindparam("product", type_=Integer))
    .order_by(_IMAGES.c.position, _IMAGES.c.id)
)

#: Every table the public reads above look at: a write to any of them can change an answer
#: (``pasar.catalog.cache`` watches them).
READ_TABLES: frozenset[str] = frozenset(
    table.name for table in (_PRODUCTS, _SELLERS, _TEXTS, _VARIANTS, _STOCK, _IMAGES, _CATEGORIES, _PERIODS)
)


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
        shown, formatted = format_minor(minor, self.tenant.currency, self.locale, self.rules)
        return {prefix: shown, f"{prefix}_formatted": formatted}

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
        """A listing card from a ``CardRow``: what ``ProductSummarySchema`` dumps of
        ``summary``, ready for JSON (the date as ISO 8601 text), so the API answers it
        without a marshmallow dump (``tests/catalog`` compares the two)."""
        return {
            "id": card.id, "seller_id": card.seller_id, "seller_name": card.seller_name,
            "category_id": card.category_id, "currency": self.tenant.currency, "title": card.title or "",
            "description": card.description or "", "locale": card.locale or self.locale,
            **self.price(card.price_minor), "in_stock": bool(card.in_stock),
            "thumbnail_url": self.media_url(card.thumbnail_path) if card.thumbnail_path else None,
            "created_at": card.created_at.isoformat(),
        }

    def public_page(self, session: Session, product_id: int) -> tuple[dict[str, Any], datetime | None]:
        """The public product page, ready for JSON: what ``ProductDetailSchema`` dumps of
        ``detail(session, product, seller_name)``, read in three statements (``public_detail``).

        Also answers when the page may next change with time alone (``None``: not before a
        write): a price period starting or ending later (which price is in force, and so the
        prior price, is a matter of the moment) and, where a prior-price rule applies, the next
        local midnight (the region's rules are asked per date)."""
        now = clock.now()
        days = self._prior_price_days()
        rows = public_detail(session, self.tenant, product_id, self.locale, days is not None)
        product = rows.product
        variants = []
        boundaries: list[datetime] = []
        for variant in rows.variants:
            periods = rows.history.get(variant["id"], [])
            prior = reduction_prior(periods, variant["price_minor"], now, days) if days is not None else None
            available = (variant["on_hand"] or 0) - (variant["reserved"] or 0)
            variants.append({
                "id": variant["id"], "sku": variant["sku"], "options": _text_map(variant["options"]),
                "active": bool(variant["active"]), "currency": variant["currency"],
                **self.price(variant["price_minor"]), **self.price(prior, "prior_price"),
                "available": max(available, 0), "in_stock": available > 0,
            })
            boundaries += [moment for period in periods for moment in (period.valid_from, period.valid_to)
                           if moment is not None and moment > now]
        if days is not None:
            boundaries.append(_next_midnight(now, self.tenant.config.timezone))
        answer = {
            "id": product["id"], "seller_id": product["seller_id"], "seller_name": product["seller_name"],
            "category_id": product["category_id"], "status": product["status"],
            "tax_category": product["tax_category"], "weight_grams": product["weight_grams"],
            "length_cm": product["length_cm"], "width_cm": product["width_cm"], "height_cm": product["height_cm"],
            "currency": self.tenant.currency, "title": product["title"] or "",
            "description": product["description"] or "", "locale": product["text_locale"] or self.locale,
            **self.price(product["price_minor"]), "created_at": product["created_at"].isoformat(),
            "updated_at": product["updated_at"].isoformat(), "variants": variants,
            "images": [self.image_row(image) for image in rows.images],
        }
        return answer, min(boundaries, default=None)

    def image_row(self, image: Mapping[str, Any]) -> dict[str, Any]:
        """``image`` from a row of ``_IMAGES_OF``."""
        return {
            "id": image["id"], "position": image["position"], "width": image["width"], "height": image["height"],
            "content_type": image["content_type"], "url": self.media_url(image["original_path"]),
            "thumbnail_url": self.media_url(image["thumbnail_path"]),
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


def _text_map(options: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A JSON object of text, as marshmallow's ``Dict(String, String)`` dumps it."""
    if options is None:
        return None
    return {str(key): None if value is None else str(value) for key, value in options.items()}


def _next_midnight(now: datetime, timezone: str) -> datetime:
    """The next local midnight in ``timezone`` (as an aware UTC moment)."""
    local = now.astimezone(ZoneInfo(timezone))
    midnight = datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=local.tzinfo)
    return midnight.astimezone(UTC)


def summaries(presenter: Presenter, rows: Sequence[tuple[Product, str]]) -> list[dict[str, Any]]:
    return [presenter.summary(product, name) for product, name in rows]
