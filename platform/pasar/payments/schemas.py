"""Schemas of the payment endpoints."""
from __future__ import annotations

from marshmallow import Schema, fields


class PaymentWebhookAnswerSchema(Schema):
    received = fields.Boolean(required=True)
    duplicate = fields.Boolean(required=True, metadata={"description": "Seen before: nothing changed"})
    payment_status = fields.String(allow_none=True)
