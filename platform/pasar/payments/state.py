"""The payment state machine and what each move does to the checkout, its orders and stock.

Statuses only move forward. ``captured`` is final (refunds are booked separately); an older
``pending`` or ``authorized`` that arrives after it changes nothing, and so does a second
``captured``. Every move is one conditional ``UPDATE ... WHERE status IN (<allowed sources>)``
whose row count is checked, so when a webhook and the buyer's return race, exactly one of them
performs the move and its consequences (orders paid, stock committed, ledger posted once);
the other sees zero rows and does nothing.
"""
from __future__ import annotations

import logging
from datetime import datetime

from moneyed import Money
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pasar import clock
from pasar.catalog.service import commit_stock, release_stock
from pasar.checkout import vouchers
from pasar.deals import service as deals
from pasar.events.service import record
from pasar.ledger import postings
from pasar.money import from_minor
from pasar.orders.models import Checkout, Order, OrderLine
from pasar.orders.state import Actor, transition
from pasar.payments.models import Payment
from pasar.tenancy.service import TenantContext

OPEN: frozenset[str] = frozenset({"requires_action", "pending", "authorized"})
ENDED: frozenset[str] = frozenset({"failed", "cancelled", "expired"})
CAPTURED: frozenset[str] = frozenset({"captured", "partially_refunded", "refunded"})

#: target → the statuses it may follow. A capture after an end is a *late* capture: the money
#: was taken although the checkout was given up, so it is booked and refunded in full.
SOURCES: dict[str, frozenset[str]] = {
    "pending": frozenset({"requires_action"}),
    "authorized": frozenset({"requires_action", "pending"}),
    "captured": OPEN | ENDED,
    "failed": OPEN,
    "cancelled": OPEN,
    "expired": OPEN,
}

_log = logging.getLogger(__name__)


def target_of(provider_status: str) -> str | None:
    """Our move for what the provider reports (a refunded payment was captured first)."""
    if provider_status in CAPTURED:
        return "captured"
    return provider_status if provider_status in SOURCES else None


def move(
    session: Session, tenant: TenantContext, payment: Payment, provider_status: str, *,
    reason: str | None = None, amount_minor: int | None = None, at: datetime | None = None,
) -> bool:
    """Apply what the provider reports; True if this call made the move (and its effects).

    The move and the payment's own fields that come with it (the amount captured, the reason
    it ended) are one conditional UPDATE; the caller's ``payment`` is then brought up to date
    in memory. Only when the row count says another transaction moved it first is it read
    again."""
    target = target_of(provider_status)
    if target is None or payment.status not in SOURCES[target]:
        return False
    before = payment.status
    moment = at or clock.now()
    values: dict[str, object] = {"status": target, "outcome_unknown": False, "updated_at": clock.now()}
    if target == "captured":
        values.update(captured_minor=amount_minor or payment.amount_minor, captured_at=moment)
    elif target in ENDED:
        values["failure_reason"] = (reason or target)[:300]
    moved = session.execute(
        update(Payment).where(Payment.id == payment.id, Payment.status.in_(sorted(SOURCES[target])))
        .values(**values).execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(payment)
        return False
    for name, value in values.items():
        set_committed_value(payment, name, value)
    if target == "captured":
        _captured(session, tenant, payment, moment, late=before in ENDED)
    elif target in ENDED:
        _ended(session, tenant, payment, target, reason, moment)
    return True


# --- captured ------------------------------------------------------------------------------------
def _captured(session: Session, tenant: TenantContext, payment: Payment, at: datetime, *, late: bool) -> None:
    amount_minor = payment.captured_minor
    checkout = session.get_one(Checkout, payment.checkout_id)
    if payment.flow == "on_delivery":
        _cash_captured(session, payment, checkout, at)
        return
    postings.payment_captured(session, tenant, payment.reference, _money(tenant, payment, amount_minor), occurred_at=at)
    if late or checkout.status != "pending_payment":
        _refund_late_capture(session, tenant, payment, checkout)
        return
    _set_checkout_status(session, checkout, "paid", paid_at=at)
    sold = [order for order in checkout.orders if order.status != "cancelled"]
    for order in sold:
        _order_paid(session, tenant, order, at)
    for order, line in _lines_by_variant(sold):  # held units are now sold
        if not commit_stock(session, tenant, line.variant_id, line.quantity):
            _log.error("order %s: %s units of variant %s were not held", order.id, line.quantity, line.variant_id)
    deals.use_orders(session, tenant, [order.id for order in sold])


def _cash_captured(session: Session, payment: Payment, checkout: Checkout, at: datetime) -> None:
    """Cash on delivery: every order was paid (or refused) at its own door and booked then
    (``order_collected``); the gateway's capture of their sum only closes the checkout."""
    _set_checkout_status(session, checkout, "paid", paid_at=at)
    if payment.refunded_minor > 0:  # an order's cash was refunded before the last parcel arrived
        payment.status = "refunded" if payment.refunded_minor >= payment.captured_minor else "partially_refunded"


def cash_ledger_ref(payment: Payment, order_id: int) -> str:
    """The ledger reference of one order's cash: a COD payment is captured order by order."""
    return f"{payment.reference}:order-{order_id}"


def order_collected(session: Session, tenant: TenantContext, payment: Payment, order: Order, amount_minor: int,
                    at: datetime) -> None:
    """A courier collected ``amount_minor`` for ``order`` at the door: the money is booked as
    captured for it, the order is paid, its held units are sold and its deal units used."""
    postings.payment_captured(session, tenant, cash_ledger_ref(payment, order.id), _money(tenant, payment, amount_minor),
                              occurred_at=at)
    _order_paid(session, tenant, order, at)
    for _order, line in _lines_by_variant([order]):
        if not commit_stock(session, tenant, line.variant_id, line.quantity):
            _log.error("order %s: %s units of variant %s were not held", order.id, line.quantity, line.variant_id)
    deals.use_orders(session, tenant, [order.id])


def _order_paid(session: Session, tenant: TenantContext, order: Order, at: datetime) -> None:
    """A pending order becomes paid; a cash-on-delivery order already on its way (it skipped
    ``paid``) only records the payment."""
    if order.status == "pending_payment":
        transition(session, tenant, order, "paid", Actor("gateway"), reason="payment captured", at=at)
        return
    order.paid_at = order.paid_at or at
    record(session, tenant, "order.paid", order.id, {"order_id": order.id, "seller_id": order.seller_id,
                                                   "buyer_id": order.buyer_id, "reason": "cash collected"})


def _lines_by_variant(orders: list[Order]) -> list[tuple[Order, OrderLine]]:
    """Every line of ``orders``, smallest variant id first: stock rows are always locked in
    one order, so two captures (or cancellations) never wait for each other crosswise."""
    return sorted(((order, line) for order in orders for line in order.lines), key=lambda pair: pair[1].variant_id)


def _refund_late_capture(session: Session, tenant: TenantContext, payment: Payment, checkout: Checkout) -> None:
    """Money arrived for a checkout that was already given up (its stock went back): give it
    back to the buyer, order by order."""
    from pasar.payments.refunds import refund_order

    for order in checkout.orders:
        if order.total_minor > 0:
            refund_order(session, tenant, order.id, order.total_minor, reason="paid after the checkout was cancelled",
                         idempotency_key=f"late-capture-{payment.id}-{order.id}")


# --- ended ---------------------------------------------------------------------------------------
def _ended(session: Session, tenant: TenantContext, payment: Payment, status: str, reason: str | None, at: datetime) -> None:
    """The payment will never be captured: unpaid orders are cancelled, their stock and the
    vouchers go back."""
    checkout = session.get_one(Checkout, payment.checkout_id)
    _set_checkout_status(session, checkout, _checkout_status(status, checkout, at))
    why = f"payment {status}" + (f": {reason}" if reason else "")
    unpaid = [order for order in checkout.orders if order.status == "pending_payment"]
    for order in unpaid:
        transition(session, tenant, order, "cancelled", Actor("system"), reason=why[:500], at=at)
    for _order, line in _lines_by_variant(unpaid):
        release_stock(session, tenant, line.variant_id, line.quantity)
    deals.release_orders(session, tenant, [order.id for order in unpaid], at)
    vouchers.release(session, tenant, checkout.id)


def _checkout_status(payment_status: str, checkout: Checkout, at: datetime) -> str:
    """A payment cancelled because its deadline passed leaves an *expired* checkout."""
    if payment_status == "cancelled" and checkout.expires_at is not None and checkout.expires_at <= at:
        return "expired"
    return payment_status


def _set_checkout_status(session: Session, checkout: Checkout, status: str, *, paid_at: datetime | None = None) -> None:
    """Close a pending checkout (conditionally: an expiry may have closed it first). The
    loaded checkout is updated in memory; it is read again only when it had changed."""
    values: dict[str, object] = {"status": status}
    if paid_at is not None:
        values["paid_at"] = paid_at
    changed = session.execute(
        update(Checkout).where(Checkout.id == checkout.id, Checkout.status == "pending_payment").values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(checkout)
        return
    for name, value in values.items():
        set_committed_value(checkout, name, value)


def _money(tenant: TenantContext, payment: Payment, minor: int) -> Money:
    return from_minor(minor, payment.currency, tenant.currency_rules())
