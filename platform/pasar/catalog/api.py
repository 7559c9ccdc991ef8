"""Catalog endpoints: the public catalogue, a seller's own products, operator moderation, and
product pictures under ``/media/<tenant>/<path>``.

Views are thin: they call the services and map their errors to problems naming the field. A
seller only ever reaches their own shop's products: anyone else's answers 404, like a product
of another tenant (the session only sees the request's tenant).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, NoReturn

from flask import Response, current_app, g, request, send_from_directory, url_for
from flask.views import MethodView
from flask_babel import get_locale
from flask_smorest import Blueprint, abort
from sqlalchemy.exc import IntegrityError

from pasar.accounts.auth import require_auth
from pasar.catalog import cache, images, listing, service
from pasar.catalog.models import Category, Product, Variant
from pasar.catalog.schemas import (
    BlockSchema,
    CategoryCreateSchema,
    CategorySchema,
    ImageSchema,
    ImageUploadSchema,
    ListingArgsSchema,
    ListingPageSchema,
    ProductCreateSchema,
    ProductDetailSchema,
    ProductUpdateSchema,
    StockAnswerSchema,
    StockSchema,
    VariantCreateSchema,
    VariantSchema,
    VariantUpdateSchema,
)
from pasar.sellers.service import SellerNotApproved, SellerNotFound
from pasar.web import current_tenant, db_session, tenant_optional
from pasar.accounts.auth import own_seller_id

blp = Blueprint("catalog", __name__, url_prefix="/api/v1", description="Catalogue: categories, products, stock")
media_blp = Blueprint("media", __name__, url_prefix="/media", description="Product pictures")

_TENANT_CODE = re.compile(r"[a-z][a-z0-9-]{1,15}")
#: Multipart overhead allowed on top of the picture itself before the upload is cut off.
_UPLOAD_SLACK = 64 * 1024


# --- plumbing -----------------------------------------------------------------------------------
@contextmanager
def problems() -> Iterator[None]:
    """Turn the domain's refusals into problem answers (and roll back what they left)."""
    try:
        yield
    except service.CatalogError as exc:
        db_session().rollback()
        _abort(_status_of(exc), exc.message, exc.field)
    except images.ImageRejected as exc:
        db_session().rollback()
        _abort(413 if isinstance(exc, images.ImageTooLarge) else 422, str(exc), "file")
    except SellerNotApproved:
        db_session().rollback()
        abort(403, message="seller is not approved")
    except SellerNotFound:
        db_session().rollback()
        abort(403, message="this account staffs no shop")
    except IntegrityError as exc:
        db_session().rollback()
        field = "sku" if "sku" in str(exc.orig).lower() else "slug" if "slug" in str(exc.orig).lower() else None
        _abort(409, "this conflicts with a change made at the same time; try again", field)


def _status_of(exc: service.CatalogError) -> int:
    if isinstance(exc, service.CatalogNotFound):
        return 404
    return 409 if isinstance(exc, service.CatalogConflict) else 422


def _abort(status: int, message: str, field: str | None) -> NoReturn:
    if field:
        abort(status, message=message, errors={field: [message]})
    abort(status, message=message)


def commit() -> None:
    db_session().commit()


def locale() -> str:
    return str(get_locale())


def media_url(path: str) -> str:
    return url_for("media.serve", tenant=current_tenant().code, path=path)


def _media_urls() -> listing.MediaUrl:
    """``media_url`` with the route built once per request (a listing needs one per card;
    paths are made by ``images.MediaStore`` and need no quoting)."""
    marker = "__path__"
    base = url_for("media.serve", tenant=current_tenant().code, path=marker)
    head = base[: -len(marker)]
    return lambda path: head + path if _PLAIN_PATH.fullmatch(path) else media_url(path)


_PLAIN_PATH = re.compile(r"[A-Za-z0-9._/-]+")


def presenter() -> listing.Presenter:
    return listing.Presenter.for_request(current_tenant(), locale(), _media_urls())


def own_product(product_id: int) -> Product:
    with problems():
        return service.seller_product(db_session(), current_tenant(), own_seller_id(), product_id)


def own_variant(variant_id: int) -> Variant:
    with problems():
        return service.seller_variant(db_session(), current_tenant(), own_seller_id(), variant_id)


def seller_view(product: Product) -> dict[str, Any]:
    return presenter().detail(db_session(), product, None, owner=True)


def category_json(category: Category) -> dict[str, Any]:
    tenant = current_tenant()
    name = category.names.get(locale()) or category.names.get(tenant.default_locale) or category.slug
    return {
        "id": category.id, "slug": category.slug, "parent_id": category.parent_id,
        "position": category.position, "name": name, "names": category.names,
    }


# --- public -------------------------------------------------------------------------------------
@blp.route("/categories")
class CategoriesView(MethodView):
    @cache.cached
    @blp.response(200, CategorySchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The category tree as a list: each category names its parent."""
        return [category_json(c) for c in service.list_categories(db_session(), current_tenant())]


@blp.route("/products")
class ProductsView(MethodView):
    @cache.cached
    @blp.arguments(ListingArgsSchema, location="query")
    @blp.response(200, ListingPageSchema)
    def get(self, args: dict[str, Any]) -> Response:
        """Products for sale: filter, sort, and page with ``cursor``."""
        query = listing.ListingQuery(
            category_id=args.get("category"), seller_id=args.get("seller"), min_price=args.get("min_price"),
            max_price=args.get("max_price"), in_stock=args["in_stock"], sort=args["sort"],
            cursor=args.get("cursor"), limit=args["limit"],
        )
        with problems():
            page = listing.list_cards(db_session(), current_tenant(), query, locale())
        show = presenter()
        # Already what ListingPageSchema dumps (the schema still documents it): no dump.
        return current_app.json.response({"items": [show.card(card) for card in page.cards],
                                          "next_cursor": page.next_cursor})


@blp.route("/products/<int:product_id>")
class ProductView(MethodView):
    @cache.cached
    @blp.response(200, ProductDetailSchema)
    def get(self, product_id: int) -> Response:
        """A product for sale with its variants, stock and pictures."""
        with problems():
            answer, changes_at = presenter().public_page(db_session(), product_id)
        cache.changes_at(changes_at)
        # Already what ProductDetailSchema dumps (the schema still documents it): no dump.
        return current_app.json.response(answer)


# --- seller -------------------------------------------------------------------------------------
@blp.route("/seller/products")
class SellerProductsView(MethodView):
    @require_auth("seller")
    @blp.response(200, ProductDetailSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """The signed-in seller's latest 100 products, newest first, in every status."""
        products = service.seller_products(db_session(), current_tenant(), own_seller_id())
        return [seller_view(p) for p in products]

    @require_auth("seller")
    @blp.arguments(ProductCreateSchema)
    @blp.response(201, ProductDetailSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a draft product (approved sellers only)."""
        with problems():
            product = service.create_product(db_session(), current_tenant(), own_seller_id(), **body)
            commit()
        return seller_view(product)


@blp.route("/seller/products/<int:product_id>")
class SellerProductView(MethodView):
    @require_auth("seller")
    @blp.response(200, ProductDetailSchema)
    def get(self, product_id: int) -> dict[str, Any]:
        """One of the signed-in seller's products, with moderation state and every text."""
        return seller_view(own_product(product_id))

    @require_auth("seller")
    @blp.arguments(ProductUpdateSchema)
    @blp.response(200, ProductDetailSchema)
    def patch(self, body: dict[str, Any], product_id: int) -> dict[str, Any]:
        """Change texts, category, tax category, size or status (activation needs approval)."""
        product = own_product(product_id)
        with problems():
            service.update_product(db_session(), current_tenant(), product, **body)
            commit()
        return seller_view(product)


@blp.route("/seller/products/<int:product_id>/variants")
class SellerVariantsView(MethodView):
    @require_auth("seller")
    @blp.arguments(VariantCreateSchema)
    @blp.response(201, VariantSchema)
    def post(self, body: dict[str, Any], product_id: int) -> dict[str, Any]:
        """Add a variant (SKU) with its price and initial stock."""
        product = own_product(product_id)
        with problems():
            variant = service.add_variant(db_session(), current_tenant(), product, **body)
            commit()
        return presenter().variant(db_session(), variant, None, owner=True)


@blp.route("/seller/variants/<int:variant_id>")
class SellerVariantView(MethodView):
    @require_auth("seller")
    @blp.arguments(VariantUpdateSchema)
    @blp.response(200, VariantSchema)
    def patch(self, body: dict[str, Any], variant_id: int) -> dict[str, Any]:
        """Change a variant's price (kept in its price history), options or availability."""
        variant = own_variant(variant_id)
        with problems():
            service.update_variant(db_session(), current_tenant(), variant, **body)
            commit()
        return presenter().variant(db_session(), variant, None, owner=True)


@blp.route("/seller/variants/<int:variant_id>/stock")
class SellerStockView(MethodView):
    @require_auth("seller")
    @blp.arguments(StockSchema)
    @blp.response(200, StockAnswerSchema)
    def put(self, body: dict[str, Any], variant_id: int) -> dict[str, Any]:
        """Set the units on the shelf; never below what orders already hold."""
        variant = own_variant(variant_id)
        tenant = current_tenant()
        if not service.set_stock(db_session(), tenant, variant.id, body["on_hand"]):
            db_session().rollback()
            _abort(409, "orders already hold more units than that", "on_hand")
        commit()
        stock = variant.inventory
        return {"variant_id": variant.id, "on_hand": stock.on_hand, "reserved": stock.reserved,
                "available": stock.available}


def limit_upload(view: Callable[..., Any]) -> Callable[..., Any]:
    """Cut an upload off at the picture limit before Werkzeug reads it all (413)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        request.max_content_length = images.MAX_BYTES + _UPLOAD_SLACK
        return view(*args, **kwargs)

    return wrapper


@blp.route("/seller/products/<int:product_id>/images")
class SellerImagesView(MethodView):
    @require_auth("seller")
    @limit_upload
    @blp.arguments(ImageUploadSchema, location="files")
    @blp.response(201, ImageSchema)
    def post(self, files: dict[str, Any], product_id: int) -> dict[str, Any]:
        """Upload a picture (JPEG, PNG or WebP; at most 10 MiB and 40 megapixels)."""
        product = own_product(product_id)
        data = files["file"].read(images.MAX_BYTES + 1)
        store = images.MediaStore(images.media_root(current_app.config["PASAR"]))
        with problems():
            image = images.add_product_image(db_session(), current_tenant(), product, data, store)
            commit()
        return presenter().image(image)


# --- operator -----------------------------------------------------------------------------------
@blp.route("/operator/categories")
class OperatorCategoriesView(MethodView):
    @require_auth("operator")
    @blp.arguments(CategoryCreateSchema)
    @blp.response(201, CategorySchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Add a category (under ``parent_id``, if given)."""
        with problems():
            category = service.create_category(db_session(), current_tenant(), **body)
            commit()
        return category_json(category)


@blp.route("/operator/products/<int:product_id>/block")
class OperatorBlockView(MethodView):
    @require_auth("operator")
    @blp.arguments(BlockSchema)
    @blp.response(200, ProductDetailSchema)
    def post(self, body: dict[str, Any], product_id: int) -> dict[str, Any]:
        """Take a product off the marketplace, saying why (the seller sees the reason)."""
        with problems():
            product = service.block_product(db_session(), current_tenant(), product_id, body["reason"])
            commit()
        return seller_view(product)


@blp.route("/operator/products/<int:product_id>/unblock")
class OperatorUnblockView(MethodView):
    @require_auth("operator")
    @blp.response(200, ProductDetailSchema)
    def post(self, product_id: int) -> dict[str, Any]:
        """Let a blocked product be listed again."""
        with problems():
            product = service.unblock_product(db_session(), current_tenant(), product_id)
            commit()
        return seller_view(product)


# --- media --------------------------------------------------------------------------------------
@media_blp.route("/<tenant>/<path:path>")
@tenant_optional
def serve(tenant: str, path: str) -> Response:
    """A product picture. The tenant is in the path so an ``<img>`` works without headers."""
    resolved = g.get("tenant")
    if not _TENANT_CODE.fullmatch(tenant) or (resolved is not None and resolved.code != tenant):
        abort(404, message="no such file")
    root = images.media_root(current_app.config["PASAR"]) / tenant
    # send_from_directory refuses paths that climb out of ``root`` (404).
    return send_from_directory(root, path, max_age=31_536_000)

