"""Schemas of the tenant endpoints (they document the OpenAPI spec)."""
from __future__ import annotations

from marshmallow import Schema, fields

DECIMAL = {"type": "string", "format": "decimal"}


class PaymentMethodSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "In the request's language"})
    kind = fields.String(required=True)
    flow = fields.String(required=True, metadata={"enum": ["redirect", "async", "direct", "on_delivery"]})
    min_amount = fields.String(allow_none=True, metadata=DECIMAL)
    max_amount = fields.String(allow_none=True, metadata=DECIMAL)
    excluded_categories = fields.List(fields.String())


class ShippingPartnerSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    services = fields.List(fields.String())
    cash_on_delivery = fields.Boolean()


class TenantCapabilitiesSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True)
    currency = fields.String(required=True)
    locales = fields.List(fields.String(), required=True)
    timezone = fields.String(required=True)
    features = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True)
    payment_methods = fields.List(fields.Nested(PaymentMethodSchema), required=True)
    shipping_partners = fields.List(fields.Nested(ShippingPartnerSchema), required=True)
    tax_display = fields.String(required=True, metadata={"enum": ["inclusive", "exclusive"]})
    return_window_days = fields.Integer(allow_none=True)
    return_window_basis = fields.String(allow_none=True)
    prior_price_days = fields.Integer(allow_none=True)
    platform_commission = fields.String(required=True, metadata=DECIMAL)


class PluginSchema(Schema):
    name = fields.String(required=True)
    version = fields.String(required=True)
    distribution = fields.String(required=True)
    module = fields.String(required=True)
    hooks = fields.List(fields.String(), required=True)
    error = fields.String(allow_none=True)
