"""The stored form of a sandbox payment: checks on a new request, on a state change, and the
conversion of stored records into the contract's values."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pasar.contracts import PaymentIntent, PaymentMethod, PaymentRequest, RefundResult
from pasar.sandbox._common import decimal_text, parse_iso

Record = dict[str, Any]


def check_request(method: PaymentMethod, request: PaymentRequest) -> None:
    """Refuse what the real provider would refuse, naming the problem."""
    if request.currency not in method.currencies:
        allowed = ", ".join(method.currencies)
        raise ValueError(f"{method.code} does not accept {request.currency} (accepts: {allowed})")
    if method.countries and request.country not in method.countries:
        raise ValueError(f"{method.code} is not offered in {request.country}")
    if request.amount <= 0:
        raise ValueError(f"amount must be positive, got {request.amount}")
    if method.min_amount is not None and request.amount < method.min_amount:
        raise ValueError(
            f"amount {request.amount} {request.currency} is below the {method.code} minimum "
            f"of {method.min_amount}"
        )
    if method.max_amount is not None and request.amount > method.max_amount:
        raise ValueError(
            f"amount {request.amount} {request.currency} is above the {method.code} maximum "
            f"of {method.max_amount}"
        )


def fingerprint(request: PaymentRequest) -> Record:
    """What must not change when a request is retried with the same key."""
    return {
        "reference": request.reference,
        "amount": decimal_text(request.amount),
        "currency": request.currency,
        "method": request.method,
    }


def require_status(record: Record, status: str, action: str) -> None:
    """Refuse an action in the wrong state, as a real API answers 409 Conflict."""
    if record["status"] != status:
        raise ValueError(
            f"payment {record['provider_ref']} is {record['status']}, not {status}: it cannot "
            f"be {action}"
        )


def require_flow(record: Record, flow: str) -> None:
    """Refuse a sandbox control that makes no sense for this kind of payment."""
    if record["flow"] != flow:
        raise ValueError(
            f"payment {record['provider_ref']} uses the {record['flow']} flow, not {flow}"
        )


def to_intent(record: Record) -> PaymentIntent:
    """The stored payment as the contract's value."""
    expires_at = record["expires_at"]
    return PaymentIntent(
        provider_ref=record["provider_ref"],
        status=record["status"],
        amount=Decimal(record["amount"]),
        currency=record["currency"],
        redirect_url=record["redirect_url"],
        instructions=dict(record["instructions"]),
        expires_at=parse_iso(expires_at) if expires_at else None,
        failure_reason=record["failure_reason"],
    )


def to_refund_result(refund: Record) -> RefundResult:
    """The stored refund as the contract's value."""
    return RefundResult(
        provider_ref=refund["provider_ref"],
        refund_ref=refund["refund_ref"],
        amount=Decimal(refund["amount"]),
        status=refund["status"],
    )
