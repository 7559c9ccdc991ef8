"""Schemas of the catalog endpoints.

Input schemas list only what the caller's role may set: a seller's body naming ``seller_id``,
``tenant_id``, ``reserved`` or ``moderation`` is refused (422, "Unknown field") by marshmallow's
default ``RAISE``, never silently applied. Prices travel as decimal strings.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate
from flask_smorest.fields import Upload

from pasar.catalog.listing import MAX_LIMIT, SORTS
from pasar.catalog.models import PRODUCT_STATUSES
from pasar.contracts import TAX_CATEGORIES

DECIMAL = {"type": "string", "format": "decimal"}
_SIZE = validate.Range(min=0, max=10_000)


# --- categories ---------------------------------------------------------------------------------
class CategorySchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    parent_id = fields.Integer(allow_none=True)
    position = fields.Integer()
    name = fields.String(required=True, metadata={"description": "In the request's language"})
    names = fields.Dict(keys=fields.String(), values=fields.String(), metadata={"description": "Per locale"})


class CategoryCreateSchema(Schema):
    slug = fields.String(required=True, validate=validate.Length(min=1, max=64))
    names = fields.Dict(
        keys=fields.String(), values=fields.String(validate=validate.Length(min=1, max=120)), required=True,
        metadata={"description": "Locale → name; the tenant's default locale is required"},
    )
    parent_id = fields.Integer(allow_none=True, load_default=None)
    position = fields.Integer(load_default=0, validate=validate.Range(min=0))


# --- listing ------------------------------------------------------------------------------------
class ListingArgsSchema(Schema):
    category = fields.Integer(metadata={"description": "A category id; its sub-categories are included"})
    seller = fields.Integer()
    min_price = fields.String(metadata=DECIMAL)
    max_price = fields.String(metadata=DECIMAL)
    in_stock = fields.Boolean(load_default=False)
    sort = fields.String(load_default="newest", validate=validate.OneOf(SORTS))
    cursor = fields.String(metadata={"description": "next_cursor of the previous page"})
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_LIMIT))


class ProductSummarySchema(Schema):
    id = fields.Integer(required=True)
    seller_id = fields.Integer(required=True)
    seller_name = fields.String()
    category_id = fields.Integer(allow_none=True)
    title = fields.String(required=True)
    description = fields.String()
    locale = fields.String(metadata={"description": "The language of title and description"})
    currency = fields.String(required=True)
    price = fields.String(allow_none=True, metadata={**DECIMAL, "description": "Lowest variant price"})
    price_formatted = fields.String(allow_none=True)
    in_stock = fields.Boolean()
    thumbnail_url = fields.String(allow_none=True)
    created_at = fields.DateTime()


class ListingPageSchema(Schema):
    items = fields.List(fields.Nested(ProductSummarySchema), required=True)
    next_cursor = fields.String(allow_none=True, metadata={"description": "null on the last page"})


# --- product detail -----------------------------------------------------------------------------
class VariantSchema(Schema):
    id = fields.Integer(required=True)
    sku = fields.String(required=True)
    options = fields.Dict(keys=fields.String(), values=fields.String())
    active = fields.Boolean()
    currency = fields.String()
    price = fields.String(metadata=DECIMAL)
    price_formatted = fields.String()
    prior_price = fields.String(
        allow_none=True,
        metadata={**DECIMAL, "description": "Where the law asks for it (EU), the lowest price of the days "
                  "before a reduction; null when the price was not reduced"},
    )
    prior_price_formatted = fields.String(allow_none=True)
    available = fields.Integer(metadata={"description": "Units a buyer can still take"})
    in_stock = fields.Boolean()
    on_hand = fields.Integer(metadata={"description": "Seller only"})
    reserved = fields.Integer(metadata={"description": "Seller only"})


class ImageSchema(Schema):
    id = fields.Integer(required=True)
    position = fields.Integer()
    url = fields.String()
    thumbnail_url = fields.String()
    width = fields.Integer()
    height = fields.Integer()
    content_type = fields.String()


class TextSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=20_000))


class ProductDetailSchema(ProductSummarySchema):
    status = fields.String(metadata={"enum": list(PRODUCT_STATUSES)})
    tax_category = fields.String(metadata={"enum": list(TAX_CATEGORIES)})
    weight_grams = fields.Integer()
    length_cm = fields.Integer()
    width_cm = fields.Integer()
    height_cm = fields.Integer()
    updated_at = fields.DateTime()
    variants = fields.List(fields.Nested(VariantSchema))
    images = fields.List(fields.Nested(ImageSchema))
    moderation = fields.String(metadata={"description": "Seller only", "enum": ["approved", "blocked"]})
    moderation_reason = fields.String(allow_none=True, metadata={"description": "Seller only"})
    texts = fields.Dict(keys=fields.String(), values=fields.Nested(TextSchema), metadata={"description": "Seller only"})


# --- seller input -------------------------------------------------------------------------------
def _options(**kwargs: object) -> fields.Dict:
    """Variant options: ``{"size": "M", "colour": "red"}``."""
    return fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=40)),
        values=fields.String(validate=validate.Length(min=1, max=80)),
        validate=validate.Length(max=5), **kwargs,  # type: ignore[arg-type]
    )


class ProductCreateSchema(Schema):
    texts = fields.Dict(
        keys=fields.String(), values=fields.Nested(TextSchema), required=True,
        metadata={"description": "Locale → title and description, in the tenant's locales"},
    )
    category_id = fields.Integer(allow_none=True)
    tax_category = fields.String(validate=validate.OneOf(TAX_CATEGORIES))
    weight_grams = fields.Integer(required=True, validate=validate.Range(min=0, max=1_000_000))
    length_cm = fields.Integer(validate=_SIZE)
    width_cm = fields.Integer(validate=_SIZE)
    height_cm = fields.Integer(validate=_SIZE)


class ProductUpdateSchema(ProductCreateSchema):
    texts = fields.Dict(keys=fields.String(), values=fields.Nested(TextSchema))
    weight_grams = fields.Integer(validate=validate.Range(min=0, max=1_000_000))
    status = fields.String(validate=validate.OneOf(PRODUCT_STATUSES))


class VariantCreateSchema(Schema):
    sku = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"))
    price = fields.String(required=True, metadata=DECIMAL)
    options = _options(load_default=dict)
    stock = fields.Integer(load_default=0, validate=validate.Range(min=0))
    active = fields.Boolean(load_default=True)


class VariantUpdateSchema(Schema):
    price = fields.String(metadata=DECIMAL)
    options = _options()
    active = fields.Boolean()


class StockSchema(Schema):
    on_hand = fields.Integer(required=True, validate=validate.Range(min=0))


class StockAnswerSchema(Schema):
    variant_id = fields.Integer(required=True)
    on_hand = fields.Integer(required=True)
    reserved = fields.Integer(required=True)
    available = fields.Integer(required=True)


class ImageUploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "A JPEG, PNG or WebP picture, at most 10 MiB"})


# --- operator input -----------------------------------------------------------------------------
class BlockSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
