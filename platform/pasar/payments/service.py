"""Payment services: open a checkout's payment, call its gateway, and settle it.

The rule everywhere: **a provider is never called inside an open write transaction.** The
payment row is committed first (its ``reference`` is in the request and every webhook), the
gateway is called with no transaction open, and its answer is applied in a transaction of its
own through ``state.move`` — the one idempotent transition the webhook, the buyer's return,
expiry and reconciliation all use. ``settle`` is the single way any of them learns the outcome:
it asks the gateway (``query_status``) and applies what it says.

``confirm_cash_collected`` and ``refund_order`` (for the fulfilment side) live in
``pasar.payments.refunds`` and are re-exported here.
"""
from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pasar import clock
from pasar.contracts import (
    PaymentGateway, PaymentIntent, PaymentMethod, PaymentRequest, ProviderUnavailable, WebhookEvent,
)
from pasar.money import from_minor, to_minor, money
from pasar.orders.models import Checkout
from pasar.payments import refunds, refusals, state
from pasar.payments.gateways import Providers, UnknownMethod
from pasar.payments.models import Payment, PaymentEvent
from pasar.payments.refunds import confirm_cash_collected, refund_order
from pasar.tenancy.service import TenantContext

__all__ = [
    "PaymentNotFound", "Providers", "UnknownMethod", "WebhookOutcome", "confirm_cash_collected", "expire_checkout",
    "GatewayAnswer", "Recorded", "create_at_gateway", "handle_webhook", "mark_unknown", "open_payment",
    "record_answer", "reconcile_payment", "refund_order", "settle", "start_payment",
]


#: A payment still without the provider's answer this long after it was opened is stuck: the
#: create call is over (it had its own timeout), so reconciling it cannot race with it.
STUCK_AFTER = timedelta(minutes=10)


class PaymentNotFound(LookupError):
    """No payment of this tenant matches (another tenant's is not found either)."""


# --- opening -----------------------------------------------------------------------------------
def open_payment(session: Session, tenant: TenantContext, checkout: Checkout, method: PaymentMethod) -> Payment:
    """The checkout's payment row, written with the orders, before the gateway hears of it."""
    payment = Payment(
        checkout_id=checkout.id, reference=f"pay_{secrets.token_hex(12)}", method=method.code, flow=method.flow,
        amount_minor=checkout.total_minor, currency=checkout.currency, status="pending",
        idempotency_key=f"checkout-{checkout.id}", page_token=secrets.token_urlsafe(24), instructions={},
    )
    session.add(payment)
    session.flush()
    return payment


def payment_request(tenant: TenantContext, payment: Payment, *, return_url: str, buyer_email: str | None = None,
                    details: Mapping[str, str] | None = None) -> PaymentRequest:
    """The request the gateway gets; the same on every retry (same key, same fingerprint)."""
    return PaymentRequest(
        reference=payment.reference, amount=from_minor(payment.amount_minor, payment.currency, tenant.currency_rules()).amount,
        currency=payment.currency, method=payment.method, country=tenant.country, return_url=return_url,
        idempotency_key=payment.idempotency_key, buyer_email=buyer_email, details=dict(details or {}),
    )


def return_url(providers: Providers, tenant: TenantContext, payment: Payment) -> str:
    """Where a redirect page sends the buyer back; the payment reference lets that page settle
    the payment without a bearer token."""
    return f"{providers.base_url(tenant)}/api/v1/checkout/{payment.checkout_id}/return?payment={payment.reference}"


def start_payment(providers: Providers, tenant: TenantContext, payment_id: int, *, buyer_email: str | None,
                  details: Mapping[str, str] | None = None, opened: Payment | None = None) -> None:
    """Create the payment at the gateway (no transaction open) and apply its answer.

    A timeout leaves it ``pending`` with ``outcome_unknown`` (reconciliation settles it); a
    request the provider refuses (bad card number, amount out of limits) fails the payment.
    The same for any number of orders: one read, the gateway, one write (more only when the
    answer already ends the payment). ``opened`` is the row as ``open_payment`` returned it,
    once committed: the request is built from it without reading the payment again.
    """
    if opened is None or opened.id != payment_id:
        with providers.db.session(tenant.id) as session:
            opened = session.get_one(Payment, payment_id)
    answer = create_at_gateway(providers, tenant, opened, buyer_email=buyer_email, details=details)
    with providers.db.session(tenant.id, write=True) as session:
        record_answer(session, providers, tenant, payment_id, answer)


@dataclass(frozen=True)
class GatewayAnswer:
    """What the gateway said to the create call: its intent; or that it refused the request
    (``refusal``); or nothing at all (neither: unavailable, the outcome is unknown)."""

    intent: PaymentIntent | None
    refusal: str | None = None
    sandbox_page: bool = False


def create_at_gateway(providers: Providers, tenant: TenantContext, opened: Payment, *, buyer_email: str | None,
                      details: Mapping[str, str] | None = None) -> GatewayAnswer:
    """The create call, built from the committed row in hand. Call it with no transaction
    open: the provider is remote, and a webhook it sends meanwhile must find the payment."""
    request = payment_request(tenant, opened, return_url=return_url(providers, tenant, opened),
                              buyer_email=buyer_email, details=details)
    gateway = providers.gateway(tenant, request.method)
    try:
        intent = gateway.create_payment(request)
    except ProviderUnavailable:
        return GatewayAnswer(None)
    except ValueError as exc:
        return GatewayAnswer(None, refusal=str(exc))
    return GatewayAnswer(intent, sandbox_page=hasattr(gateway, "page_data"))


@dataclass(frozen=True)
class Recorded:
    """The gateway's answer as stored. ``payment`` is the row as it stands when the answer
    moved nothing but the payment itself (its checkout and orders are as they were placed);
    None when the payment ended, was captured or was moved by someone else meanwhile (then
    the checkout and orders may have moved too). ``deadline`` is the checkout's new
    ``expires_at`` when the answer brought one."""

    payment: Payment | None
    deadline: datetime | None = None


def record_answer(session: Session, providers: Providers, tenant: TenantContext, payment_id: int,
                  answer: GatewayAnswer) -> Recorded:
    """Apply the create call's answer in the caller's write transaction (with whatever else
    the caller keeps alongside it, such as the checkout's Idempotency-Key answer)."""
    if answer.intent is not None:
        return _apply_intent_in(session, providers, tenant, payment_id, answer.intent, answer.sandbox_page)
    payment = session.get_one(Payment, payment_id)
    if answer.refusal is not None:
        state.move(session, tenant, payment, "failed", reason=answer.refusal)
    elif payment.status in state.OPEN:
        payment.outcome_unknown = True
    return Recorded(None)


#: Provider statuses on the way to an outcome, and the statuses each may follow. Applying one
#: has no consequence beyond the payment row, so it is a single UPDATE whatever the payment's
#: status is by then (a webhook may have captured it meanwhile: then the status stays).
_ON_THE_WAY: dict[str, tuple[str, ...]] = {
    "requires_action": ("pending",),  # the provider's first answer: the buyer must act
    "pending": tuple(sorted(state.SOURCES["pending"])),
    "authorized": tuple(sorted(state.SOURCES["authorized"])),
}


def apply_intent(providers: Providers, tenant: TenantContext, payment_id: int, intent: PaymentIntent, *,
                 sandbox_page: bool = False) -> None:
    """Store what the gateway answered and move the payment accordingly.

    What the gateway said about the payment (its reference, redirect, instructions, deadline)
    and a move on the way (pending, requires action, authorised) are one UPDATE; an answer
    that already captures or ends the payment then moves it with its consequences.
    """
    with providers.db.session(tenant.id, write=True) as session:
        _apply_intent_in(session, providers, tenant, payment_id, intent, sandbox_page)


def _apply_intent_in(session: Session, providers: Providers, tenant: TenantContext, payment_id: int,
                     intent: PaymentIntent, sandbox_page: bool) -> Recorded:
    """``apply_intent`` in the caller's transaction. The UPDATE returns the row, so neither
    the move that may follow nor the caller's answer reads the payment again."""
    values = _intent_values(providers, tenant, intent, sandbox_page)
    sources = _ON_THE_WAY.get(intent.status)
    if sources is not None:
        values["status"] = case((Payment.status.in_(sources), intent.status), else_=Payment.status)
    payment = session.scalars(update(Payment).where(Payment.id == payment_id).values(**values).returning(Payment)
                              .execution_options(synchronize_session=False, populate_existing=True)).one()
    deadline = _checkout_deadline(session, payment_id, intent.expires_at) if intent.expires_at is not None else None
    if sources is None:
        state.move(session, tenant, payment, intent.status, reason=intent.failure_reason,
                   amount_minor=_minor(tenant, intent))
        return Recorded(None)
    return Recorded(payment if payment.status == intent.status else None, deadline)


def _intent_values(providers: Providers, tenant: TenantContext, intent: PaymentIntent, sandbox_page: bool) -> dict[str, Any]:
    """The payment's columns the gateway's answer sets; a reference, redirect, instructions
    or deadline already stored is kept when the answer has none (the provider reference
    once known never changes)."""
    provider_ref = func.coalesce(Payment.provider_ref, intent.provider_ref)
    values: dict[str, Any] = {"provider_ref": provider_ref, "outcome_unknown": False, "updated_at": clock.now()}
    if intent.redirect_url:
        values["redirect_url"] = intent.redirect_url
    if intent.instructions:
        values["instructions"] = dict(intent.instructions)
    if intent.expires_at is not None:
        values["expires_at"] = intent.expires_at
    if sandbox_page and intent.instructions and not intent.redirect_url:
        values["sandbox_url"] = literal(f"{providers.base_url(tenant)}/sandbox/{tenant.code}/pay/").concat(provider_ref)
    return values


def _checkout_deadline(session: Session, payment_id: int, expires_at: datetime) -> datetime | None:
    """A virtual account or QR code brings its own deadline: the checkout expires with it
    (returned when set; None when the checkout has no deadline or is no longer pending)."""
    checkout_id = select(Payment.checkout_id).where(Payment.id == payment_id).scalar_subquery()
    return session.scalar(
        update(Checkout).where(Checkout.id == checkout_id, Checkout.status == "pending_payment",
                               Checkout.expires_at.is_not(None))
        .values(expires_at=expires_at).returning(Checkout.expires_at).execution_options(synchronize_session=False)
    )


def mark_unknown(providers: Providers, tenant: TenantContext, payment_id: int) -> None:
    """Leave the payment to reconciliation: its outcome at the provider is not known."""
    with providers.db.session(tenant.id, write=True) as session:
        payment = session.get_one(Payment, payment_id)
        if payment.status in state.OPEN:
            payment.outcome_unknown = True


def _fail(providers: Providers, tenant: TenantContext, payment_id: int, reason: str) -> None:
    with providers.db.session(tenant.id, write=True) as session:
        payment = session.get_one(Payment, payment_id)
        state.move(session, tenant, payment, "failed", reason=reason)


def _minor(tenant: TenantContext, intent: PaymentIntent) -> int | None:
    try:
        return to_minor(money(intent.amount, intent.currency), tenant.currency_rules())
    except ValueError:
        return None


# --- settling ----------------------------------------------------------------------------------
def settle(providers: Providers, tenant: TenantContext, payment_id: int) -> str:
    """Ask the gateway how the payment stands and apply it; returns our status afterwards.

    The webhook, the buyer's return, expiry and reconciliation all come here, so whichever
    comes first moves the payment and the others find nothing left to do.
    """
    with providers.db.session(tenant.id) as session:
        payment = session.get_one(Payment, payment_id)
        provider_ref, method, status = payment.provider_ref, payment.method, payment.status
    if provider_ref is None:
        return reconcile_payment(providers, tenant, payment_id) if _unknown(providers, tenant, payment_id) else status
    try:
        intent = providers.gateway(tenant, method).query_status(provider_ref)
    except (ProviderUnavailable, KeyError):
        return status
    with providers.db.session(tenant.id, write=True) as session:
        payment = session.get_one(Payment, payment_id)
        state.move(session, tenant, payment, intent.status, reason=intent.failure_reason, amount_minor=_minor(tenant, intent))
        return payment.status


def _unknown(providers: Providers, tenant: TenantContext, payment_id: int) -> bool:
    with providers.db.session(tenant.id) as session:
        return session.get_one(Payment, payment_id).outcome_unknown


def reconcile_payment(providers: Providers, tenant: TenantContext, payment_id: int) -> str:
    """Settle a payment whose outcome is unknown. Without a provider reference the create call
    timed out: it is made again with the SAME idempotency key, which returns the payment the
    provider already has (or creates it now) — never a second charge. Card numbers are never
    stored, so a card payment the provider never received fails here instead."""
    with providers.db.session(tenant.id) as session:
        payment = session.get_one(Payment, payment_id)
        if payment.provider_ref is not None or payment.status not in state.OPEN:
            provider_ref = payment.provider_ref
            request = None
        else:
            provider_ref = None
            request = payment_request(tenant, payment, return_url=return_url(providers, tenant, payment))
    if request is None:
        return settle(providers, tenant, payment_id) if provider_ref is not None else _status(providers, tenant, payment_id)
    gateway = providers.gateway(tenant, request.method)
    try:
        intent = gateway.create_payment(request)
    except ProviderUnavailable:
        return _status(providers, tenant, payment_id)
    except ValueError as exc:
        _fail(providers, tenant, payment_id, str(exc))
        return _status(providers, tenant, payment_id)
    apply_intent(providers, tenant, payment_id, intent, sandbox_page=hasattr(gateway, "page_data"))
    return settle(providers, tenant, payment_id)


def _status(providers: Providers, tenant: TenantContext, payment_id: int) -> str:
    with providers.db.session(tenant.id) as session:
        return session.get_one(Payment, payment_id).status


def expire_checkout(providers: Providers, tenant: TenantContext, checkout_id: int) -> str:
    """A checkout past its deadline: settle its payment first — one that succeeded meanwhile is
    kept, never cancelled — then cancel it at the gateway, which ends the orders, returns
    stock and vouchers. Returns the payment's status afterwards.

    Past the deadline the create call is long over, so a payment the gateway never confirmed
    (no provider reference) is reconciled with its own key before it is cancelled.
    """
    with providers.db.session(tenant.id) as session:
        payment = session.scalar(select(Payment).where(Payment.checkout_id == checkout_id))
        if payment is None:
            return "missing"
        payment_id, method, known = payment.id, payment.method, payment.provider_ref is not None
    status = settle(providers, tenant, payment_id) if known else reconcile_payment(providers, tenant, payment_id)
    with providers.db.session(tenant.id) as session:
        payment = session.get_one(Payment, payment_id)
        checkout = session.get_one(Checkout, checkout_id)
        due = checkout.expires_at is not None and checkout.expires_at <= clock.now()
        provider_ref = payment.provider_ref
    if status not in state.OPEN or not due or provider_ref is None:
        return status
    try:
        intent = providers.gateway(tenant, method).cancel(provider_ref)
    except ProviderUnavailable:
        return status
    except ValueError:  # captured, expired or failed at the provider meanwhile
        return settle(providers, tenant, payment_id)
    with providers.db.session(tenant.id, write=True) as session:
        payment = session.get_one(Payment, payment_id)
        state.move(session, tenant, payment, intent.status, reason="not paid in time")
        return payment.status


# --- webhooks ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class WebhookOutcome:
    duplicate: bool
    payment_id: int | None
    status: str | None


def handle_webhook(providers: Providers, tenant: TenantContext, method: str, headers: Mapping[str, str], body: bytes) -> WebhookOutcome:
    """Verify, ask the gateway, then record and apply in one transaction.

    A notice may be stale or out of order, so it is not trusted for the outcome: the gateway
    is asked how the payment stands (``query_status``) before any transaction opens. Then one
    write transaction finds the payment together with any earlier delivery of the event id
    (one read), stores the event already applied, and moves the payment — recorded and
    applied together, so a crash leaves neither. The usual notice (nothing left to move) is
    four statements: the provider's record, the payment, the event, the payment's last event.

    Raises ``UnknownMethod`` (no such gateway here), ``WebhookError`` (bad signature, stale
    timestamp or body: nothing is written) and ``PaymentNotFound``. An event id seen before and
    already applied changes nothing; one recorded but not yet applied (a refund notice that
    came before its reference, or an older crash) is applied now, which is harmless.
    """
    gateway = providers.gateway(tenant, method)
    event = gateway.verify_webhook(headers, body)
    if event.type.startswith("refund."):
        return _refund_webhook(providers, tenant, method, event)
    intent = _provider_view(gateway, event.provider_ref)
    with providers.db.session(tenant.id, write=True) as session:
        payment, seen_id, seen_applied = _payment_and_event(session, method, event)
        if seen_applied:
            return WebhookOutcome(True, payment.id, None)
        # Asked about another provider payment than ours (we keep the first reference): settle
        # ours after this transaction, as the buyer's return would.
        ours = (payment.provider_ref or event.provider_ref) == event.provider_ref
        if seen_id is None:
            event_row_id = _insert_event(session, tenant, method, event, payment_id=payment.id, applied=ours)
            if event_row_id is None:  # a concurrent delivery of the same event won
                return WebhookOutcome(True, payment.id, None)
        else:
            event_row_id = seen_id
            session.execute(update(PaymentEvent).where(PaymentEvent.id == seen_id)
                            .values(payment_id=payment.id, applied=ours).execution_options(synchronize_session=False))
        _note_event(session, payment, event)
        if ours:
            if intent is not None:  # None: the provider could not say now; reconciliation will
                state.move(session, tenant, payment, intent.status, reason=intent.failure_reason,
                           amount_minor=_minor(tenant, intent))
            return WebhookOutcome(False, payment.id, payment.status)
        payment_id = payment.id
    status = settle(providers, tenant, payment_id)
    with providers.db.session(tenant.id, write=True) as session:
        session.get_one(PaymentEvent, event_row_id).applied = True
    return WebhookOutcome(False, payment_id, status)


def _note_event(session: Session, payment: Payment, event: WebhookEvent) -> None:
    """The payment learns the provider's reference (if the webhook overtook the gateway's
    answer) and the time of the newest notice: one UPDATE, none when neither changes."""
    values = {"provider_ref": payment.provider_ref or event.provider_ref,
              "last_event_at": max(filter(None, (payment.last_event_at, event.occurred_at)))}
    if all(getattr(payment, name) == value for name, value in values.items()):
        return
    values["updated_at"] = clock.now()
    session.execute(update(Payment).where(Payment.id == payment.id).values(**values)
                    .execution_options(synchronize_session=False))
    for name, value in values.items():
        set_committed_value(payment, name, value)


def _provider_view(gateway: PaymentGateway, provider_ref: str) -> PaymentIntent | None:
    """How the provider sees the payment now; None when it cannot say (unavailable, or it
    never heard of the reference)."""
    try:
        return gateway.query_status(provider_ref)
    except (ProviderUnavailable, KeyError):
        return None


def _payment_and_event(session: Session, method: str, event: WebhookEvent) -> tuple[Payment, int | None, bool]:
    """The payment the event is about, by the provider's reference or by ours (the webhook
    may overtake the gateway's answer), with the id of an earlier delivery of the same event
    and whether it was applied — one read."""
    reference = event.data.get("reference")
    conditions = [Payment.provider_ref == event.provider_ref]
    if isinstance(reference, str):
        conditions.append(Payment.reference == reference)
    earlier = and_(PaymentEvent.tenant_id == Payment.tenant_id, PaymentEvent.provider == method,
                   PaymentEvent.event_id == event.event_id)
    row = session.execute(
        select(Payment, PaymentEvent.id, PaymentEvent.applied).outerjoin(PaymentEvent, earlier)
        .where(or_(*conditions)).limit(1)
    ).first()
    if row is None:
        raise PaymentNotFound(f"no payment {event.provider_ref!r}")
    payment, seen_id, applied = row
    return payment, seen_id, bool(applied)


def _insert_event(session: Session, tenant: TenantContext, method: str, event: WebhookEvent, *, payment_id: int,
                  applied: bool) -> int | None:
    """Store the event once: its row id, or None when a concurrent delivery of the same event
    holds the id (INSERT ... ON CONFLICT DO NOTHING: no savepoint needed, none written)."""
    insert = _dialect_insert(session)(PaymentEvent).values(
        tenant_id=tenant.id, provider=method, event_id=event.event_id, type=event.type, payment_id=payment_id,
        subject_ref=event.provider_ref[:100], occurred_at=event.occurred_at, data=_jsonable(event.data),
        applied=applied, received_at=clock.now(),
    )
    stored = insert.on_conflict_do_nothing(index_elements=["tenant_id", "provider", "event_id"]).returning(PaymentEvent.id)
    return session.execute(stored).scalar()


def _dialect_insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _record_refund_event(session: Session, method: str, event: WebhookEvent) -> PaymentEvent | None:
    """The stored refund notice (new, or found again); None when a concurrent delivery of the
    same event won the insert."""
    found = session.scalar(select(PaymentEvent).where(PaymentEvent.provider == method,
                                                      PaymentEvent.event_id == event.event_id))
    if found is not None:
        return found
    subject = str(event.data.get("refund_ref") or event.provider_ref)
    stored = PaymentEvent(provider=method, event_id=event.event_id, type=event.type, subject_ref=subject[:100],
                          occurred_at=event.occurred_at, data=_jsonable(event.data))
    try:
        with session.begin_nested():
            session.add(stored)
    except IntegrityError:
        return None
    return stored


def _refund_webhook(providers: Providers, tenant: TenantContext, method: str, event: WebhookEvent) -> WebhookOutcome:
    """A refund notice: stored once, applied when we know its refund (``refunds``)."""
    with providers.db.session(tenant.id, write=True) as session:
        stored = _record_refund_event(session, method, event)
        if stored is None or stored.applied:
            return WebhookOutcome(True, stored.payment_id if stored else None, None)
        refunds.apply_refund_event(session, tenant, stored)
        return WebhookOutcome(False, stored.payment_id, None)


def _jsonable(data: Mapping[str, object]) -> dict[str, object]:
    return {key: (str(value) if isinstance(value, Decimal) else value) for key, value in data.items()}


# --- queries -----------------------------------------------------------------------------------
def payment_of(session: Session, tenant: TenantContext, checkout_id: int) -> Payment | None:
    return session.scalar(select(Payment).where(Payment.checkout_id == checkout_id))


def payment_by_provider_ref(session: Session, tenant: TenantContext, provider_ref: str) -> Payment:
    payment = session.scalar(select(Payment).where(Payment.provider_ref == provider_ref))
    if payment is None:
        raise PaymentNotFound(provider_ref)
    return payment


def unsettled_payment_ids(session: Session, limit: int = 200) -> list[tuple[int, int]]:
    """``(tenant_id, payment_id)`` across tenants of payments whose outcome is unknown: a
    gateway call that timed out, or one that never answered at all (the process died after the
    orders were committed) and is older than ``STUCK_AFTER``."""
    stuck = and_(Payment.provider_ref.is_(None), Payment.status.in_(sorted(state.OPEN)),
                 Payment.created_at < clock.now() - STUCK_AFTER)
    query = select(Payment.tenant_id, Payment.id).where(or_(Payment.outcome_unknown.is_(True), stuck))
    return [(tenant_id, payment_id) for tenant_id, payment_id in session.execute(query.order_by(Payment.id).limit(limit))]


def uncollected_cash_ids(session: Session, limit: int = 200) -> list[tuple[int, int]]:
    """``(tenant_id, payment_id)`` of cash-on-delivery payments still open although every
    order of their checkout is collected or cancelled: the gateway call after the last
    carrier's notice or the last parcel's refusal (``refusals``) failed or was lost."""
    query = select(Payment.tenant_id, Payment.id).where(
        Payment.flow == "on_delivery", Payment.status.in_(sorted(state.OPEN)), refusals.nothing_waiting(),
        Payment.updated_at < clock.now() - STUCK_AFTER,
    ).order_by(Payment.id).limit(limit)
    return [(tenant_id, payment_id) for tenant_id, payment_id in session.execute(query)]
