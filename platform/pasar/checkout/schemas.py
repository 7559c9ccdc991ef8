"""Schemas of the checkout and voucher endpoints.

Input schemas name only what the caller may choose: an address, shipping choices, voucher
codes, a payment method (and, to place, what the payment method needs, e.g. a sandbox card
number — passed to the gateway, never stored). Prices, statuses, seller or tenant ids in a
body are refused (422, "Unknown field"): prices are always read from the catalogue.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from pasar.checkout.models import VOUCHER_KINDS

DECIMAL = {"type": "string", "format": "decimal"}
_TEXT = validate.Length(max=200)


class CheckoutAmountSchema(Schema):
    minor = fields.Integer(required=True, metadata={"description": "Integer minor units (ISO 4217 exponent)"})
    amount = fields.String(required=True, metadata=DECIMAL)
    currency = fields.String(required=True)
    formatted = fields.String(required=True, metadata={"description": "In the request's locale"})


# --- requests ------------------------------------------------------------------------------------
class ShippingAddressSchema(Schema):
    """The fields of ``pasar.contracts.Address``; ``region`` is the state where tax needs it (US)."""

    country = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z]{2}$", error="an ISO 3166 code like GB"))
    postal_code = fields.String(load_default="", validate=validate.Length(max=20))
    region = fields.String(load_default="", validate=validate.Length(max=100))
    city = fields.String(load_default="", validate=validate.Length(max=100))
    line1 = fields.String(load_default="", validate=_TEXT)
    line2 = fields.String(load_default="", validate=_TEXT)
    name = fields.String(load_default="", validate=_TEXT)
    phone = fields.String(load_default="", validate=validate.Length(max=40))


class DeliveryAddressSchema(ShippingAddressSchema):
    """An address a parcel can be delivered to: who, street and city are required."""

    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    line1 = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ShippingChoiceSchema(Schema):
    seller_id = fields.Integer(required=True, metadata={"description": "The shop whose parcel this is"})
    carrier = fields.String(required=True, validate=validate.Length(min=1, max=40))
    service = fields.String(required=True, validate=validate.Length(min=1, max=40))


class QuoteRequestSchema(Schema):
    shipping_address = fields.Nested(ShippingAddressSchema, required=True)
    shipping = fields.List(fields.Nested(ShippingChoiceSchema), load_default=list,
                           metadata={"description": "Per shop; the cheapest option when left out"})
    vouchers = fields.List(fields.String(validate=validate.Length(min=1, max=40)), load_default=list)
    payment_method = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=40))


class PlaceRequestSchema(QuoteRequestSchema):
    shipping_address = fields.Nested(DeliveryAddressSchema, required=True)
    payment_method = fields.String(required=True, validate=validate.Length(min=1, max=40))
    payment_details = fields.Dict(
        keys=fields.String(validate=validate.Length(max=40)), values=fields.String(validate=validate.Length(max=100)),
        load_default=dict, metadata={"description": "What the method needs, e.g. card_number; never stored"},
    )


class ReturnArgsSchema(Schema):
    payment = fields.String(metadata={"description": "The payment reference the provider's page sends back"})
    status = fields.String(metadata={"description": "What the provider's page says; informative only"})


# --- quote answer --------------------------------------------------------------------------------
class QuoteLineSchema(Schema):
    cart_line_id = fields.Integer()
    variant_id = fields.Integer()
    product_id = fields.Integer()
    sku = fields.String()
    title = fields.String()
    quantity = fields.Integer()
    tax_category = fields.String()
    unit_price = fields.Nested(CheckoutAmountSchema)
    subtotal = fields.Nested(CheckoutAmountSchema)
    discount = fields.Nested(CheckoutAmountSchema, metadata={"description": "This line's share of the vouchers"})
    tax = fields.Nested(CheckoutAmountSchema)
    tax_rate = fields.String(metadata=DECIMAL)
    total = fields.Nested(CheckoutAmountSchema)


class ShippingOptionSchema(Schema):
    carrier = fields.String()
    service = fields.String()
    amount = fields.Nested(CheckoutAmountSchema)
    min_days = fields.Integer()
    max_days = fields.Integer()
    selected = fields.Boolean()


class ShippingPickSchema(Schema):
    carrier = fields.String()
    service = fields.String()
    amount = fields.Nested(CheckoutAmountSchema)
    min_days = fields.Integer()
    max_days = fields.Integer()


class GroupTotalsSchema(Schema):
    subtotal = fields.Nested(CheckoutAmountSchema)
    seller_discount = fields.Nested(CheckoutAmountSchema)
    platform_discount = fields.Nested(CheckoutAmountSchema)
    shipping = fields.Nested(CheckoutAmountSchema)
    tax = fields.Nested(CheckoutAmountSchema)
    tax_added = fields.Nested(CheckoutAmountSchema, metadata={"description": "Tax added on top (exclusive prices)"})
    total = fields.Nested(CheckoutAmountSchema)


class QuoteGroupSchema(Schema):
    seller_id = fields.Integer()
    seller_name = fields.String()
    lines = fields.List(fields.Nested(QuoteLineSchema))
    shipping_options = fields.List(fields.Nested(ShippingOptionSchema))
    shipping = fields.Nested(ShippingPickSchema, allow_none=True)
    tax_included = fields.Boolean()
    tax_collected_by = fields.String()
    totals = fields.Nested(GroupTotalsSchema)


class AppliedVoucherSchema(Schema):
    code = fields.String()
    scope = fields.String()
    seller_id = fields.Integer(allow_none=True)
    discount = fields.Nested(CheckoutAmountSchema)


class QuoteTotalsSchema(Schema):
    subtotal = fields.Nested(CheckoutAmountSchema)
    discount = fields.Nested(CheckoutAmountSchema)
    shipping = fields.Nested(CheckoutAmountSchema)
    tax = fields.Nested(CheckoutAmountSchema)
    tax_added = fields.Nested(CheckoutAmountSchema)
    total = fields.Nested(CheckoutAmountSchema)


class AllowedMethodSchema(Schema):
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    flow = fields.String()


class QuoteSchema(Schema):
    currency = fields.String()
    groups = fields.List(fields.Nested(QuoteGroupSchema))
    vouchers = fields.List(fields.Nested(AppliedVoucherSchema))
    totals = fields.Nested(QuoteTotalsSchema)
    payment_methods = fields.List(fields.Nested(AllowedMethodSchema), metadata={"description": "Allowed for this basket"})
    payment_method = fields.String(allow_none=True)
    cash_total = fields.Nested(CheckoutAmountSchema, allow_none=True, metadata={"description": "Cash on delivery: what the courier collects"})


# --- placed checkout -----------------------------------------------------------------------------
class PaymentActionSchema(Schema):
    type = fields.String(metadata={"description": "redirect | instructions | cash_on_delivery | wait | none"})
    redirect_url = fields.String()
    instructions = fields.Dict(keys=fields.String(), values=fields.String())
    expires_at = fields.String(allow_none=True)
    sandbox_url = fields.String(allow_none=True)
    amount = fields.Nested(CheckoutAmountSchema)


class PaymentSchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    method = fields.String()
    status = fields.String()
    outcome_unknown = fields.Boolean()
    amount = fields.Nested(CheckoutAmountSchema)
    failure_reason = fields.String(allow_none=True)
    action = fields.Nested(PaymentActionSchema)


class PlacedOrderLineSchema(Schema):
    variant_id = fields.Integer()
    sku = fields.String()
    title = fields.String()
    quantity = fields.Integer()
    unit_price = fields.Nested(CheckoutAmountSchema)
    discount = fields.Nested(CheckoutAmountSchema)
    tax = fields.Nested(CheckoutAmountSchema)
    tax_rate = fields.String(metadata=DECIMAL)


class PlacedOrderSchema(Schema):
    id = fields.Integer()
    seller_id = fields.Integer()
    status = fields.String()
    carrier = fields.String()
    shipping_service = fields.String()
    tax_included = fields.Boolean()
    lines = fields.List(fields.Nested(PlacedOrderLineSchema))
    subtotal = fields.Nested(CheckoutAmountSchema)
    discount = fields.Nested(CheckoutAmountSchema)
    shipping = fields.Nested(CheckoutAmountSchema)
    tax = fields.Nested(CheckoutAmountSchema)
    total = fields.Nested(CheckoutAmountSchema)


class CheckoutTotalsSchema(Schema):
    subtotal = fields.Nested(CheckoutAmountSchema)
    discount = fields.Nested(CheckoutAmountSchema)
    shipping = fields.Nested(CheckoutAmountSchema)
    tax_added = fields.Nested(CheckoutAmountSchema)
    total = fields.Nested(CheckoutAmountSchema)


class CheckoutSchema(Schema):
    checkout_id = fields.Integer()
    status = fields.String()
    currency = fields.String()
    created_at = fields.String()
    expires_at = fields.String(allow_none=True)
    vouchers = fields.List(fields.String())
    orders = fields.List(fields.Nested(PlacedOrderSchema))
    totals = fields.Nested(CheckoutTotalsSchema)
    payment = fields.Nested(PaymentSchema, allow_none=True)


# --- vouchers ------------------------------------------------------------------------------------
class VoucherInSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=3, max=40))
    kind = fields.String(required=True, validate=validate.OneOf(VOUCHER_KINDS))
    value = fields.String(required=True, metadata={**DECIMAL, "description": "Percent off, or the amount off"})
    min_spend = fields.String(load_default=None, allow_none=True, metadata=DECIMAL)
    max_discount = fields.String(load_default=None, allow_none=True, metadata={**DECIMAL, "description": "Percent vouchers"})
    valid_from = fields.AwareDateTime(load_default=None, allow_none=True)
    valid_to = fields.AwareDateTime(load_default=None, allow_none=True)
    usage_limit = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    per_buyer_limit = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))


class VoucherSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    scope = fields.String()
    seller_id = fields.Integer(allow_none=True)
    kind = fields.String()
    percent = fields.String(allow_none=True, metadata=DECIMAL)
    amount = fields.Nested(CheckoutAmountSchema, allow_none=True)
    min_spend = fields.Nested(CheckoutAmountSchema)
    max_discount = fields.Nested(CheckoutAmountSchema, allow_none=True)
    valid_from = fields.DateTime(allow_none=True)
    valid_to = fields.DateTime(allow_none=True)
    usage_limit = fields.Integer(allow_none=True)
    per_buyer_limit = fields.Integer(allow_none=True)
    used_count = fields.Integer()
    active = fields.Boolean()
