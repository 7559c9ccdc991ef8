"""Schemas of the order endpoints.

Money goes out as ``{"amount": "12.50", "currency": "GBP", "formatted": "£12.50"}``: the
amount a decimal string (exact; never a float), the formatted text in the request's language.
Input schemas accept only what the caller may set (unknown fields are a 422).
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from pasar.orders.models import ORDER_STATUSES

_DECIMAL = {"type": "string", "format": "decimal"}
_REASON = validate.Length(min=1, max=500)


# --- input --------------------------------------------------------------------------------------
class PageArgsSchema(Schema):
    before = fields.Integer(validate=validate.Range(min=1),
                            metadata={"description": "The next_before of the previous page"})
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class SellerPageArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(ORDER_STATUSES))


class CancelSchema(Schema):
    reason = fields.String(load_default="cancelled by the buyer", validate=_REASON)


class SellerCancelSchema(Schema):
    reason = fields.String(required=True, validate=_REASON,
                           metadata={"description": "Shown to the buyer"})


# --- output -------------------------------------------------------------------------------------
class MoneySchema(Schema):
    amount = fields.String(required=True, metadata=_DECIMAL)
    currency = fields.String(required=True)
    formatted = fields.String(required=True, metadata={"description": "In the request's language"})


class LineSchema(Schema):
    id = fields.Integer(required=True)
    product_id = fields.Integer(required=True)
    variant_id = fields.Integer(required=True)
    sku = fields.String(required=True)
    title = fields.String(required=True)
    quantity = fields.Integer(required=True)
    refunded_quantity = fields.Integer(required=True)
    unit_price = fields.Nested(MoneySchema, required=True)
    discount = fields.Nested(MoneySchema, required=True)
    tax = fields.Nested(MoneySchema, required=True)
    tax_rate = fields.String(required=True, metadata=_DECIMAL)
    total = fields.Nested(MoneySchema, required=True, metadata={"description": "unit price × quantity − discount"})


class TotalsSchema(Schema):
    subtotal = fields.Nested(MoneySchema, required=True)
    seller_discount = fields.Nested(MoneySchema, required=True)
    platform_discount = fields.Nested(MoneySchema, required=True)
    shipping = fields.Nested(MoneySchema, required=True)
    tax = fields.Nested(MoneySchema, required=True)
    tax_included = fields.Boolean(required=True, metadata={"description": "Tax inside the prices, or added on top"})
    tax_collected_by = fields.String(required=True, metadata={"description": "seller, or marketplace (facilitator)"})
    total = fields.Nested(MoneySchema, required=True, metadata={"description": "What the buyer pays for this order"})


class HistorySchema(Schema):
    from_status = fields.String(required=True)
    to_status = fields.String(required=True)
    actor = fields.String(required=True, attribute="actor_kind")
    reason = fields.String(allow_none=True)
    at = fields.DateTime(required=True)


class TrackingSchema(Schema):
    status = fields.String(required=True)
    occurred_at = fields.DateTime(required=True)
    location = fields.String(required=True)


class ShipmentSchema(Schema):
    id = fields.Integer(required=True)
    carrier = fields.String(required=True)
    service = fields.String(required=True)
    tracking_number = fields.String(required=True)
    label_url = fields.String(required=True)
    status = fields.String(required=True)
    cost = fields.Nested(MoneySchema, required=True, metadata={"description": "What the label cost the seller"})
    cash_on_delivery = fields.Nested(MoneySchema, allow_none=True)
    timeline = fields.List(fields.Nested(TrackingSchema), required=True)


class ReturnWindowSchema(Schema):
    deadline = fields.DateTime(allow_none=True, metadata={"description": "Delivery + the return window"})
    days = fields.Integer(allow_none=True, metadata={"description": "The window's length by the rules in force"})
    open = fields.Boolean(required=True, metadata={"description": "Whether a return may be requested now"})


class OrderSummarySchema(Schema):
    id = fields.Integer(required=True)
    checkout_id = fields.Integer(required=True)
    seller_id = fields.Integer(required=True)
    status = fields.String(required=True)
    total = fields.Nested(MoneySchema, required=True)
    items = fields.Integer(required=True, metadata={"description": "Units ordered"})
    payment_method = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class OrderSchema(OrderSummarySchema):
    buyer_id = fields.Integer(required=True)
    lines = fields.List(fields.Nested(LineSchema), required=True)
    totals = fields.Nested(TotalsSchema, required=True)
    carrier = fields.String(required=True)
    shipping_service = fields.String(required=True)
    shipping_address = fields.Dict(required=True)
    history = fields.List(fields.Nested(HistorySchema), required=True)
    shipment = fields.Nested(ShipmentSchema, allow_none=True)
    return_window = fields.Nested(ReturnWindowSchema, required=True)
    paid_at = fields.DateTime(allow_none=True)
    shipped_at = fields.DateTime(allow_none=True)
    delivered_at = fields.DateTime(allow_none=True)
    completed_at = fields.DateTime(allow_none=True)


class OrderPageSchema(Schema):
    items = fields.List(fields.Nested(OrderSummarySchema), required=True)
    next_before = fields.Integer(allow_none=True, metadata={"description": "Pass as ?before= for the next page"})

