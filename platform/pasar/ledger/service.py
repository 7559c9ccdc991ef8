"""Posting to the ledger and reading balances.

``post`` is the only writer of ledger rows. It runs in the caller's transaction (so a posting
commits or rolls back with the change that caused it), refuses unbalanced transactions, and is
idempotent on ``(kind, reference)``: the unique constraint decides between two concurrent
posters, and the loser re-reads the winner's transaction inside a savepoint, so the caller's
transaction survives on PostgreSQL too.

Every query here filters on the tenant explicitly as well as through the session's automatic
criterion, so the functions stay correct in an operator session bound to all tenants.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from moneyed import Money
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from pasar.clock import now
from pasar.contracts import CurrencyRules
from pasar.ledger.models import LedgerAccount, LedgerEntry, LedgerTransaction
from pasar.money import from_minor, to_minor
from pasar.tenancy.service import TenantContext

Leg = tuple[str, Money]
#: Normalised legs: (account code, currency) → signed minor units, zero legs dropped.
Legs = dict[tuple[str, str], int]

#: Platform accounts and their kinds.
PLATFORM_ACCOUNTS: Mapping[str, str] = {
    "gateway": "asset",  # money held at the payment provider / the platform's bank
    "buyer_clearing": "liability",  # captured from buyers, not yet split to an order's parties
    "platform_revenue": "revenue",  # commission
    "ad_revenue": "revenue",  # ad budget spent by sellers
    "payment_fees": "expense",  # payment fees recovered from sellers (credits offset the cost)
    "tax_payable": "liability",  # tax the marketplace collects as deemed supplier/facilitator
    "withholding_payable": "liability",  # income tax withheld from sellers' turnover
    "payout_clearing": "liability",  # payouts sent to the provider, not yet confirmed
    "refund_clearing": "liability",  # refunds owed to buyers, not yet confirmed by the gateway
}
#: Per-owner account prefixes: ``<prefix>:<owner id>`` → (kind, owner type).
OWNER_ACCOUNTS: Mapping[str, tuple[str, str]] = {
    "seller_payable": ("liability", "seller"),
    "creator_payable": ("liability", "creator"),
    "ad_balance": ("liability", "seller"),  # prepaid ad budget a seller may still spend
}


class LedgerError(ValueError):
    """A posting the books cannot take; the message names what is wrong."""


class UnbalancedTransaction(LedgerError):
    """The legs of one currency do not sum to zero."""


class IdempotencyConflict(LedgerError):
    """The same (kind, reference) was posted before with different legs."""


@dataclass(frozen=True)
class AccountSpec:
    kind: str
    owner_type: str | None = None
    owner_id: int | None = None


def account_spec(code: str) -> AccountSpec:
    """What an account code means; an unknown code is refused rather than guessed."""
    if code in PLATFORM_ACCOUNTS:
        return AccountSpec(PLATFORM_ACCOUNTS[code])
    prefix, _, owner = code.partition(":")
    if prefix in OWNER_ACCOUNTS and owner.isdigit() and int(owner) > 0:
        kind, owner_type = OWNER_ACCOUNTS[prefix]
        return AccountSpec(kind, owner_type, int(owner))
    raise LedgerError(f"unknown ledger account {code!r}")


def owner_account(prefix: str, owner_id: int) -> str:
    """The code of an owner's account, e.g. ``owner_account("seller_payable", 12)``."""
    code = f"{prefix}:{owner_id}"
    account_spec(code)
    return code


def text(amount: Money) -> str:
    """``12.50 GBP``: money in error messages, free of the locale babel would format it in."""
    return f"{amount.amount} {amount.currency.code}"


def rules_for(tenant: TenantContext, currency: str) -> CurrencyRules:
    """The tenant's rules for its own currency; the region's (or kernel's) for any other."""
    if currency == tenant.currency:
        return tenant.currency_rules()
    return tenant.hooks.currency_rules(currency, tenant.country)


# ---------------------------------------------------------------------------------------------
# Posting
# ---------------------------------------------------------------------------------------------


def post(
    session: Session,
    tenant: TenantContext,
    kind: str,
    reference: str,
    legs: Sequence[Leg],
    memo: str = "",
    metadata: Mapping[str, Any] | None = None,
    *,
    occurred_at: datetime | None = None,
    related_ref: str | None = None,
) -> LedgerTransaction:
    """Post a balanced transaction once; the same (kind, reference) again returns the first.

    Legs are (account code, signed ``Money``): debit positive, credit negative. Legs on the
    same account are added up and zero legs dropped. Raises ``UnbalancedTransaction`` when a
    currency's legs do not sum to zero and ``IdempotencyConflict`` when (kind, reference)
    already holds different legs.
    """
    _check_names(kind, reference)
    wanted = normalise(tenant, legs)
    existing = find(session, tenant, kind, reference)
    if existing is not None:
        return _same_or_refuse(existing, wanted)
    transaction = LedgerTransaction(
        tenant_id=tenant.id,
        kind=kind,
        reference=reference,
        related_ref=related_ref,
        occurred_at=occurred_at or now(),
        memo=memo[:500],
        meta=dict(metadata or {}),
    )
    accounts = get_accounts(session, tenant, wanted)
    for (code, currency), amount in sorted(wanted.items()):
        account = accounts[(code, currency)]
        transaction.entries.append(
            LedgerEntry(tenant_id=tenant.id, account=account, amount_minor=amount, currency=currency)
        )
    return _insert_once(session, tenant, transaction, wanted)


def _check_names(kind: str, reference: str) -> None:
    if not kind or len(kind) > 32:
        raise LedgerError(f"transaction kind must be 1-32 characters, got {kind!r}")
    if not reference or len(reference) > 200:
        raise LedgerError(f"transaction reference must be 1-200 characters, got {reference!r}")


def normalise(tenant: TenantContext, legs: Iterable[Leg]) -> Legs:
    """Legs as minor units per (account, currency); refuses unbalanced or empty postings."""
    summed: dict[tuple[str, str], int] = defaultdict(int)
    rules: dict[str, CurrencyRules] = {}
    for code, amount in legs:
        account_spec(code)
        currency = amount.currency.code
        if currency not in rules:
            rules[currency] = rules_for(tenant, currency)
        summed[(code, currency)] += to_minor(amount, rules[currency])
    result = {key: value for key, value in summed.items() if value != 0}
    if not result:
        raise LedgerError("a transaction needs at least one non-zero leg")
    _check_balanced(result, rules)
    return result


def _check_balanced(legs: Legs, rules: Mapping[str, CurrencyRules]) -> None:
    totals: dict[str, int] = defaultdict(int)
    for (_code, currency), amount in legs.items():
        totals[currency] += amount
    for currency, total in sorted(totals.items()):
        if total != 0:
            off = from_minor(total, currency, rules[currency])
            raise UnbalancedTransaction(
                f"the {currency} legs sum to {off.amount} {currency}, not zero: every currency "
                "needs legs that balance it"
            )


def _insert_once(
    session: Session, tenant: TenantContext, transaction: LedgerTransaction, wanted: Legs
) -> LedgerTransaction:
    """Insert inside a savepoint; if a concurrent poster won the unique key, use theirs."""
    try:
        with session.begin_nested():
            session.add(transaction)
    except IntegrityError:
        winner = find(session, tenant, transaction.kind, transaction.reference)
        if winner is None:
            raise
        return _same_or_refuse(winner, wanted)
    return transaction


def _same_or_refuse(existing: LedgerTransaction, wanted: Legs) -> LedgerTransaction:
    if stored_legs(existing) != wanted:
        raise IdempotencyConflict(
            f"{existing.kind} {existing.reference!r} was already posted with other amounts"
        )
    return existing


def stored_legs(transaction: LedgerTransaction) -> Legs:
    """A stored transaction's legs in the form ``normalise`` returns."""
    legs: Legs = defaultdict(int)
    for entry in transaction.entries:
        legs[(entry.account.code, entry.currency)] += entry.amount_minor
    return dict(legs)


def find(
    session: Session, tenant: TenantContext, kind: str, reference: str, *, lock: bool = False
) -> LedgerTransaction | None:
    """The transaction posted as (kind, reference), if any; ``lock`` holds it for update."""
    query = (
        select(LedgerTransaction)
        .where(
            LedgerTransaction.tenant_id == tenant.id,
            LedgerTransaction.kind == kind,
            LedgerTransaction.reference == reference,
        )
        .options(selectinload(LedgerTransaction.entries))
    )
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def related(
    session: Session, tenant: TenantContext, kind: str, related_ref: str
) -> list[LedgerTransaction]:
    """Transactions of ``kind`` posted with ``related_ref`` (e.g. an order's refunds)."""
    query = (
        select(LedgerTransaction)
        .where(
            LedgerTransaction.tenant_id == tenant.id,
            LedgerTransaction.kind == kind,
            LedgerTransaction.related_ref == related_ref,
        )
        .options(selectinload(LedgerTransaction.entries))
        .order_by(LedgerTransaction.id)
    )
    return list(session.scalars(query))


# ---------------------------------------------------------------------------------------------
# Accounts and balances
# ---------------------------------------------------------------------------------------------


def get_account(
    session: Session, tenant: TenantContext, code: str, currency: str, *, lock: bool = False
) -> LedgerAccount:
    """The account, created on first use (concurrent creators agree through the unique key)."""
    found = _account(session, tenant, code, currency, lock=lock)
    if found is not None:
        return found
    return _create_account(session, tenant, code, currency, lock=lock)


def get_accounts(
    session: Session, tenant: TenantContext, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], LedgerAccount]:
    """The accounts of ``(code, currency)`` keys, each created on first use: one read for
    all of them, since a posting names several."""
    wanted = sorted(set(keys))
    query = select(LedgerAccount).where(
        LedgerAccount.tenant_id == tenant.id,
        LedgerAccount.code.in_(sorted({code for code, _ in wanted})),
        LedgerAccount.currency.in_(sorted({currency for _, currency in wanted})),
    )
    found = {(account.code, account.currency): account for account in session.scalars(query)}
    for code, currency in wanted:
        if (code, currency) not in found:
            found[(code, currency)] = _create_account(session, tenant, code, currency)
    return {key: found[key] for key in wanted}


def _create_account(
    session: Session, tenant: TenantContext, code: str, currency: str, *, lock: bool = False
) -> LedgerAccount:
    spec = account_spec(code)
    account = LedgerAccount(
        tenant_id=tenant.id,
        code=code,
        currency=currency,
        kind=spec.kind,
        owner_type=spec.owner_type,
        owner_id=spec.owner_id,
    )
    try:
        with session.begin_nested():
            session.add(account)
    except IntegrityError:
        winner = _account(session, tenant, code, currency, lock=lock)
        if winner is None:
            raise
        return winner
    return account


def _account(
    session: Session, tenant: TenantContext, code: str, currency: str, *, lock: bool = False
) -> LedgerAccount | None:
    query = select(LedgerAccount).where(
        LedgerAccount.tenant_id == tenant.id,
        LedgerAccount.code == code,
        LedgerAccount.currency == currency,
    )
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def balance_minor(session: Session, tenant: TenantContext, code: str, currency: str) -> int:
    """The account's signed balance in minor units (debit positive); 0 if never used."""
    query = (
        select(func.coalesce(func.sum(LedgerEntry.amount_minor), 0))
        .join(LedgerAccount, LedgerEntry.account_id == LedgerAccount.id)
        .where(
            LedgerEntry.tenant_id == tenant.id,
            LedgerAccount.code == code,
            LedgerAccount.currency == currency,
        )
    )
    return int(session.scalar(query) or 0)


def balance(session: Session, tenant: TenantContext, account_code: str, currency: str) -> Money:
    """The account's signed balance (debit positive): a liability the platform owes is
    negative, e.g. a seller owed 90.00 has ``seller_payable:<id>`` at −90.00."""
    minor = balance_minor(session, tenant, account_code, currency)
    return from_minor(minor, currency, rules_for(tenant, currency))


def balances_by_prefix(
    session: Session, tenant: TenantContext, prefixes: Sequence[str], currency: str
) -> list[tuple[LedgerAccount, int]]:
    """Every per-owner account with one of ``prefixes`` in ``currency``, with its balance."""
    patterns = [LedgerAccount.code.startswith(f"{prefix}:", autoescape=True) for prefix in prefixes]
    query = (
        select(LedgerAccount, func.coalesce(func.sum(LedgerEntry.amount_minor), 0))
        .outerjoin(LedgerEntry, LedgerEntry.account_id == LedgerAccount.id)
        .where(LedgerAccount.tenant_id == tenant.id, LedgerAccount.currency == currency)
        .where(or_(*patterns))
        .group_by(LedgerAccount.id)
        .order_by(LedgerAccount.id)
    )
    return [(account, int(total)) for account, total in session.execute(query)]


def lock_accounts(
    session: Session, tenant: TenantContext, prefixes: Sequence[str], currency: str
) -> None:
    """Hold the per-owner accounts for update (PostgreSQL), so two payout runs or an ad spend
    and a top-up read balances one after the other. SQLite serialises writers anyway."""
    patterns = [LedgerAccount.code.startswith(f"{prefix}:", autoescape=True) for prefix in prefixes]
    query = (
        select(LedgerAccount.id)
        .where(LedgerAccount.tenant_id == tenant.id, LedgerAccount.currency == currency)
        .where(or_(*patterns))
        .with_for_update()
    )
    session.execute(query).all()
