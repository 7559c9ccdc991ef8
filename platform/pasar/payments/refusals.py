"""A cash-on-delivery parcel that will never be paid closes its payment at once.

A checkout paid in cash is captured at the gateway once no order of it waits for its cash any
more (``refunds.collect_cash``). Collecting the last parcel's cash says so itself
(``confirm_cash_collected``); but the last waiting parcel may instead be refused at the door,
returned to the sender or cancelled — in the orders or shipping domain, which know nothing of
payments (payments depends on them, not the reverse). So payments watches the sessions: a
transaction that cancels an order of an open cash-on-delivery payment, leaving none of its
orders waiting, queues the same ``pasar.payments.collect_cash`` task after it commits
(``deferred``): the gateway captures what the other parcels collected, or cancels the payment
when every parcel was refused. Reconciliation (``service.uncollected_cash_ids``) remains the
safety net for a task that was lost.

The cost is one statement, only at the commit of a transaction that cancelled an order.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, event, select
from sqlalchemy.orm import Session, aliased

from pasar.orders.models import Order, OrderTransition
from pasar.payments import deferred, state
from pasar.payments.models import CashCollection, Payment

_KEY = "pasar_cancelled_orders"


def nothing_waiting() -> ColumnElement[bool]:
    """True for a payment none of whose orders waits for its cash (each is collected or
    cancelled); used in a query over ``Payment``."""
    waiting = select(Order.id).where(
        Order.tenant_id == Payment.tenant_id, Order.checkout_id == Payment.checkout_id, Order.status != "cancelled",
        ~select(CashCollection.id).where(CashCollection.tenant_id == Order.tenant_id,
                                         CashCollection.order_id == Order.id).exists(),
    )
    return ~waiting.exists()


def payments_to_close(session: Session, order_ids: set[int]) -> list[tuple[int, int]]:
    """``(tenant_id, payment_id)`` of open cash-on-delivery payments of these (cancelled)
    orders that no order waits for any more."""
    cancelled = aliased(Order)
    query = (
        select(Payment.tenant_id, Payment.id)
        .join(cancelled, and_(cancelled.tenant_id == Payment.tenant_id, cancelled.checkout_id == Payment.checkout_id))
        .where(cancelled.id.in_(sorted(order_ids)), Payment.flow == "on_delivery",
               Payment.status.in_(sorted(state.OPEN)), nothing_waiting())
        .distinct()
    )
    return [(tenant_id, payment_id) for tenant_id, payment_id in session.execute(query)]


def _cancelled_now(session: Session) -> set[int]:
    return {obj.order_id for obj in session.new if isinstance(obj, OrderTransition) and obj.to_status == "cancelled"}


def _note(session: Session, _context: Any, _instances: Any) -> None:
    """Before each flush: remember the orders this transaction cancels (their transitions
    are about to be written)."""
    found = _cancelled_now(session)
    if found:
        session.info.setdefault(_KEY, set()).update(found)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the outer commit decides
        return
    order_ids = session.info.pop(_KEY, set()) | _cancelled_now(session)
    if not order_ids:
        return
    for tenant_id, payment_id in payments_to_close(session, order_ids):
        deferred.after_commit(session, "pasar.payments.collect_cash", tenant_id, payment_id)


def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)


event.listen(Session, "before_flush", _note)
event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_rollback", _forget)
