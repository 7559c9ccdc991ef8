"""Schemas of the return endpoints. The buyer chooses lines, quantities, a reason and (cash on
delivery) a bank account; nothing else (the refund amount is computed, never sent)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from pasar.orders.schemas import MoneySchema
from pasar.returns.models import RETURN_STATUSES

_REASON = validate.Length(min=1, max=500)


class WantedLineSchema(Schema):
    line_id = fields.Integer(required=True, metadata={"description": "An id of the order's lines"})
    quantity = fields.Integer(required=True, validate=validate.Range(min=1))


class RefundAccountSchema(Schema):
    holder = fields.String(required=True, validate=validate.Length(min=1, max=200))
    number = fields.String(required=True, validate=validate.Length(min=1, max=64))
    bank_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=32))
    country = fields.String(load_default=None, allow_none=True, validate=validate.Length(equal=2))


class ReturnInSchema(Schema):
    lines = fields.List(fields.Nested(WantedLineSchema), required=True, validate=validate.Length(min=1))
    reason = fields.String(required=True, validate=_REASON)
    bank_account = fields.Nested(RefundAccountSchema, load_default=None, allow_none=True,
                                 metadata={"description": "Cash on delivery only: where the refund goes"})


class WithdrawalInSchema(Schema):
    lines = fields.List(fields.Nested(WantedLineSchema), load_default=list,
                        metadata={"description": "Omit to withdraw from the whole order"})
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500),
                           metadata={"description": "Optional: a withdrawal needs no reason"})
    bank_account = fields.Nested(RefundAccountSchema, load_default=None, allow_none=True)


class ConfirmInSchema(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=100))


class RejectInSchema(Schema):
    reason = fields.String(required=True, validate=_REASON, metadata={"description": "Shown to the buyer"})


class SellerReturnArgsSchema(Schema):
    status = fields.String(validate=validate.OneOf([s for s in RETURN_STATUSES if s != "pending_confirmation"]))


class ReturnLineSchema(Schema):
    line_id = fields.Integer(required=True)
    variant_id = fields.Integer(required=True)
    quantity = fields.Integer(required=True)
    refund = fields.Nested(MoneySchema, required=True)


class ReturnSchema(Schema):
    id = fields.Integer(required=True)
    order_id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"description": "withdrawal (statutory) or return"})
    status = fields.String(required=True)
    reason = fields.String(allow_none=True)
    rejection_reason = fields.String(allow_none=True)
    refund = fields.Nested(MoneySchema, required=True)
    shipping_refund = fields.Nested(MoneySchema, required=True)
    lines = fields.List(fields.Nested(ReturnLineSchema), required=True)
    requested_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    received_at = fields.DateTime(allow_none=True)
    refunded_at = fields.DateTime(allow_none=True)


class DeclaredSchema(Schema):
    confirmation_token = fields.String(required=True, metadata={"description": "Send it to .../withdrawal/confirm"})
    expires_at = fields.DateTime(required=True)
    withdrawal = fields.Nested(ReturnSchema, required=True)


class AcknowledgedSchema(Schema):
    acknowledged_at = fields.DateTime(required=True, metadata={"description": "When the withdrawal took effect"})
    withdrawal = fields.Nested(ReturnSchema, required=True)
