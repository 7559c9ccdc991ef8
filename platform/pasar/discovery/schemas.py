"""Schemas of the discovery endpoints: search, the shopping tab and the For You feed."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from pasar.deals.schemas import DealSchema
from pasar.catalog.schemas import CategorySchema, ProductSummarySchema
from pasar.discovery.feed import MAX_FEED_LIMIT
from pasar.discovery.search import MAX_LIMIT, MAX_QUERY


class SearchArgsSchema(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=MAX_QUERY),
                      metadata={"description": "Words to find in titles and descriptions, any language"})
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_LIMIT))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0),
                            metadata={"description": "next_offset of the previous page"})


class SearchPageSchema(Schema):
    items = fields.List(fields.Nested(ProductSummarySchema), required=True,
                        metadata={"description": "Best match first"})
    next_offset = fields.Integer(allow_none=True)


class ShopSearchSchema(Schema):
    endpoint = fields.String(required=True)
    parameter = fields.String(required=True)


class ShopTabSchema(Schema):
    categories = fields.List(fields.Nested(CategorySchema), required=True)
    deals = fields.List(fields.Nested(DealSchema), required=True, metadata={"description": "Deals running now"})
    search = fields.Nested(ShopSearchSchema, required=True)
    recommendations = fields.List(fields.Nested(ProductSummarySchema), required=True)


class FeedArgsSchema(Schema):
    cursor = fields.String(metadata={"description": "next_cursor of the previous page"})
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_FEED_LIMIT))


class FeedItemSchema(Schema):
    kind = fields.String(required=True, metadata={"description": "product, video, live or sponsored"})
    id = fields.Integer(required=True, metadata={"description": "The id of the product, video or live session"})
    seller_id = fields.Integer(allow_none=True)
    creator_id = fields.Integer(allow_none=True)
    product_id = fields.Integer(allow_none=True)
    score = fields.Float(required=True)
    explanation = fields.String(required=True, metadata={"description": "Why this item is shown"})
    sponsored = fields.Boolean(required=True)
    product = fields.Nested(ProductSummarySchema, allow_none=True)


class FeedPageSchema(Schema):
    items = fields.List(fields.Nested(FeedItemSchema), required=True)
    next_cursor = fields.String(allow_none=True)
