"""Placing a checkout end to end, once per Idempotency-Key, in the order that keeps money and
stock safe — in two write transactions around one gateway call.

1. One write transaction: hold the key (``idempotency.hold``: its record is the first row
   written, so a concurrent request with the same key waits for this transaction and then
   finds the record), price the cart again, reserve stock, write the checkout, one order per
   shop with their lines (each credited to the creator whose click led to it,
   ``pasar.creators``), the voucher redemptions and the payment row; commit. A refusal
   (out of stock, a bad voucher...) rolls all of it back and is kept with the key on its own.
2. No transaction open: create the payment at the gateway with the key ``checkout-<id>``
   (a sandbox may send its webhook before it even answers; the webhook finds the payment by
   its reference), built from the payment row in hand.
3. One write transaction: the gateway's answer recorded, the answer built from the objects in
   hand (read again only when the payment moved its orders: captured, failed, or moved by a
   webhook meanwhile) and kept with the key: ``201`` with the payment's next action, or
   ``402`` when the payment failed. A timeout — or any crash from step 2 on — leaves the
   payment pending with its outcome unknown for reconciliation; the orders are never lost.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

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


@dataclass(frozen=True)
class Placed:
    """What step 1 committed, kept in hand for the gateway call and the answer."""

    record_id: int
    checkout: Checkout
    orders: list[Order]
    payment: Payment


class _KeyTaken(Exception):
    """Another request holds the key: raised to roll the placement's transaction back."""


def place_once(providers: Providers, tenant: TenantContext, placement: service.Placement, *,
               details: Mapping[str, str]) -> Outcome:
    """The answer for this key: the stored one, or the work done now and stored.

    Raises ``Conflict`` (409) while another request with the key is running and
    ``InvalidCheckout`` (422) when the key was used with another body.
    """
    for _attempt in range(3):
        try:
            placed = _hold_and_place(providers, tenant, placement)
        except CheckoutError as error:
            return _refused(providers, tenant, placement, error)
        if isinstance(placed, Placed):
            break
        if placed is not None:  # None: the record vanished or had expired; hold the key again
            outcome = _claimed(providers, tenant, placement, placed)
            if outcome is not None:
                return outcome
    else:
        raise RuntimeError(f"idempotency key {placement.idempotency_key!r} could not be claimed")
    try:
        status, body = _pay(providers, tenant, placement, placed, details)
    except BaseException:
        idempotency.abandon(providers.db, tenant.id, placed.record_id)
        raise
    return Outcome(status, body)


def _hold_and_place(providers: Providers, tenant: TenantContext,
                    placement: service.Placement) -> Placed | idempotency.Claim | None:
    """Step 1; or, when another request holds the key, what its record says (None: no record
    to answer from any more)."""
    db, buyer = providers.db, placement.buyer
    try:
        with db.session(tenant.id, write=True) as session:
            try:
                record_id = idempotency.hold(session, buyer.id, placement.idempotency_key, placement.request_hash)
            except IntegrityError:
                raise _KeyTaken from None
            checkout, quote, orders = service.place_orders(session, tenant, placement, service.shipping_options(session, tenant))
            assert quote.method is not None
            payment = payments.open_payment(session, tenant, checkout, quote.method)
            return Placed(record_id, checkout, orders, payment)
    except _KeyTaken:
        return idempotency.existing(db, tenant.id, buyer.id, placement.idempotency_key, placement.request_hash)


def _claimed(providers: Providers, tenant: TenantContext, placement: service.Placement,
             claim: idempotency.Claim) -> Outcome | None:
    """The answer when another request holds the key; None when a stale key was given up
    (its request died before placing anything) and the work may run now."""
    db = providers.db
    if claim.outcome == "stale":
        recovered = _recover(providers, tenant, placement)
        if recovered is not None:
            idempotency.finish(db, tenant.id, claim.record_id, recovered.status, recovered.body)
            return recovered
        idempotency.abandon(db, tenant.id, claim.record_id)
        return None
    if claim.outcome == "replay":
        assert claim.response_status is not None and claim.response_body is not None
        return Outcome(claim.response_status, claim.response_body, replayed=True)
    if claim.outcome == "in_flight":
        raise Conflict("a request with this Idempotency-Key is still being processed; retry shortly", KEY_FIELD)
    if claim.outcome == "mismatch":
        raise InvalidCheckout("this Idempotency-Key was used with another request body", KEY_FIELD)
    raise RuntimeError(f"unexpected claim {claim.outcome!r}")


def _refused(providers: Providers, tenant: TenantContext, placement: service.Placement,
             error: CheckoutError) -> Outcome:
    """A refusal rolled everything back, the key's record too: keep it with the key now (a
    request that took the key meanwhile answers instead)."""
    status, body = error.status, from_error(error)
    claim = idempotency.claim(providers.db, tenant.id, placement.buyer.id, placement.idempotency_key,
                              placement.request_hash, answer=(status, body))
    if claim.outcome == "new":
        return Outcome(status, body)
    if claim.outcome == "stale":
        raise Conflict("a request with this Idempotency-Key is still being processed; retry shortly", KEY_FIELD)
    outcome = _claimed(providers, tenant, placement, claim)
    assert outcome is not None
    return outcome


def _pay(providers: Providers, tenant: TenantContext, placement: service.Placement, placed: Placed,
         details: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
    """Steps 2 and 3: the gateway call, then its answer and the key's answer in one transaction."""
    checkout_id, payment_id = placed.checkout.id, placed.payment.id
    try:
        answer = payments.create_at_gateway(providers, tenant, placed.payment, buyer_email=placement.buyer.email,
                                            details=details)
    except Exception:  # the orders are committed: a crash here must not lose them
        _log.exception("checkout %s: starting payment %s failed; left to reconciliation", checkout_id, payment_id)
        answer = payments.GatewayAnswer(None)
    amounts = Amounts.of(tenant, placement.buyer.locale)
    try:
        with providers.db.session(tenant.id, write=True) as session:
            recorded = payments.record_answer(session, providers, tenant, payment_id, answer)
            status, body = _placed_answer(session, placed, recorded, amounts)
            idempotency.finish_in(session, placed.record_id, status, body)
            return status, body
    except Exception:
        _log.exception("checkout %s: recording payment %s failed; left to reconciliation", checkout_id, payment_id)
    payments.mark_unknown(providers, tenant, payment_id)
    status, body = answer_for(providers, tenant, checkout_id, placement.buyer.locale)
    idempotency.finish(providers.db, tenant.id, placed.record_id, status, body)
    return status, body


def _placed_answer(session: Session, placed: Placed, recorded: payments.Recorded,
                   amounts: Amounts) -> tuple[int, dict[str, Any]]:
    """``answer_for`` built from what placing wrote and the payment as the gateway's answer
    left it. When that answer moved the checkout and its orders (captured, failed) they are
    taken as the move loaded them; only when something else moved the payment meanwhile (a
    webhook that overtook the answer) are they read — one statement."""
    checkout, orders = placed.checkout, placed.orders
    payment = recorded.payment
    if payment is not None:  # only the payment moved
        if recorded.deadline is not None:
            checkout.expires_at = recorded.deadline
        return _answer(checkout_json(checkout, payment, amounts, orders=orders), checkout.id)
    moved = session.identity_map.get(identity_key(Checkout, checkout.id))
    if isinstance(moved, Checkout) and "orders" in moved.__dict__:
        status_of = {order.id: order.status for order in moved.orders}
        checkout.status, checkout.expires_at = moved.status, moved.expires_at
        payment = session.get_one(Payment, placed.payment.id)  # loaded by the move: no read
    else:
        rows = session.execute(
            select(Payment, Checkout.status, Checkout.expires_at, Order.id, Order.status)
            .join(Checkout, and_(Checkout.tenant_id == Payment.tenant_id, Checkout.id == Payment.checkout_id))
            .join(Order, and_(Order.tenant_id == Checkout.tenant_id, Order.checkout_id == Checkout.id))
            .where(Payment.checkout_id == checkout.id)
        ).all()
        status_of = {order_id: status for _payment, _status, _expires, order_id, status in rows}
        checkout.status, checkout.expires_at = rows[0][1], rows[0][2]
        payment = rows[0][0]
    # The snapshot is detached (or was never in a session): updating it writes nothing.
    for order in orders:
        order.status = status_of[order.id]
    return _answer(checkout_json(checkout, payment, amounts, orders=orders), checkout.id)


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
