"""Catalog services: categories, products and their texts, variants, prices, moderation.

Plain functions over ``(session, tenant, ...)``; no Flask. They flush, the caller commits. Bad
input raises ``InvalidCatalogInput`` naming the field (``texts.de_DE.title``, ``price``), an
object that is not there — or belongs to another tenant or seller — raises ``CatalogNotFound``.
Stock movements (``pasar.catalog.inventory``), prices (``pasar.catalog.prices``) and the errors
(``pasar.catalog.errors``) are re-exported here, so other domains import one module.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, select, update
from sqlalchemy.orm import Session, aliased, selectinload

from pasar import clock
from pasar.catalog.errors import CatalogConflict, CatalogError, CatalogNotFound, InvalidCatalogInput
from pasar.catalog.inventory import commit_stock, release_stock, reserve_stock, restock, set_stock
from pasar.catalog.models import PRODUCT_STATUSES, Category, Inventory, PriceChange, Product, ProductText, Variant
from pasar.catalog.prices import change_price, previous_price, price_to_minor, prior_price, refresh_product_price
from pasar.contracts import TAX_CATEGORIES
from pasar.money import from_minor
from pasar.sellers.models import Seller
from pasar.sellers.service import get_approved_seller
from pasar.tenancy.service import TenantContext

__all__ = [
    "CatalogConflict", "CatalogError", "CatalogNotFound", "InvalidCatalogInput", "SaleItem",
    "add_variant", "block_product", "change_price", "commit_stock", "create_category", "create_product",
    "get_product", "list_categories", "previous_price", "price_to_minor", "prior_price", "release_stock",
    "reserve_stock", "reserve_stocks", "restock", "sale_item", "sale_params", "sale_select", "seller_product", "seller_products", "seller_variant", "set_stock",
    "unblock_product", "update_product", "update_variant", "variant_for_sale", "variants_for_sale",
]

PRODUCT_FIELDS = frozenset({"category_id", "tax_category", "weight_grams", "length_cm", "width_cm", "height_cm"})
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# --- categories ---------------------------------------------------------------------------------
def list_categories(session: Session, tenant: TenantContext) -> list[Category]:
    """Roots first (on every database), then children by parent and position."""
    order = (Category.parent_id.asc().nulls_first(), Category.position, Category.id)
    return list(session.scalars(select(Category).order_by(*order)))


def create_category(
    session: Session, tenant: TenantContext, *, slug: str, names: Mapping[str, str],
    parent_id: int | None = None, position: int = 0,
) -> Category:
    """A category node; names are per tenant locale and the default locale's is required."""
    if not _SLUG.fullmatch(slug):
        raise InvalidCatalogInput("use lower-case letters, digits and single hyphens", "slug")
    _check_locales(tenant, names.keys(), "names")
    if not (names.get(tenant.default_locale) or "").strip():
        raise InvalidCatalogInput(f"a name in {tenant.default_locale} is required", f"names.{tenant.default_locale}")
    if parent_id is not None and session.get(Category, parent_id) is None:
        raise InvalidCatalogInput("no such category", "parent_id")
    if session.scalar(select(Category.id).where(Category.slug == slug)) is not None:
        raise CatalogConflict(f"the slug {slug!r} is taken", "slug")
    category = Category(
        slug=slug, names={k: v.strip() for k, v in names.items()}, parent_id=parent_id, position=position
    )
    session.add(category)
    session.flush()
    return category


def _check_category(session: Session, category_id: int | None) -> None:
    if category_id is not None and session.get(Category, category_id) is None:
        raise InvalidCatalogInput("no such category", "category_id")


# --- products -----------------------------------------------------------------------------------
def get_product(session: Session, tenant: TenantContext, product_id: int) -> Product:
    """Any product of the tenant with its texts, variants (and stock) and images loaded."""
    product = session.scalar(
        select(Product).where(Product.id == product_id).options(
            selectinload(Product.texts),
            selectinload(Product.variants).selectinload(Variant.inventory),
            selectinload(Product.images),
        )
    )
    if product is None:
        raise CatalogNotFound("no such product")
    return product


def seller_products(session: Session, tenant: TenantContext, seller_id: int, limit: int = 100) -> list[Product]:
    """A seller's own products, newest first, in every status."""
    return list(session.scalars(
        select(Product).where(Product.seller_id == seller_id).order_by(Product.id.desc()).limit(limit).options(
            selectinload(Product.texts),
            selectinload(Product.variants).selectinload(Variant.inventory),
            selectinload(Product.images),
        )
    ))


def seller_product(session: Session, tenant: TenantContext, seller_id: int, product_id: int) -> Product:
    """The product if this seller owns it; another seller's answers as not found."""
    product = get_product(session, tenant, product_id)
    if product.seller_id != seller_id:
        raise CatalogNotFound("no such product")
    return product


def create_product(
    session: Session, tenant: TenantContext, seller_id: int, *,
    texts: Mapping[str, Mapping[str, str]], **fields: Any,
) -> Product:
    """A new draft product of an approved seller (``SellerNotApproved`` otherwise); it is
    activated with ``update_product`` once it has variants."""
    get_approved_seller(session, tenant, seller_id)
    product = Product(seller_id=seller_id, status="draft", tax_category="standard", moderation="approved")
    session.add(product)
    _apply_fields(session, product, fields)
    _apply_texts(tenant, product, texts)
    session.flush()
    return product


def update_product(
    session: Session, tenant: TenantContext, product: Product, *,
    texts: Mapping[str, Mapping[str, str]] | None = None, status: str | None = None, **fields: Any,
) -> Product:
    """Change what the seller may change; ``texts`` merges per locale (a title can be
    replaced, never removed, so an active product keeps its default-language title)."""
    _apply_fields(session, product, fields)
    if texts:
        _apply_texts(tenant, product, texts)
    session.flush()
    if status is not None and status != product.status:
        _change_status(session, tenant, product, status)
    return product


def _apply_fields(session: Session, product: Product, fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - PRODUCT_FIELDS
    if unknown:
        raise InvalidCatalogInput("not a product field", sorted(unknown)[0])
    if "tax_category" in fields and fields["tax_category"] not in TAX_CATEGORIES:
        raise InvalidCatalogInput(f"use one of {', '.join(TAX_CATEGORIES)}", "tax_category")
    for name in ("weight_grams", "length_cm", "width_cm", "height_cm"):
        if name in fields and (fields[name] is None or fields[name] < 0):
            raise InvalidCatalogInput("must be zero or more", name)
    if "category_id" in fields:
        _check_category(session, fields["category_id"])
    for name, value in fields.items():
        setattr(product, name, value)


def _apply_texts(tenant: TenantContext, product: Product, texts: Mapping[str, Mapping[str, str]]) -> None:
    _check_locales(tenant, texts.keys(), "texts")
    by_locale = {text.locale: text for text in product.texts}
    for locale, values in texts.items():
        text = by_locale.get(locale) or ProductText(locale=locale, title="", description="")
        if "title" in values:
            text.title = (values["title"] or "").strip()
        if "description" in values:
            text.description = (values["description"] or "").strip()
        if not text.title:
            raise InvalidCatalogInput("a title is required", f"texts.{locale}.title")
        if locale not in by_locale:
            product.texts.append(text)


def _check_locales(tenant: TenantContext, locales: Any, field: str) -> None:
    offered = tenant.config.locales
    for locale in locales:
        if locale not in offered:
            message = f"not a language of this marketplace; use one of {', '.join(offered)}"
            raise InvalidCatalogInput(message, f"{field}.{locale}")


def _change_status(session: Session, tenant: TenantContext, product: Product, status: str) -> None:
    if status not in PRODUCT_STATUSES:
        raise InvalidCatalogInput(f"use one of {', '.join(PRODUCT_STATUSES)}", "status")
    if status == "active":
        get_approved_seller(session, tenant, product.seller_id)
        _check_activatable(tenant, product)
    product.status = status
    session.flush()


def _check_activatable(tenant: TenantContext, product: Product) -> None:
    """What a buyer needs to see before a product is listed: a title in the marketplace's
    default language, something to buy, and no moderation block."""
    if product.moderation == "blocked":
        raise CatalogConflict("the product is blocked by moderation", "status")
    if not any(t.locale == tenant.default_locale and t.title for t in product.texts):
        locale = tenant.default_locale
        raise InvalidCatalogInput(f"a title in {locale} is required to activate", f"texts.{locale}")
    if not any(v.active for v in product.variants):
        raise InvalidCatalogInput("an active variant is required to activate", "status")


# --- moderation ---------------------------------------------------------------------------------
def block_product(session: Session, tenant: TenantContext, product_id: int, reason: str) -> Product:
    """An operator takes a product off the marketplace; the seller sees the reason."""
    if not reason.strip():
        raise InvalidCatalogInput("say why the product is blocked", "reason")
    product = get_product(session, tenant, product_id)
    product.moderation, product.moderation_reason = "blocked", reason.strip()
    session.flush()
    return product


def unblock_product(session: Session, tenant: TenantContext, product_id: int) -> Product:
    product = get_product(session, tenant, product_id)
    product.moderation, product.moderation_reason = "approved", None
    session.flush()
    return product


# --- variants and prices ------------------------------------------------------------------------
def seller_variant(session: Session, tenant: TenantContext, seller_id: int, variant_id: int) -> Variant:
    """The variant if this seller owns its product; anyone else's answers as not found."""
    variant = session.get(Variant, variant_id)
    if variant is None or variant.product.seller_id != seller_id:
        raise CatalogNotFound("no such variant")
    return variant


def add_variant(
    session: Session, tenant: TenantContext, product: Product, *, sku: str, price: str,
    options: Mapping[str, str] | None = None, stock: int = 0, active: bool = True,
) -> Variant:
    """A new SKU with its first price period and its stock row."""
    price_minor = price_to_minor(tenant, price)
    _check_options(product, options or {}, None)
    _check_sku_free(session, sku)
    if stock < 0:
        raise InvalidCatalogInput("must be zero or more", "stock")
    variant = Variant(
        sku=sku, options=dict(options or {}), price_minor=price_minor, currency=tenant.currency, active=active
    )
    variant.inventory = Inventory(on_hand=stock, reserved=0)
    product.variants.append(variant)
    session.flush()
    session.add(PriceChange(
        variant_id=variant.id, price_minor=price_minor, currency=tenant.currency, valid_from=clock.now()
    ))
    refresh_product_price(session, product)
    return variant


def update_variant(
    session: Session, tenant: TenantContext, variant: Variant, *, price: str | None = None,
    options: Mapping[str, str] | None = None, active: bool | None = None,
) -> Variant:
    """Change a SKU; a new price closes the open price period and opens another."""
    product = variant.product
    if options is not None:
        _check_options(product, options, variant.id)
        variant.options = dict(options)
    if active is not None:
        variant.active = active
    if price is not None:
        change_price(session, tenant, variant, price_to_minor(tenant, price), clock.now())
    session.flush()
    if product.status == "active" and not any(v.active for v in product.variants):
        raise InvalidCatalogInput("an active product keeps at least one active variant; archive it instead", "active")
    refresh_product_price(session, product)
    return variant


def _check_options(product: Product, options: Mapping[str, str], own_id: int | None) -> None:
    """Two variants of one product with the same options could not be told apart."""
    for other in product.variants:
        if other.id != own_id and other.options == dict(options):
            raise CatalogConflict(f"variant {other.sku} already has these options", "options")


def _check_sku_free(session: Session, sku: str) -> None:
    if session.scalar(select(Variant.id).where(Variant.sku == sku)) is not None:
        raise CatalogConflict(f"the SKU {sku!r} is taken", "sku")


# --- what checkout needs ------------------------------------------------------------------------
@dataclass(frozen=True)
class SaleItem:
    """A variant as checkout sees it: who sells it, its price, tax category and parcel size."""

    variant_id: int
    product_id: int
    seller_id: int
    sku: str
    title: str
    price_minor: int
    currency: str
    unit_price: Decimal  # ``price_minor`` in major units, as the tax hook takes it
    tax_category: str
    weight_grams: int
    length_cm: int
    width_cm: int
    height_cm: int
    seller_name: str = ""


#: How many leading columns of ``sale_select`` make a ``SaleItem`` (``sale_item(tenant, row)``).
SALE_WIDTH = 17


@lru_cache(maxsize=1)
def sale_select() -> Select[Any]:
    """variants ⋈ products ⋈ shops with the title in the reader's language (else the
    marketplace's default, else any): the columns ``sale_item`` turns into a ``SaleItem``.
    Execute it with ``sale_params(tenant, locale)``.

    Callers join their own rows to it (the cart joins its lines, stock and deals) so a whole
    cart is priced in one statement; the for-sale rule itself is applied in ``sale_item``, so
    a line no longer for sale is still read (the cart shows it, checkout refuses it by name).
    Built once per process — building a statement this size costs more than running it — with
    the languages as bound parameters (the tenant criterion is added when it runs).
    """
    wanted = aliased(ProductText, name="wanted_text")
    default = aliased(ProductText, name="default_text")
    any_title = (select(ProductText.title).where(ProductText.tenant_id == Product.tenant_id, ProductText.product_id == Product.id)
                 .order_by(ProductText.locale).limit(1).scalar_subquery())
    return (
        select(
            Variant.id, Variant.sku, Variant.price_minor, Variant.currency, Variant.active,
            Product.id, Product.seller_id, Product.status, Product.moderation, Product.tax_category,
            Product.weight_grams, Product.length_cm, Product.width_cm, Product.height_cm, Seller.status, Seller.name,
            func.coalesce(wanted.title, default.title, any_title),
        )
        .select_from(Variant)
        .join(Product, and_(Product.tenant_id == Variant.tenant_id, Product.id == Variant.product_id))
        .join(Seller, and_(Seller.tenant_id == Product.tenant_id, Seller.id == Product.seller_id))
        .outerjoin(wanted, and_(wanted.tenant_id == Product.tenant_id, wanted.product_id == Product.id,
                                wanted.locale == bindparam("sale_locale")))
        .outerjoin(default, and_(default.tenant_id == Product.tenant_id, default.product_id == Product.id,
                                 default.locale == bindparam("sale_default_locale")))
    )


def sale_params(tenant: TenantContext, locale: str | None = None) -> dict[str, str]:
    """The parameters ``sale_select`` runs with: titles in ``locale`` (else the default's)."""
    return {"sale_locale": locale or tenant.default_locale, "sale_default_locale": tenant.default_locale}


def sale_item(tenant: TenantContext, row: Sequence[Any]) -> SaleItem | None:
    """The ``SaleItem`` of a ``sale_select`` row if a buyer may buy it now — product active and
    not blocked, variant active, seller approved — else None. Stock is not checked here:
    ``reserve_stock`` decides that atomically."""
    (vid, sku, price_minor, currency, active, product_id, seller_id, status, moderation, tax_category,
     weight, length, width, height, seller_status, seller_name, title) = row[:SALE_WIDTH]
    if not active or status != "active" or moderation != "approved" or seller_status != "approved":
        return None
    return SaleItem(
        variant_id=vid, product_id=product_id, seller_id=seller_id, sku=sku, title=title if title is not None else sku,
        price_minor=price_minor, currency=currency, unit_price=from_minor(price_minor, currency, tenant.currency_rules()).amount,
        tax_category=tax_category, weight_grams=weight, length_cm=length, width_cm=width, height_cm=height,
        seller_name=seller_name,
    )


def variants_for_sale(
    session: Session, tenant: TenantContext, variant_ids: Iterable[int], locale: str | None = None,
) -> dict[int, SaleItem]:
    """The variants of ``variant_ids`` a buyer may buy now, by id, in one statement whatever
    their number (a variant missing from the answer is unknown or not for sale)."""
    wanted = sorted(set(variant_ids))
    if not wanted:
        return {}
    rows = session.execute(sale_select().where(Variant.id.in_(wanted)), sale_params(tenant, locale)).all()
    return {item.variant_id: item for item in (sale_item(tenant, row) for row in rows) if item is not None}


def variant_for_sale(session: Session, tenant: TenantContext, variant_id: int, locale: str | None = None) -> SaleItem:
    """The variant if a buyer may buy it now (``variants_for_sale`` of one): one statement —
    the variant with its product, its shop's status and its title."""
    found = variants_for_sale(session, tenant, [variant_id], locale).get(variant_id)
    if found is None:
        raise CatalogNotFound("no such variant for sale", "variant_id")
    return found


def reserve_stocks(session: Session, tenant: TenantContext, quantities: Mapping[int, int]) -> list[int]:
    """Hold ``quantities`` (variant id → units) in ONE guarded UPDATE — each row only if its
    own units are there (``on_hand - reserved >= q``), so concurrent checkouts never oversell —
    and answer the variants that could not be held (empty: all were). A caller that gets any
    back must roll its transaction back: the others were held. On PostgreSQL the caller locks
    the rows first in variant order (the cart's read for placing does), so two checkouts
    never wait for each other crosswise."""
    if not quantities:
        return []
    wanted = case(dict(quantities), value=Inventory.variant_id)
    held = session.execute(
        update(Inventory).where(
            Inventory.tenant_id == tenant.id, Inventory.variant_id.in_(sorted(quantities)),
            Inventory.on_hand - Inventory.reserved >= wanted,
        ).values(reserved=Inventory.reserved + wanted).returning(Inventory.variant_id)
        .execution_options(synchronize_session=False)
    ).scalars().all()
    return sorted(set(quantities) - set(held))
