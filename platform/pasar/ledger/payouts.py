"""Payout batches: pay every seller and creator what the ledger says they are owed.

A batch runs in phases so the provider is never called inside a long database write (SQLite
allows one writer, and a slow bank must not hold it):

1. plan (one short write transaction): for each owner with a positive payable at or above the
   minimum, record a ``pending`` payout and reserve its amount in the ledger (``payout``
   posting); owners without a valid bank account are recorded as ``skipped``. Commit.
2. submit: for each pending payout, call the provider with a deterministic idempotency key,
   then record its answer in a short transaction of its own. A timeout
   (``ProviderUnavailable``) leaves the payout pending; the next run submits it again with the
   same key, which can never pay twice. A refusal fails it and gives the money back.
3. settle: the provider's ``payout.paid`` / ``payout.failed`` webhook reaches
   ``apply_payout_event``; a failure reverses the reservation so the money is owed again.

The batch reference (by default the tenant's local date) is unique: running the batch twice
on one day resumes the first run instead of paying again. ``run_payout_batch`` commits the
session it is given at each phase boundary, so hand it a session with no pending work.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from moneyed import Money
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from pasar.clock import now
from pasar.contracts import (
    BankAccount,
    PayoutProvider,
    PayoutRequest,
    PayoutResult,
    ProviderUnavailable,
    WebhookEvent,
)
from pasar.events import service as events
from pasar.ledger import postings, service
from pasar.ledger.models import Payout, PayoutBatch
from pasar.ledger.postings import Owner
from pasar.money import from_minor, to_minor
from pasar.tenancy.service import TenantContext

BankAccountFor = Callable[[str, int], BankAccount | None]
OWNER_TYPES = {prefix: owner for owner, prefix in postings.PAYABLE_PREFIXES.items()}
NO_BANK_ACCOUNT = "no bank account on file"


class UnknownPayout(LookupError):
    """A provider event names a payout this tenant never made."""


@dataclass(frozen=True)
class Candidate:
    """An owner found owed in the read phase, and why the provider cannot pay them (if so)."""

    owner: Owner
    problems: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Running a batch
# ---------------------------------------------------------------------------------------------


def run_payout_batch(
    session: Session,
    tenant: TenantContext,
    provider: PayoutProvider,
    bank_account_for: BankAccountFor,
    minimum: Money | None = None,
    *,
    reference: str | None = None,
) -> PayoutBatch:
    """Plan, reserve and submit one batch of payouts in the tenant's currency; see the module
    docstring for the phases. Returns the batch with its payouts."""
    reference = reference or default_reference(tenant)
    if len(reference) > 64:
        raise service.LedgerError(f"a batch reference has at most 64 characters, got {reference!r}")
    minimum_minor = _minimum_minor(tenant, minimum)
    session.commit()
    batch = _existing_batch(session, tenant, reference)
    if batch is None:
        candidates = _candidates(session, tenant, provider, bank_account_for, minimum_minor)
        with write_transaction(session):
            batch = _plan(session, tenant, provider, reference, minimum_minor, candidates)
    _submit_unsent(session, tenant, provider, bank_account_for)
    with write_transaction(session):
        _complete_if_settled(session, tenant, batch)
    session.refresh(batch)
    return batch


def default_reference(tenant: TenantContext) -> str:
    """Today's date where the tenant is: one scheduled batch per local day."""
    return now().astimezone(ZoneInfo(tenant.config.timezone)).date().isoformat()


def _minimum_minor(tenant: TenantContext, minimum: Money | None) -> int:
    if minimum is None:
        return 1
    if minimum.currency.code != tenant.currency:
        raise service.LedgerError(f"the minimum must be in {tenant.currency}, not {minimum.currency.code}")
    return max(to_minor(minimum, tenant.currency_rules()), 1)


@contextmanager
def write_transaction(session: Session) -> Iterator[None]:
    """A short transaction that takes SQLite's write lock up front (BEGIN IMMEDIATE) and
    commits at the end; on error it rolls back and re-raises."""
    session.commit()
    session.connection(execution_options={"pasar_write": True})
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _existing_batch(session: Session, tenant: TenantContext, reference: str) -> PayoutBatch | None:
    query = select(PayoutBatch).where(
        PayoutBatch.tenant_id == tenant.id, PayoutBatch.reference == reference
    )
    return session.scalar(query)


def _owed(session: Session, tenant: TenantContext, minimum_minor: int) -> list[tuple[Owner, int]]:
    """Every seller and creator owed at least ``minimum_minor`` (clawbacks owe, never paid)."""
    rows = service.balances_by_prefix(session, tenant, list(OWNER_TYPES), tenant.currency)
    owed = []
    for account, balance in rows:
        if -balance >= minimum_minor and account.owner_type and account.owner_id:
            owed.append((Owner(account.owner_type, account.owner_id), -balance))
    return owed


def _candidates(
    session: Session,
    tenant: TenantContext,
    provider: PayoutProvider,
    bank_account_for: BankAccountFor,
    minimum_minor: int,
) -> dict[Owner, Candidate]:
    """Read phase: who is owed, and whether the provider accepts their bank account."""
    found: dict[Owner, Candidate] = {}
    for owner, _amount in _owed(session, tenant, minimum_minor):
        account = bank_account_for(owner.type, owner.id)
        problems = tuple(provider.validate_account(account)) if account else (NO_BANK_ACCOUNT,)
        found[owner] = Candidate(owner, problems)
    session.commit()
    return found


def _plan(
    session: Session,
    tenant: TenantContext,
    provider: PayoutProvider,
    reference: str,
    minimum_minor: int,
    candidates: dict[Owner, Candidate],
) -> PayoutBatch:
    """Write phase: the batch, a payout per owner still owed, and the ledger reservations.
    Balances are read again under lock, so a concurrent run cannot pay the same money."""
    batch, created = _create_batch(session, tenant, provider, reference, minimum_minor)
    if not created:
        return batch  # a concurrent run created and planned it first
    service.lock_accounts(session, tenant, list(OWNER_TYPES), tenant.currency)
    for owner, amount in _owed(session, tenant, minimum_minor):
        candidate = candidates.get(owner)
        if candidate is not None:
            _plan_one(session, tenant, batch, candidate, amount)
    return batch


def _create_batch(
    session: Session, tenant: TenantContext, provider: PayoutProvider, reference: str, minimum_minor: int
) -> tuple[PayoutBatch, bool]:
    batch = PayoutBatch(
        tenant_id=tenant.id,
        reference=reference,
        provider=provider.code,
        currency=tenant.currency,
        minimum_minor=minimum_minor,
    )
    try:
        with session.begin_nested():
            session.add(batch)
    except IntegrityError:
        existing = _existing_batch(session, tenant, reference)
        if existing is None:
            raise
        return existing, False
    return batch, True


def _plan_one(
    session: Session, tenant: TenantContext, batch: PayoutBatch, candidate: Candidate, amount: int
) -> Payout:
    owner = candidate.owner
    ref = f"payout:{batch.reference}:{owner.type}:{owner.id}"
    payout = Payout(
        tenant_id=tenant.id,
        owner_type=owner.type,
        owner_id=owner.id,
        reference=ref,
        idempotency_key=f"pasar:{tenant.code}:{ref}",
        amount_minor=amount,
        currency=batch.currency,
        provider=batch.provider,
    )
    batch.payouts.append(payout)
    if candidate.problems:
        payout.status, payout.failure_reason = "skipped", "; ".join(candidate.problems)[:500]
        return payout
    postings.payout(session, tenant, ref, owner, amount_of(tenant, payout))
    return payout


def amount_of(tenant: TenantContext, payout: Payout) -> Money:
    """The payout's amount as ``Money``."""
    return from_minor(payout.amount_minor, payout.currency, service.rules_for(tenant, payout.currency))


# ---------------------------------------------------------------------------------------------
# Submitting
# ---------------------------------------------------------------------------------------------


def _submit_unsent(
    session: Session, tenant: TenantContext, provider: PayoutProvider, bank_account_for: BankAccountFor
) -> None:
    """Send every pending payout of this provider, this batch's and earlier timed-out ones."""
    query = (
        select(Payout)
        .where(Payout.tenant_id == tenant.id, Payout.status == "pending")
        .where(Payout.provider == provider.code, Payout.provider_ref.is_(None))
        .order_by(Payout.id)
    )
    unsent = list(session.scalars(query))
    session.commit()
    for payout in unsent:
        _submit(session, tenant, provider, payout, bank_account_for(payout.owner_type, payout.owner_id))


def _submit(
    session: Session,
    tenant: TenantContext,
    provider: PayoutProvider,
    payout: Payout,
    account: BankAccount | None,
) -> None:
    """Call the provider with no transaction open, then record what it said."""
    if account is None:
        with write_transaction(session):
            _settle(session, tenant, _reload(session, payout), "failed", NO_BANK_ACCOUNT, now())
        return
    request = PayoutRequest(
        reference=payout.reference,
        amount=amount_of(tenant, payout).amount,
        currency=payout.currency,
        account=account,
        idempotency_key=payout.idempotency_key,
    )
    try:
        result = provider.create_payout(request)
    except ProviderUnavailable:
        return  # outcome unknown: stays pending, resubmitted with the same key next run
    except ValueError as exc:  # the provider refused the request itself
        with write_transaction(session):
            _settle(session, tenant, _reload(session, payout), "failed", str(exc), now())
        return
    with write_transaction(session):
        _record(session, tenant, _reload(session, payout), result)


def _reload(session: Session, payout: Payout) -> Payout:
    """The payout as stored now, locked: a webhook may have settled it meanwhile."""
    session.refresh(payout, with_for_update=True)
    return payout


def _record(session: Session, tenant: TenantContext, payout: Payout, result: PayoutResult) -> None:
    if payout.provider_ref is None:
        payout.provider_ref = result.provider_ref
    if payout.status not in ("pending", "processing"):
        return  # the webhook was faster than the API answer
    if result.status == "pending":
        payout.status = "processing"
    else:
        _settle(session, tenant, payout, result.status, result.failure_reason or "", now())


# ---------------------------------------------------------------------------------------------
# Settling
# ---------------------------------------------------------------------------------------------


def apply_payout_event(session: Session, tenant: TenantContext, event: WebhookEvent) -> Payout:
    """Apply a verified ``payout.paid`` / ``payout.failed`` event in the caller's transaction.

    Idempotent: an event for a payout already paid or failed changes nothing, so a redelivered
    or late webhook is harmless. The payout is found by the provider's reference or, when the
    webhook beat the API answer, by our own reference in the event's data.
    """
    payout = _payout_for_event(session, tenant, event)
    if event.amount is not None and event.currency is not None:
        _check_event_amount(tenant, payout, event)
    if payout.provider_ref is None:
        payout.provider_ref = event.provider_ref
    outcome = {"payout.paid": "paid", "payout.failed": "failed"}.get(event.type)
    if outcome is not None and payout.status in ("pending", "processing"):
        reason = str(event.data.get("failure_reason") or "")
        _settle(session, tenant, payout, outcome, reason, event.occurred_at)
        _complete_if_settled(session, tenant, payout.batch)
    return payout


def _payout_for_event(session: Session, tenant: TenantContext, event: WebhookEvent) -> Payout:
    by_ref = select(Payout).where(Payout.tenant_id == tenant.id, Payout.provider_ref == event.provider_ref)
    payout = session.scalar(by_ref.with_for_update())
    reference = event.data.get("reference")
    if payout is None and reference:
        by_ours = select(Payout).where(Payout.tenant_id == tenant.id, Payout.reference == str(reference))
        payout = session.scalar(by_ours.with_for_update())
        if payout is not None and payout.provider_ref not in (None, event.provider_ref):
            payout = None  # our reference, but another transfer: not this payout's event
    if payout is None:
        raise UnknownPayout(f"no payout with provider reference {event.provider_ref!r}")
    return payout


def _check_event_amount(tenant: TenantContext, payout: Payout, event: WebhookEvent) -> None:
    """An event stating another amount than we sent is not about this payout: refuse it."""
    expected = amount_of(tenant, payout)
    if event.currency != payout.currency or event.amount != expected.amount:
        raise service.LedgerError(
            f"event {event.event_id} states {event.amount} {event.currency} for payout "
            f"{payout.reference}, which is {service.text(expected)}"
        )


def _settle(
    session: Session, tenant: TenantContext, payout: Payout, outcome: str, reason: str, at: datetime
) -> None:
    """Make a payout final and post its settlement (a failure gives the money back)."""
    owner, amount = Owner(payout.owner_type, payout.owner_id), amount_of(tenant, payout)
    if outcome == "paid":
        postings.payout_paid(session, tenant, payout.reference, owner, amount, occurred_at=at)
    else:
        postings.payout_failed(
            session, tenant, payout.reference, owner, amount, reason=reason, occurred_at=at
        )
        payout.failure_reason = (reason or "failed")[:500]
    payout.status, payout.settled_at = outcome, at
    events.record(
        session, tenant, f"payout.{outcome}", payout.id,
        {"owner_type": owner.type, "owner_id": owner.id, "amount": str(amount.amount),
         "currency": payout.currency, "reference": payout.reference},
    )


def _complete_if_settled(session: Session, tenant: TenantContext, batch: PayoutBatch) -> None:
    """A batch is complete once none of its payouts waits for the provider."""
    waiting = session.scalar(
        select(func.count(Payout.id)).where(
            Payout.tenant_id == tenant.id,
            Payout.batch_id == batch.id,
            Payout.status.in_(("pending", "processing")),
        )
    )
    if batch.status == "open" and not waiting:
        batch.status, batch.completed_at = "completed", now()


def payouts_of(
    session: Session, tenant: TenantContext, owner_type: str, owner_id: int, limit: int = 50, offset: int = 0
) -> list[Payout]:
    """One owner's payouts, newest first, with their batches."""
    query = (
        select(Payout)
        .where(Payout.tenant_id == tenant.id, Payout.owner_type == owner_type, Payout.owner_id == owner_id)
        .options(selectinload(Payout.batch))
        .order_by(Payout.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))
