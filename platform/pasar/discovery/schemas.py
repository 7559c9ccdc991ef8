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


class FeedVideoSchema(Schema):
    id = fields.Integer(required=True)
    author_kind = fields.String(required=True, metadata={"description": "seller or creator"})
    author_name = fields.String(required=True)
    caption = fields.String(required=True)
    cover_url = fields.String(allow_none=True)
    media_url = fields.String(required=True)
    anchors = fields.List(fields.Nested(ProductSummarySchema), required=True,
                          metadata={"description": "The products linked under the video, in order"})


class FeedLiveSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    host_kind = fields.String(required=True, metadata={"description": "seller or creator"})
    host_name = fields.String(required=True)
    viewers = fields.Integer(required=True, metadata={"description": "Watching now"})
    started_at = fields.DateTime(allow_none=True)
    events = fields.String(required=True, metadata={"description": "The room's Server-Sent Events stream"})


class FeedItemSchema(Schema):
    kind = fields.String(required=True, metadata={"description": "product, video or live"})
    id = fields.Integer(required=True, metadata={"description": "The id of the product, video or live session"})
    seller_id = fields.Integer(allow_none=True)
    creator_id = fields.Integer(allow_none=True)
    product_id = fields.Integer(allow_none=True, metadata={
        "description": "The product, a video's first anchored product, a live's pinned product"})
    score = fields.Float(required=True)
    live = fields.Boolean(required=True, metadata={"description": "On air now"})
    sponsored = fields.Boolean(required=True, metadata={"description": "A paid slot (labelled as such)"})
    click_token = fields.String(allow_none=True, metadata={
        "description": "Sponsored items: send it to the ads click endpoint when the buyer taps the item"})
    explanation = fields.String(required=True, metadata={"description": "Why this item is shown, in the buyer's language"})
    explanation_code = fields.String(allow_none=True, metadata={
        "description": "category, seller, creator, popularity, freshness, live or sponsored; null for a plugin "
                       "ranker's own words"})
    explanation_params = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": "The names in the explanation, e.g. {\"creator\": \"Sari\"}"})
    product = fields.Nested(ProductSummarySchema, allow_none=True)
    video = fields.Nested(FeedVideoSchema, allow_none=True)
    live_session = fields.Nested(FeedLiveSchema, allow_none=True)


class FeedPageSchema(Schema):
    items = fields.List(fields.Nested(FeedItemSchema), required=True)
    next_cursor = fields.String(allow_none=True)
