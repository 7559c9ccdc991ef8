"""Schemas of the cart endpoints. A body may only name a variant and a quantity: a price,
seller or tenant in it is refused (422, "Unknown field") — the cart never stores a price."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from pasar.cart.service import MAX_QUANTITY
from pasar.checkout.schemas import CheckoutAmountSchema


class CartLineInSchema(Schema):
    variant_id = fields.Integer(required=True, validate=validate.Range(min=1))
    quantity = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_QUANTITY))


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
