"""Return services: request (or withdraw), decide, receive, refund.

Plain functions over ``(session, tenant, ...)``; no Flask. The order moves through
``pasar.orders.state.transition``: the buyer's request makes it ``return_requested``, the
seller's decision ``return_approved`` or ``return_rejected``, the goods' arrival ``returned``
and the refund ``refunded``.

* **Window.** A request is accepted while ``now <= order.return_deadline`` (delivery + the
  region's return window); after that it is refused naming the window.
* **Withdrawal** (statutory cooling-off: the tenant's consumer rules say the window is
  ``statutory``, as in the UK and the EU) needs no reason and is made in two steps, as EU
  Art. 11a asks of a withdrawal function: ``declare_withdrawal`` answers a confirmation token,
  ``confirm_withdrawal`` completes it and returns the acknowledgement time. When every unit of
  the order goes back the standard outbound shipping is refunded too (CRD Art. 13, [S110][S114]).
* **Refund.** Fixed at request: what the buyer paid for the units (see
  ``pasar.orders.service.paid_by_line``), so a partial return refunds part of a line. The money
  moves through ``pasar.payments.service.refund_order`` after the goods are received, with no
  write transaction open (the provider answers through this application); the idempotency key
  is the return's, so retrying the receipt refunds once. A cash-on-delivery order is refunded
  to the bank account the buyer gave with the request.
* **Settlement.** After a partial return the rest of the order is settled at once
  (``orders.service.settle``): the return window was used, nothing else can come back.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pasar.catalog.service import restock
from pasar import clock
from pasar.contracts import BankAccount
from pasar.events.service import record
from pasar.orders import service as orders
from pasar.orders.models import Order
from pasar.orders.state import Actor, transition
from pasar.returns.models import ReturnLine, ReturnRequest
from pasar.tenancy.service import TenantContext

TOKEN_LIFETIME = timedelta(minutes=30)
OPEN = ("requested", "approved", "received")
AccountCheck = Callable[[BankAccount], list[str]]


class ReturnError(Exception):
    """Something the returns domain refuses; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class ReturnNotFound(ReturnError, LookupError):
    """No such return (or order) for this buyer or seller."""


class InvalidReturn(ReturnError, ValueError):
    """Bad input: lines, quantities, reason or bank account."""


class ReturnConflict(ReturnError):
    """The order or return is not in a state where this can be done (window closed, ...)."""


@dataclass(frozen=True)
class WantedLine:
    order_line_id: int
    quantity: int


@dataclass(frozen=True)
class Declared:
    """A withdrawal waiting for its confirmation (the token is shown only here)."""

    request: ReturnRequest
    token: str
    expires_at: datetime


# --- asking -----------------------------------------------------------------------------------------
def request_return(
    session: Session, tenant: TenantContext, buyer_id: int, order_id: int, wanted: Sequence[WantedLine],
    reason: str, bank_account: BankAccount | None = None, check_account: AccountCheck | None = None,
) -> ReturnRequest:
    """The buyer asks to send units back (a reason is required); the order waits for the seller."""
    if not reason.strip():
        raise InvalidReturn("say why the goods go back", "reason")
    order = _returnable(session, tenant, buyer_id, order_id)
    request = _new_request(session, tenant, order, "return", wanted, reason.strip(), bank_account, check_account)
    _open(session, tenant, order, request, Actor("buyer", buyer_id))
    return request


def declare_withdrawal(
    session: Session, tenant: TenantContext, buyer_id: int, order_id: int, wanted: Sequence[WantedLine] = (),
    reason: str | None = None, bank_account: BankAccount | None = None, check_account: AccountCheck | None = None,
) -> Declared:
    """Step one of a statutory withdrawal: no reason needed; nothing changes until it is
    confirmed with the token (an earlier unconfirmed declaration is replaced)."""
    order = _returnable(session, tenant, buyer_id, order_id)
    if not withdrawal_right(tenant, order):
        raise ReturnConflict("this marketplace has no statutory withdrawal right: request a return instead", "kind")
    for stale in _pending_withdrawals(session, order.id):
        session.delete(stale)
    lines = wanted or [WantedLine(line.id, line.quantity - line.refunded_quantity) for line in order.lines]
    request = _new_request(session, tenant, order, "withdrawal", lines, (reason or "").strip() or None,
                           bank_account, check_account)
    token = secrets.token_urlsafe(24)
    request.status, request.token_hash = "pending_confirmation", _hash(token)
    request.token_expires_at = clock.now() + TOKEN_LIFETIME
    session.flush()
    return Declared(request, token, request.token_expires_at)


def confirm_withdrawal(session: Session, tenant: TenantContext, buyer_id: int, order_id: int, token: str) -> ReturnRequest:
    """Step two: the withdrawal takes effect now; ``requested_at`` is the acknowledgement."""
    order = _returnable(session, tenant, buyer_id, order_id)
    request = next((r for r in _pending_withdrawals(session, order.id) if r.token_hash == _hash(token)), None)
    if request is None:
        raise InvalidReturn("this confirmation token is not valid for the order", "token")
    if request.token_expires_at is None or request.token_expires_at < clock.now():
        raise InvalidReturn("the confirmation token expired: declare the withdrawal again", "token")
    request.token_hash, request.token_expires_at = None, None
    _open(session, tenant, order, request, Actor("buyer", buyer_id))
    record(session, tenant, "return.withdrawal_acknowledged", request.id,
           {"order_id": order.id, "buyer_id": buyer_id, "acknowledged_at": request.requested_at.isoformat()
            if request.requested_at else None})
    return request


def withdrawal_right(tenant: TenantContext, order: Order) -> bool:
    """Whether consumer law gives this buyer a withdrawal right (the window is statutory)."""
    on = (order.delivered_at or clock.now()).date()
    rules = tenant.consumer_rules(on)
    return rules is not None and rules.return_window_basis == "statutory"


def _returnable(session: Session, tenant: TenantContext, buyer_id: int, order_id: int) -> Order:
    """The buyer's delivered order inside its return window, locked."""
    try:
        order = orders.buyer_order(session, tenant, buyer_id, order_id, lock=True)
    except orders.OrderNotFound as exc:
        raise ReturnNotFound("no such order", "order_id") from exc
    deadline = order.return_deadline
    if deadline is not None and clock.now() > deadline:
        raise ReturnConflict(f"the return window closed at {deadline.isoformat()}", "return_window")
    if order.status != "delivered" or deadline is None:
        raise ReturnConflict(f"order {order.id} is {order.status}: only a delivered order can go back", "status")
    if _open_requests(session, order.id):
        raise ReturnConflict(f"order {order.id} already has a return under way", "status")
    return order


def _open_requests(session: Session, order_id: int) -> list[ReturnRequest]:
    query = select(ReturnRequest).where(ReturnRequest.order_id == order_id, ReturnRequest.status.in_(OPEN))
    return list(session.scalars(query))


def _pending_withdrawals(session: Session, order_id: int) -> list[ReturnRequest]:
    query = select(ReturnRequest).where(
        ReturnRequest.order_id == order_id, ReturnRequest.status == "pending_confirmation"
    )
    return list(session.scalars(query))


def _new_request(
    session: Session, tenant: TenantContext, order: Order, kind: str, wanted: Sequence[WantedLine],
    reason: str | None, bank_account: BankAccount | None, check_account: AccountCheck | None,
) -> ReturnRequest:
    lines = _checked_lines(order, wanted)
    paid = orders.paid_by_line(tenant, order)
    round_ = orders.rounder(tenant)
    by_id = {line.id: line for line in order.lines}
    refunds = {w.order_line_id: _unit_share(paid[w.order_line_id], by_id[w.order_line_id].quantity, w.quantity, round_)
               for w in lines}
    everything = all(w.quantity == line.quantity for w in lines for line in [by_id[w.order_line_id]]) and \
        len(lines) == len(order.lines) and not any(line.refunded_quantity for line in order.lines)
    shipping = order.shipping_minor if kind == "withdrawal" and everything else 0
    request = ReturnRequest(
        order_id=order.id, buyer_id=order.buyer_id, seller_id=order.seller_id, kind=kind, status="requested",
        reason=reason, refund_minor=sum(refunds.values()) + shipping, shipping_refund_minor=shipping,
        currency=order.currency,
    )
    _attach_account(tenant, order, request, bank_account, check_account)
    request.lines = [
        ReturnLine(order_line_id=w.order_line_id, variant_id=by_id[w.order_line_id].variant_id,
                   quantity=w.quantity, refund_minor=refunds[w.order_line_id])
        for w in lines
    ]
    session.add(request)
    session.flush()
    return request


def _unit_share(line_paid: int, line_quantity: int, quantity: int, round_: Callable[[Fraction], int]) -> int:
    """What ``quantity`` of the line's units cost the buyer (the whole line: exactly)."""
    if quantity == line_quantity:
        return line_paid
    return round_(Fraction(line_paid * quantity, line_quantity))


def _checked_lines(order: Order, wanted: Sequence[WantedLine]) -> list[WantedLine]:
    """The wanted lines, each of this order and within what is left to return."""
    if not wanted:
        raise InvalidReturn("name at least one line to send back", "lines")
    by_id = {line.id: line for line in order.lines}
    seen: set[int] = set()
    for index, item in enumerate(wanted):
        line = by_id.get(item.order_line_id)
        if line is None or item.order_line_id in seen:
            raise InvalidReturn(f"line {item.order_line_id} is not (again) a line of this order", f"lines.{index}.line_id")
        left = line.quantity - line.refunded_quantity
        if not 0 < item.quantity <= left:
            raise InvalidReturn(f"between 1 and {left} units of line {line.id} can go back", f"lines.{index}.quantity")
        seen.add(item.order_line_id)
    return list(wanted)


def _attach_account(
    tenant: TenantContext, order: Order, request: ReturnRequest, account: BankAccount | None,
    check_account: AccountCheck | None,
) -> None:
    """A cash-on-delivery refund needs the buyer's bank account (checked by the payout provider)."""
    if orders.payment_flow(tenant, order) != "on_delivery":
        return
    if account is None:
        raise InvalidReturn("a cash-on-delivery order is refunded to your bank account: give one", "bank_account")
    problems = check_account(account) if check_account is not None else []
    if problems:
        raise InvalidReturn("; ".join(problems), "bank_account")
    request.refund_bank_holder, request.refund_bank_number = account.holder, account.number
    request.refund_bank_code, request.refund_bank_country = account.bank_code, account.country or tenant.country


def _open(session: Session, tenant: TenantContext, order: Order, request: ReturnRequest, actor: Actor) -> None:
    moment = clock.now()
    transition(session, tenant, order, "return_requested", actor, reason=request.reason or request.kind, at=moment)
    request.status, request.requested_at = "requested", moment
    record(session, tenant, "return.requested", request.id,
           {"order_id": order.id, "kind": request.kind, "refund_minor": request.refund_minor})


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- reading ----------------------------------------------------------------------------------------
def buyer_returns(session: Session, tenant: TenantContext, buyer_id: int, order_id: int) -> list[ReturnRequest]:
    """The returns of one of the buyer's orders (another buyer's order is not found)."""
    try:
        orders.buyer_order(session, tenant, buyer_id, order_id)
    except orders.OrderNotFound as exc:
        raise ReturnNotFound("no such order", "order_id") from exc
    query = select(ReturnRequest).where(ReturnRequest.order_id == order_id, ReturnRequest.buyer_id == buyer_id)
    return list(session.scalars(query.where(ReturnRequest.status != "pending_confirmation").order_by(ReturnRequest.id)))


def seller_returns(session: Session, tenant: TenantContext, seller_id: int, status: str | None = None) -> list[ReturnRequest]:
    query = select(ReturnRequest).where(ReturnRequest.seller_id == seller_id,
                                        ReturnRequest.status != "pending_confirmation")
    if status is not None:
        query = query.where(ReturnRequest.status == status)
    return list(session.scalars(query.order_by(ReturnRequest.id.desc()).limit(200)))


def seller_return(session: Session, tenant: TenantContext, seller_id: int, return_id: int, *, lock: bool = False) -> ReturnRequest:
    query = select(ReturnRequest).where(ReturnRequest.id == return_id, ReturnRequest.seller_id == seller_id,
                                        ReturnRequest.status != "pending_confirmation")
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise ReturnNotFound("no such return", "return_id")
    return found


# --- the seller's side ----------------------------------------------------------------------------
def approve(session: Session, tenant: TenantContext, seller_id: int, return_id: int, user_id: int) -> ReturnRequest:
    """The seller accepts the return: the buyer sends the goods back."""
    request = _decide(session, tenant, seller_id, return_id, user_id, "return_approved", None)
    request.status = "approved"
    return request


def reject(session: Session, tenant: TenantContext, seller_id: int, return_id: int, user_id: int, reason: str) -> ReturnRequest:
    """The seller refuses the return, saying why; the order completes when its window ends."""
    if not reason.strip():
        raise InvalidReturn("say why the return is refused", "reason")
    request = _decide(session, tenant, seller_id, return_id, user_id, "return_rejected", reason.strip())
    request.status, request.rejection_reason = "rejected", reason.strip()
    return request


def _decide(
    session: Session, tenant: TenantContext, seller_id: int, return_id: int, user_id: int, to: str, reason: str | None
) -> ReturnRequest:
    request = seller_return(session, tenant, seller_id, return_id, lock=True)
    if request.status != "requested":
        raise ReturnConflict(f"return {request.id} is {request.status}: it was decided already", "status")
    order = orders.get_order(session, tenant, request.order_id, lock=True)
    transition(session, tenant, order, to, Actor("seller", user_id), reason=reason)
    request.decided_at = clock.now()
    return request


@dataclass(frozen=True)
class Receipt:
    """A return whose goods arrived: the refund the view makes next (with no write open)."""

    request: ReturnRequest
    refund_minor: int
    idempotency_key: str
    bank_account: BankAccount | None


def receive(session: Session, tenant: TenantContext, seller_id: int, return_id: int, user_id: int) -> Receipt:
    """The goods are back: restock them and mark the order returned (again: a no-op, so a
    receipt whose refund failed can be retried)."""
    request = seller_return(session, tenant, seller_id, return_id, lock=True)
    if request.status == "approved":
        order = orders.get_order(session, tenant, request.order_id, lock=True)
        for line in request.lines:
            restock(session, tenant, line.variant_id, line.quantity)
        by_id = {line.id: line for line in order.lines}
        for line in request.lines:
            by_id[line.order_line_id].refunded_quantity += line.quantity
        transition(session, tenant, order, "returned", Actor("seller", user_id), reason="goods received")
        request.status, request.received_at = "received", clock.now()
    elif request.status != "received":
        raise ReturnConflict(f"return {request.id} is {request.status}: only an approved return is received", "status")
    return Receipt(request, request.refund_minor, f"{tenant.code}:return:{request.id}", refund_account(request))


def refund_account(request: ReturnRequest) -> BankAccount | None:
    if request.refund_bank_number is None or request.refund_bank_holder is None:
        return None
    return BankAccount(holder=request.refund_bank_holder, number=request.refund_bank_number,
                       bank_code=request.refund_bank_code, country=request.refund_bank_country)


def mark_refunded(session: Session, tenant: TenantContext, seller_id: int, return_id: int, user_id: int) -> ReturnRequest:
    """The refund went through: the order is refunded and whatever the buyer kept is settled."""
    request = seller_return(session, tenant, seller_id, return_id, lock=True)
    if request.status == "refunded":
        return request
    order = orders.get_order(session, tenant, request.order_id, lock=True)
    request.status, request.refunded_at = "refunded", clock.now()
    session.flush()
    orders.settle(session, tenant, order)  # the ledger first: it posts inside a savepoint
    transition(session, tenant, order, "refunded", Actor("seller", user_id),
               reason=f"{request.kind} {request.id} refunded")
    return request


def account_from(data: Mapping[str, Any] | None) -> BankAccount | None:
    """A ``BankAccount`` from request data (None when none was given)."""
    if not data:
        return None
    return BankAccount(holder=str(data["holder"]).strip(), number=str(data["number"]).strip(),
                       bank_code=(data.get("bank_code") or None), country=(data.get("country") or None))
