"""Schemas of the deals endpoints. A seller sets only the deal's terms: ``claimed``,
``status`` or ``seller_id`` in a body are refused (422, unknown field). Prices are decimal
strings; times are ISO 8601 with an offset."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from pasar.deals.models import DEAL_KINDS, DEAL_STATUSES

DECIMAL = {"type": "string", "format": "decimal"}
_COUNT = validate.Range(min=1, max=100_000)


class DealCreateSchema(Schema):
    variant_id = fields.Integer(required=True, validate=validate.Range(min=1))
    kind = fields.String(required=True, validate=validate.OneOf(DEAL_KINDS))
    price = fields.String(required=True, metadata={**DECIMAL, "description": "The deal price"})
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    quota = fields.Integer(required=True, validate=_COUNT, metadata={"description": "Units held for the deal"})
    per_buyer_limit = fields.Integer(required=True, validate=_COUNT)
    live_session_id = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(min=1),
                                     metadata={"description": "The live session a live deal runs in"})


class DealSchema(Schema):
    id = fields.Integer(required=True)
    seller_id = fields.Integer(required=True)
    variant_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(DEAL_KINDS))
    live_session_id = fields.Integer(allow_none=True)
    price = fields.String(required=True, metadata=DECIMAL)
    price_formatted = fields.String(required=True)
    regular_price = fields.String(allow_none=True, metadata=DECIMAL)
    currency = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    quota = fields.Integer(required=True)
    per_buyer_limit = fields.Integer(required=True)
    claimed = fields.Integer(required=True)
    left = fields.Integer(required=True, metadata={"description": "Units still to be had at the deal price"})
    status = fields.String(required=True, validate=validate.OneOf(DEAL_STATUSES))
    released = fields.Integer(allow_none=True, metadata={"description": "Units given back to stock at the end"})
