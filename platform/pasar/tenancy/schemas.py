"""Schemas of the tenant endpoints (they document the OpenAPI spec)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

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


class FeatureSwitchSchema(Schema):
    name = fields.String(required=True)
    enabled = fields.Boolean(required=True, metadata={"description": "In force now"})
    allowed = fields.Boolean(required=True, metadata={"description": "The tenant's plugins allow it here"})
    in_file = fields.Boolean(required=True, metadata={"description": "The tenant file switches it on"})
    override = fields.Boolean(allow_none=True, metadata={"description": "An operator's switch; null: the file decides"})
    note = fields.String(required=True, metadata={"description": "The plugin's explanation, if any"})


class FeatureChangeSchema(Schema):
    id = fields.Integer(required=True)
    feature = fields.String(required=True)
    old_enabled = fields.Boolean(required=True)
    new_enabled = fields.Boolean(required=True)
    reason = fields.String(required=True)
    operator_id = fields.Integer(required=True)
    operator_email = fields.String(required=True)
    at = fields.DateTime(required=True)


class TenantFeaturesSchema(Schema):
    tenant = fields.String(required=True)
    features = fields.List(fields.Nested(FeatureSwitchSchema), required=True)
    changes = fields.List(fields.Nested(FeatureChangeSchema), required=True,
                          metadata={"description": "The audit log, newest first"})


class FeatureSwitchesInSchema(Schema):
    features = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True,
                           metadata={"description": "Feature name → on/off; features not named keep their state"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500),
                           metadata={"description": "Why: kept in the audit log"})
