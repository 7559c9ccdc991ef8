"""Placing a checkout end to end, once per Idempotency-Key, in the order that keeps money and
stock safe.

1. Claim the key (``idempotency``): only the first request with it does the work.
2. One write transaction: price the cart again, reserve stock, write the checkout, one order
   per shop with their lines (each credited to the creator whose click led to it,
   ``pasar.creators``), the voucher redemptions and the payment row; commit.
3. No transaction open: create the payment at the gateway with the key
   ``checkout-<id>`` (a sandbox may send its webhook before it even answers; the webhook
   finds the payment by its reference). A timeout — or any crash from here on — leaves the
   payment pending with its outcome unknown for reconciliation; the orders are never lost. A
   refused payment (declined card) fails the checkout, cancels its orders, gives stock back.
4. Answer from what step 2 wrote, with one read for what the payment moved since; keep the
   answer with the key: ``201`` with the payment's next action, or ``402`` when the payment
   failed.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select

from pasar.checkout import idempotency, service
from pasar.checkout.amounts import Amounts
from pasar.checkout.errors import CheckoutError, Conflict, InvalidCheckout
from pasar.checkout.presenting import checkout_json
from pasar.checkout.problems import from_error, problem_body
from pasar.orders.models import Checkout, Order
from pasar.payments import service as payments
from pasar.payments.gateways import Providers
from pasar.payments.models import Payment
from pasar.tenancy.service import TenantContext

KEY_FIELD = "Idempotency-Key"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any]
    replayed: bool = False


def place_once(providers: Providers, tenant: TenantContext, placement: service.Placement, *,
               details: Mapping[str, str]) -> Outcome:
    """The answer for this key: the stored one, or the work done now and stored.

    Raises ``Conflict`` (409) while another request with the key is running and
    ``InvalidCheckout`` (422) when the key was used with another body.
    """
    db, buyer, key = providers.db, placement.buyer, placement.idempotency_key
    claim = idempotency.claim(db, tenant.id, buyer.id, key, placement.request_hash)
    if claim.outcome == "stale":
        recovered = _recover(providers, tenant, placement)
        if recovered is not None:
            idempotency.finish(db, tenant.id, claim.record_id, recovered.status, recovered.body)
            return recovered
        idempotency.abandon(db, tenant.id, claim.record_id)
        claim = idempotency.claim(db, tenant.id, buyer.id, key, placement.request_hash)
    if claim.outcome == "replay":
        assert claim.response_status is not None and claim.response_body is not None
        return Outcome(claim.response_status, claim.response_body, replayed=True)
    if claim.outcome in ("in_flight", "stale"):
        raise Conflict("a request with this Idempotency-Key is still being processed; retry shortly", KEY_FIELD)
    if claim.outcome == "mismatch":
        raise InvalidCheckout("this Idempotency-Key was used with another request body", KEY_FIELD)
    try:
        status, body = place(providers, tenant, placement, details=details)
    except BaseException:
        idempotency.abandon(db, tenant.id, claim.record_id)
        raise
    idempotency.finish(db, tenant.id, claim.record_id, status, body)
    return Outcome(status, body)


def place(
    providers: Providers, tenant: TenantContext, placement: service.Placement, *, details: Mapping[str, str],
) -> tuple[int, dict[str, Any]]:
    """``(status, body)`` of a placement: what the API answers and the key remembers."""
    try:
        with providers.db.session(tenant.id, write=True) as session:
            checkout, quote, orders = service.place_orders(session, tenant, placement, service.shipping_options(session, tenant))
            assert quote.method is not None
            payment = payments.open_payment(session, tenant, checkout, quote.method)
            checkout_id, payment_id = checkout.id, payment.id
    except CheckoutError as error:
        return error.status, from_error(error)
    try:
        payments.start_payment(providers, tenant, payment_id, buyer_email=placement.buyer.email, details=details)
    except Exception:  # the orders are committed: a crash here must not lose them
        _log.exception("checkout %s: starting payment %s failed; left to reconciliation", checkout_id, payment_id)
        payments.mark_unknown(providers, tenant, payment_id)
    return _placed_answer(providers, tenant, checkout, orders, placement.buyer.locale)


def _placed_answer(providers: Providers, tenant: TenantContext, checkout: Checkout, orders: list[Order],
                   locale: str) -> tuple[int, dict[str, Any]]:
    """``answer_for`` built from what placing wrote, with one read for what the payment has
    moved since — its own state, the checkout's and the orders' statuses, the deadline."""
    with providers.db.session(tenant.id) as session:
        rows = session.execute(
            select(Payment, Checkout.status, Checkout.expires_at, Order.id, Order.status)
            .join(Checkout, and_(Checkout.tenant_id == Payment.tenant_id, Checkout.id == Payment.checkout_id))
            .join(Order, and_(Order.tenant_id == Checkout.tenant_id, Order.checkout_id == Checkout.id))
            .where(Payment.checkout_id == checkout.id)
        ).all()
    # The snapshot is detached (or was never in a session): updating it writes nothing.
    status_of = {order_id: status for _payment, _status, _expires, order_id, status in rows}
    checkout.status, checkout.expires_at = rows[0][1], rows[0][2]
    for order in orders:
        order.status = status_of[order.id]
    return _answer(checkout_json(checkout, rows[0][0], Amounts.of(tenant, locale), orders=orders), checkout.id)


def answer_for(providers: Providers, tenant: TenantContext, checkout_id: int, locale: str) -> tuple[int, dict[str, Any]]:
    """201 with the checkout, or 402 (problem) when its payment failed."""
    return _answer(present(providers, tenant, checkout_id, locale), checkout_id)


def _answer(body: dict[str, Any], checkout_id: int) -> tuple[int, dict[str, Any]]:
    payment = body["payment"]
    if payment["status"] == "failed":
        reason = payment["failure_reason"] or "the payment was refused"
        return 402, problem_body(402, f"the payment failed: {reason}", {"payment_method": [reason]},
                                 checkout_id=checkout_id, checkout=body)
    return 201, body


def _recover(providers: Providers, tenant: TenantContext, placement: service.Placement) -> Outcome | None:
    """The answer of a request that died after committing its checkout, rebuilt from what was
    stored; None when it died before (nothing was placed: the work may run again)."""
    with providers.db.session(tenant.id) as session:
        checkout_id = session.scalar(select(Checkout.id).where(
            Checkout.buyer_id == placement.buyer.id, Checkout.idempotency_key == placement.idempotency_key))
    if checkout_id is None:
        return None
    return Outcome(*answer_for(providers, tenant, checkout_id, placement.buyer.locale), replayed=True)


def present(providers: Providers, tenant: TenantContext, checkout_id: int, locale: str) -> dict[str, Any]:
    """The checkout as its buyer sees it now."""
    with providers.db.session(tenant.id) as session:
        checkout = service.find_checkout(session, tenant, checkout_id)
        return checkout_json(checkout, payments.payment_of(session, tenant, checkout_id), Amounts.of(tenant, locale))
