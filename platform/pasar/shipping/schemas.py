"""Schemas of the shipping endpoints (addresses, labels, tracking webhooks, sandbox controls)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from pasar.orders.schemas import ShipmentSchema

_LINE = validate.Length(min=1, max=200)


class SellerAddressInSchema(Schema):
    name = fields.String(required=True, validate=_LINE, metadata={"description": "The sender on the label"})
    phone = fields.String(required=True, validate=validate.Length(min=5, max=40))
    line1 = fields.String(required=True, validate=_LINE)
    line2 = fields.String(load_default="", validate=validate.Length(max=200))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    region = fields.String(load_default="", validate=validate.Length(max=100),
                           metadata={"description": "Province, state or county"})
    postal_code = fields.String(load_default="", validate=validate.Length(max=20))
    country = fields.String(validate=validate.Length(equal=2),
                            metadata={"description": "Must be the marketplace's country (the default)"})


class SellerAddressSchema(Schema):
    name = fields.String(required=True)
    phone = fields.String(required=True)
    line1 = fields.String(required=True)
    line2 = fields.String(required=True)
    city = fields.String(required=True)
    region = fields.String(required=True)
    postal_code = fields.String(required=True)
    country = fields.String(required=True)


class LabelRequestSchema(Schema):
    carrier = fields.String(validate=validate.Length(min=1, max=40),
                            metadata={"description": "Defaults to the carrier the buyer chose"})
    service = fields.String(validate=validate.Length(min=1, max=40),
                            metadata={"description": "Defaults to the service the buyer chose"})


class LabelSchema(ShipmentSchema):
    order_id = fields.Integer(required=True)


class AdvanceSchema(Schema):
    fail = fields.Boolean(load_default=False,
                          metadata={"description": "While out for delivery: nobody was home"})


class AdvanceAnswerSchema(Schema):
    tracking_number = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "The parcel's status after this scan"})
    order_status = fields.String(required=True)


class TrackingWebhookAnswerSchema(Schema):
    outcome = fields.String(required=True, metadata={"description": "applied, duplicate or stale"})
    order_id = fields.Integer(allow_none=True)

