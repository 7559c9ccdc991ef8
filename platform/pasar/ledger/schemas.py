"""Ledger API schemas: statements, payouts, the trial balance. Amounts are decimal strings at
the currency's ISO exponent, each next to its currency code."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

DECIMAL = {"type": "string", "format": "decimal"}


def decimal_field(description: str) -> fields.Decimal:
    return fields.Decimal(as_string=True, metadata={**DECIMAL, "description": description})


class StatementQuerySchema(Schema):
    start = fields.Date(
        data_key="from", load_default=None,
        metadata={"description": "first day, in the marketplace's time zone (default: 30 days before `to`)"},
    )
    end = fields.Date(
        data_key="to", load_default=None,
        metadata={"description": "last day, inclusive, in the marketplace's time zone (default: today)"},
    )


class StatementLineSchema(Schema):
    occurred_at = fields.DateTime()
    kind = fields.String(metadata={"description": "order_completed, refund, payout, payout_failed, ..."})
    reference = fields.String()
    memo = fields.String()
    amount = decimal_field("+ owed to you more, − paid out to you or given back")
    balance = decimal_field("what the marketplace owes you after this line (negative: you owe it)")


class StatementSchema(Schema):
    owner_type = fields.String()
    owner_id = fields.Integer()
    currency = fields.String()
    start = fields.Date(data_key="from")
    end = fields.Date(data_key="to")
    opening = decimal_field("balance owed to you at the start of `from`")
    closing = decimal_field("balance owed to you at the end of `to`")
    lines = fields.List(fields.Nested(StatementLineSchema))


class PayoutQuerySchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class PayoutSchema(Schema):
    id = fields.Integer()
    batch = fields.String(metadata={"description": "the batch reference, e.g. the local date"})
    reference = fields.String()
    status = fields.String(metadata={"description": "pending, processing, paid, failed or skipped"})
    amount = decimal_field("amount sent")
    currency = fields.String()
    provider = fields.String()
    provider_ref = fields.String(allow_none=True)
    failure_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()
    settled_at = fields.DateTime(allow_none=True)


class TrialBalanceRowSchema(Schema):
    code = fields.String()
    kind = fields.String(metadata={"description": "asset, liability, revenue or expense"})
    currency = fields.String()
    debit = decimal_field("sum of debits")
    credit = decimal_field("sum of credits")
    balance = decimal_field("debit − credit")


class CurrencyTotalSchema(Schema):
    currency = fields.String()
    debit = decimal_field("sum of debits")
    credit = decimal_field("sum of credits")
    net = decimal_field("debit − credit: zero in a sound ledger")


class TrialBalanceSchema(Schema):
    balanced = fields.Boolean(metadata={"description": "every currency nets to zero"})
    accounts = fields.List(fields.Nested(TrialBalanceRowSchema))
    currencies = fields.List(fields.Nested(CurrencyTotalSchema))


class PayoutWebhookAnswerSchema(Schema):
    payout = fields.String(metadata={"description": "our payout reference"})
    status = fields.String(metadata={"description": "the payout's status"})
