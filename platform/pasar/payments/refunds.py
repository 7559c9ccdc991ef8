"""Refunds and cash collected on delivery: what the fulfilment side asks of payments.

``refund_order`` and ``confirm_cash_collected`` run inside the caller's transaction and only
*record* what must happen (a ``Refund`` row and the ledger's refund posting; the cash the
carrier reported for one order, booked as that order's payment). Cash on delivery is captured
order by order — each shop's parcel is delivered and paid separately — and the gateway is told
the sum once no order of the checkout waits for its cash any more. The provider is called after
the caller commits (``deferred``), by the
tasks ``pasar.payments.submit_refund`` and ``pasar.payments.collect_cash``, with the caller's
idempotency key, so a retry never pays twice. A gateway refund is confirmed by its
``refund.succeeded`` webhook — which may arrive before the gateway's answer told us the
refund's reference: such a notice is stored unapplied and applied once the reference is known.
Cash-on-delivery money cannot go back through a gateway: it is paid out to the buyer's bank
account or wallet through the tenant's payout provider.
"""
from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import timedelta
from decimal import Decimal

from moneyed import Money
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pasar import clock
from pasar.contracts import BankAccount, PayoutRequest, ProviderUnavailable
from pasar.ledger import postings
from pasar.money import from_minor
from pasar.orders.models import Order
from pasar.orders.service import ledger_ref
from pasar.payments import deferred, refusals, state  # noqa: F401 - refusals watches sessions
from pasar.payments.gateways import Providers
from pasar.payments.models import CashCollection, Payment, PaymentEvent, Refund
from pasar.tenancy.service import TenantContext

_log = logging.getLogger(__name__)


class RefundError(ValueError):
    """A refund that cannot be made as asked (unpaid order, too much, no account for COD)."""


def refund_ledger_ref(refund: Refund) -> str:
    return f"refund-{refund.id}"


# --- cash on delivery ----------------------------------------------------------------------------
def confirm_cash_collected(session: Session, tenant: TenantContext, checkout_id: int, amount_minor: int, *,
                           order_id: int | None = None) -> CashCollection | None:
    """The carrier collected ``amount_minor`` in cash for one order of the checkout (it may
    differ from the order's total by cash rounding); ``order_id`` may be left out when the
    checkout has one order. Each shop's parcel is paid at its own door, so the order is booked
    as paid at once; the gateway is told after the caller commits, once every order of the
    checkout is collected or cancelled, and captures their sum. Calling it again for the
    same order changes nothing (None when there is nothing to record)."""
    if amount_minor <= 0:
        raise RefundError(f"collected amount must be positive, got {amount_minor}")
    payment = session.scalar(select(Payment).where(Payment.checkout_id == checkout_id))
    if payment is None:
        raise LookupError(f"checkout {checkout_id} has no payment")
    if payment.flow != "on_delivery":
        raise RefundError(f"checkout {checkout_id} is not paid on delivery")
    order = _collected_order(session, checkout_id, order_id)
    if payment.status not in state.OPEN or session.scalar(
            select(CashCollection.id).where(CashCollection.order_id == order.id)) is not None:
        return None
    if order.status == "cancelled":
        raise RefundError(f"order {order.id} was cancelled: no cash is due for it")
    collection = CashCollection(payment_id=payment.id, order_id=order.id, amount_minor=amount_minor,
                                currency=payment.currency, collected_at=clock.now())
    session.add(collection)
    payment.cash_collected_minor = (payment.cash_collected_minor or 0) + amount_minor
    state.order_collected(session, tenant, payment, order, amount_minor, collection.collected_at)
    session.flush()
    if not uncollected_orders(session, payment):
        deferred.after_commit(session, "pasar.payments.collect_cash", tenant.id, payment.id)
    return collection


def _collected_order(session: Session, checkout_id: int, order_id: int | None) -> Order:
    """The order the cash was for: the one named (it must be the checkout's), or the only one."""
    orders = list(session.scalars(select(Order).where(Order.checkout_id == checkout_id).order_by(Order.id)))
    if order_id is None:
        if len(orders) != 1:
            raise RefundError(f"checkout {checkout_id} has {len(orders)} parcels: name the order the cash was for")
        return orders[0]
    for order in orders:
        if order.id == order_id:
            return order
    raise RefundError(f"order {order_id} is not part of checkout {checkout_id}")


def uncollected_orders(session: Session, payment: Payment) -> list[int]:
    """Ids of the checkout's orders still waiting for their cash (neither collected nor
    cancelled): the payment is captured once there are none."""
    collected = select(CashCollection.order_id).where(CashCollection.payment_id == payment.id)
    query = select(Order.id).where(Order.checkout_id == payment.checkout_id, Order.status != "cancelled",
                                   Order.id.not_in(collected))
    return list(session.scalars(query.order_by(Order.id)))


def collect_cash(providers: Providers, tenant: TenantContext, payment_id: int) -> str:
    """Once every order of a cash-on-delivery checkout is collected or cancelled, tell the
    gateway: it captures the sum collected, or the payment is cancelled when every parcel was
    refused. Then settle from what the gateway says."""
    from pasar.payments.service import settle

    with providers.db.session(tenant.id) as session:
        payment = session.get_one(Payment, payment_id)
        ref, method, collected, status = payment.provider_ref, payment.method, payment.cash_collected_minor or 0, payment.status
        waiting = uncollected_orders(session, payment) if status in state.OPEN else []
    if status not in state.OPEN or ref is None:
        return settle(providers, tenant, payment_id)
    if waiting:
        return status  # other parcels are still on their way
    gateway = providers.gateway(tenant, method)
    try:
        if collected > 0:
            collect = getattr(gateway, "collect_on_delivery", None)  # a sandbox control; real couriers report it
            if collect is not None:
                collect(ref, from_minor(collected, tenant.currency, tenant.currency_rules()).amount)
        else:
            gateway.cancel(ref)  # every parcel was refused at the door: nothing will be paid
    except (ValueError, ProviderUnavailable) as exc:  # already told, or away: settle reads the truth
        _log.info("payment %s: cash collection not confirmed now (%s)", payment_id, exc)
    return settle(providers, tenant, payment_id)


# --- refunds -------------------------------------------------------------------------------------
def refund_order(
    session: Session, tenant: TenantContext, order_id: int, amount_minor: int, *, reason: str,
    idempotency_key: str, bank_account: BankAccount | None = None,
) -> Refund:
    """Owe ``amount_minor`` of an order back to its buyer; the money moves after commit.

    The same ``idempotency_key`` returns the same refund (``RefundError`` if it named another
    order or amount). Refunds of an order never add up to more than its total.
    """
    existing = session.scalar(select(Refund).where(Refund.idempotency_key == idempotency_key))
    if existing is not None:
        if (existing.order_id, existing.amount_minor) != (order_id, amount_minor):
            raise RefundError(f"idempotency key {idempotency_key!r} was used for another refund")
        return existing
    order = session.get(Order, order_id)
    if order is None:
        raise LookupError(f"no order {order_id}")
    payment = session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))
    _check_refundable(session, order, payment, amount_minor)
    assert payment is not None
    channel = "payout" if payment.flow == "on_delivery" else "gateway"
    if channel == "payout" and bank_account is None:
        raise RefundError("a cash-on-delivery refund is paid out: give the buyer's bank account or wallet")
    refund = Refund(
        payment_id=payment.id, order_id=order.id, amount_minor=amount_minor, currency=order.currency, status="pending",
        channel=channel, reason=reason[:300], idempotency_key=idempotency_key,
        payout_account=asdict(bank_account) if bank_account is not None else None,
    )
    session.add(refund)
    session.flush()
    postings.refund(session, tenant, refund_ledger_ref(refund), ledger_ref(order.id), order.seller_id,
                    _money(tenant, order.currency, amount_minor))
    deferred.after_commit(session, "pasar.payments.submit_refund", tenant.id, refund.id)
    return refund


def _check_refundable(session: Session, order: Order, payment: Payment | None, amount_minor: int) -> None:
    if payment is None or not _paid(session, order, payment):
        raise RefundError(f"order {order.id} is not paid: there is nothing to refund")
    if amount_minor <= 0:
        raise RefundError("the amount must be positive")
    owed = session.scalar(
        select(func.coalesce(func.sum(Refund.amount_minor), 0)).where(Refund.order_id == order.id, Refund.status != "failed")
    ) or 0
    if owed + amount_minor > order.total_minor:
        raise RefundError(f"order {order.id}: at most {order.total_minor - owed} minor units are left to refund")


def _paid(session: Session, order: Order, payment: Payment) -> bool:
    """Captured; or, for cash on delivery, this order's cash was collected (the checkout's
    other parcels may still be on their way)."""
    if payment.status in state.CAPTURED:
        return True
    return payment.flow == "on_delivery" and payment.status in state.OPEN and session.scalar(
        select(CashCollection.id).where(CashCollection.order_id == order.id)) is not None


def submit_refund(providers: Providers, tenant: TenantContext, refund_id: int) -> str:
    """Send a pending refund to its provider (the caller's key makes a resend harmless)."""
    with providers.db.session(tenant.id) as session:
        refund = session.get_one(Refund, refund_id)
        payment = session.get_one(Payment, refund.payment_id)
        if refund.status != "pending":
            return refund.status
        channel, key, account = refund.channel, refund.idempotency_key, refund.payout_account
        amount = from_minor(refund.amount_minor, refund.currency, tenant.currency_rules()).amount
        provider_ref, method = payment.provider_ref, payment.method
    if channel == "payout":
        return _pay_out(providers, tenant, refund_id, amount, key, account)
    if provider_ref is None:
        return "pending"
    try:
        result = providers.gateway(tenant, method).refund(provider_ref, amount, key)
    except ProviderUnavailable:
        return "pending"
    except ValueError as exc:
        return _finish(providers, tenant, refund_id, ok=False, reason=str(exc))
    return _know_ref(providers, tenant, refund_id, result.refund_ref, result.status)


def _pay_out(providers: Providers, tenant: TenantContext, refund_id: int, amount: Decimal, key: str,
             account: dict[str, str | None] | None) -> str:
    assert account is not None
    payouts = providers.payouts(tenant)
    request = PayoutRequest(reference=f"refund-{refund_id}", amount=amount, currency=tenant.currency,
                            account=BankAccount(**account), idempotency_key=key)  # type: ignore[arg-type]
    try:
        created = payouts.create_payout(request)
        result = payouts.query_status(created.provider_ref)
    except ProviderUnavailable:
        return "pending"
    except ValueError as exc:
        return _finish(providers, tenant, refund_id, ok=False, reason=str(exc))
    status = {"paid": "succeeded", "failed": "failed"}.get(result.status, "pending")
    return _know_ref(providers, tenant, refund_id, result.provider_ref, status, reason=result.failure_reason)


def _know_ref(providers: Providers, tenant: TenantContext, refund_id: int, ref: str, status: str,
              reason: str | None = None) -> str:
    """Keep the provider's reference, apply notices that arrived before it, then its status."""
    with providers.db.session(tenant.id, write=True) as session:
        refund = session.get_one(Refund, refund_id)
        refund.provider_refund_ref = refund.provider_refund_ref or ref
        waiting = session.scalars(select(PaymentEvent).where(PaymentEvent.subject_ref == ref, PaymentEvent.applied.is_(False)))
        for event in waiting:
            apply_refund_event(session, tenant, event)
        if status in ("succeeded", "failed"):
            _settle(session, tenant, refund, ok=status == "succeeded", reason=reason)
        return refund.status


def _finish(providers: Providers, tenant: TenantContext, refund_id: int, *, ok: bool, reason: str | None) -> str:
    with providers.db.session(tenant.id, write=True) as session:
        refund = session.get_one(Refund, refund_id)
        _settle(session, tenant, refund, ok=ok, reason=reason)
        return refund.status


def apply_refund_event(session: Session, tenant: TenantContext, event: PaymentEvent) -> None:
    """A ``refund.succeeded`` / ``refund.failed`` notice; kept unapplied until the refund's
    reference is known to us."""
    refund = session.scalar(select(Refund).where(Refund.provider_refund_ref == event.subject_ref))
    if refund is None:
        return
    event.payment_id = refund.payment_id
    if event.type in ("refund.succeeded", "refund.failed"):
        _settle(session, tenant, refund, ok=event.type == "refund.succeeded", reason=event.data.get("failure_reason"))  # type: ignore[arg-type]
    event.applied = True


def _settle(session: Session, tenant: TenantContext, refund: Refund, *, ok: bool, reason: str | None) -> None:
    """Close a pending refund once: the ledger hears of money that left, the payment's
    refunded total grows; or of a refund the provider rejected (``refund_failed``), which puts
    the money back where the refund took it from so it can be refunded again."""
    closed = session.execute(
        update(Refund).where(Refund.id == refund.id, Refund.status == "pending")
        .values(status="succeeded" if ok else "failed", settled_at=clock.now(), failure_reason=(reason or None) and reason[:300])
        .execution_options(synchronize_session=False)
    )
    session.refresh(refund)
    if closed.rowcount != 1:  # type: ignore[attr-defined]
        return
    if not ok:  # the provider rejected it: the buyer is owed where they were before
        postings.refund_failed(session, tenant, refund_ledger_ref(refund), _money(tenant, refund.currency, refund.amount_minor),
                               reason=refund.failure_reason or "")
        _log.warning("refund %s of order %s failed: %s", refund.id, refund.order_id, refund.failure_reason)
        return
    postings.refund_settled(session, tenant, refund_ledger_ref(refund), _money(tenant, refund.currency, refund.amount_minor))
    payment = session.get_one(Payment, refund.payment_id)
    payment.refunded_minor += refund.amount_minor
    if payment.status in state.CAPTURED:
        payment.status = "refunded" if payment.refunded_minor >= payment.captured_minor else "partially_refunded"


def open_refund_ids(session: Session, older_than: timedelta = timedelta(minutes=1), limit: int = 200) -> list[tuple[int, int]]:
    """``(tenant_id, refund_id)`` of refunds still pending a while after they were made."""
    query = select(Refund.tenant_id, Refund.id).where(Refund.status == "pending", Refund.created_at <= clock.now() - older_than)
    return [(tenant_id, refund_id) for tenant_id, refund_id in session.execute(query.order_by(Refund.id).limit(limit))]


def _money(tenant: TenantContext, currency: str, minor: int) -> Money:
    return from_minor(minor, currency, tenant.currency_rules())
