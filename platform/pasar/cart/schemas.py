"""Schemas of the cart endpoints. A body may only name a variant, a quantity and the live room
it is bought in: a price, seller or tenant in it is refused (422, "Unknown field") — the cart
never stores a price."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from pasar.cart.service import LINE_SOURCES, MAX_QUANTITY
from pasar.checkout.schemas import CheckoutAmountSchema


class CartLineInSchema(Schema):
    variant_id = fields.Integer(required=True, validate=validate.Range(min=1))
    quantity = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_QUANTITY))
    source_kind = fields.String(validate=validate.OneOf(LINE_SOURCES), metadata={
        "description": "Where it is bought: live = in the live room source_id (on air, showing the product); "
                       "the order is attributed to the room and its host, and the room's live deals apply"})
    source_id = fields.Integer(validate=validate.Range(min=1), metadata={"description": "The live session's id"})

    @validates_schema
    def _source_whole(self, data: dict[str, Any], **_: Any) -> None:
        if ("source_kind" in data) != ("source_id" in data):
            missing = "source_id" if "source_kind" in data else "source_kind"
            raise ValidationError("source_kind and source_id go together", missing)


class CartLineUpdateSchema(Schema):
    quantity = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_QUANTITY))


class CartLineSchema(Schema):
    id = fields.Integer(required=True)
    variant_id = fields.Integer(required=True)
    product_id = fields.Integer(allow_none=True)
    sku = fields.String(allow_none=True)
    title = fields.String(metadata={"description": "In the request's language"})
    quantity = fields.Integer(required=True)
    available = fields.Integer(metadata={"description": "Units a buyer can still take"})
    for_sale = fields.Boolean(metadata={"description": "False: remove the line before checking out"})
    live_session_id = fields.Integer(allow_none=True, metadata={"description": "The live room it was added in"})
    unit_price = fields.Nested(CheckoutAmountSchema, allow_none=True, metadata={"description": "Today's price"})
    line_total = fields.Nested(CheckoutAmountSchema, allow_none=True)


class CartGroupSchema(Schema):
    seller_id = fields.Integer(required=True)
    seller_name = fields.String()
    lines = fields.List(fields.Nested(CartLineSchema))
    subtotal = fields.Nested(CheckoutAmountSchema)


class CartSchema(Schema):
    currency = fields.String()
    groups = fields.List(fields.Nested(CartGroupSchema), metadata={"description": "One per shop"})
    item_count = fields.Integer()
    subtotal = fields.Nested(CheckoutAmountSchema)
