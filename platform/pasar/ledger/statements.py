"""Reading the books back: an owner's statement and the operator's trial balance.

A statement is written from the owner's side: a positive amount is money the platform now owes
them more (a sale), a negative one money they received or gave back (a payout, a refund), and
the balance is what the platform owes them (negative: a clawback they owe the platform). That is
the ledger's liability balance with its sign turned (see ``pasar.ledger.postings``).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from moneyed import Money
from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from pasar.ledger import service
from pasar.ledger.models import LedgerAccount, LedgerEntry, LedgerTransaction
from pasar.ledger.postings import Owner, payable_account
from pasar.money import from_minor
from pasar.tenancy.service import TenantContext


@dataclass(frozen=True)
class StatementLine:
    occurred_at: datetime
    kind: str
    reference: str
    memo: str
    amount: Money  # owner's side: + owed more, − paid out or given back
    balance: Money  # what the platform owes the owner after this line


@dataclass(frozen=True)
class Statement:
    owner_type: str
    owner_id: int
    currency: str
    start: datetime
    end: datetime  # exclusive
    opening: Money
    lines: tuple[StatementLine, ...]
    closing: Money


def statement(
    session: Session,
    tenant: TenantContext,
    owner_type: str,
    owner_id: int,
    start: datetime,
    end: datetime,
    currency: str | None = None,
) -> Statement:
    """The owner's payable between ``start`` (inclusive) and ``end`` (exclusive), in the
    tenant's currency unless another is named; closing = opening + the lines' amounts."""
    if end < start:
        raise service.LedgerError("the statement's end is before its start")
    currency = currency or tenant.currency
    rules = service.rules_for(tenant, currency)
    code = payable_account(Owner(owner_type, owner_id))
    running = -_sum_before(session, tenant, code, currency, start)
    opening = from_minor(running, currency, rules)
    lines = []
    for transaction, amount in _movements(session, tenant, code, currency, start, end):
        running -= amount
        lines.append(
            StatementLine(
                occurred_at=transaction.occurred_at,
                kind=transaction.kind,
                reference=transaction.reference,
                memo=transaction.memo,
                amount=from_minor(-amount, currency, rules),
                balance=from_minor(running, currency, rules),
            )
        )
    closing = from_minor(running, currency, rules)
    return Statement(owner_type, owner_id, currency, start, end, opening, tuple(lines), closing)


def _account_entries(tenant: TenantContext, code: str, currency: str) -> list[ColumnElement[bool]]:
    return [
        LedgerEntry.tenant_id == tenant.id,
        LedgerAccount.code == code,
        LedgerAccount.currency == currency,
    ]


def _sum_before(
    session: Session, tenant: TenantContext, code: str, currency: str, start: datetime
) -> int:
    query = (
        select(func.coalesce(func.sum(LedgerEntry.amount_minor), 0))
        .join(LedgerAccount, LedgerEntry.account_id == LedgerAccount.id)
        .join(LedgerTransaction, LedgerEntry.transaction_id == LedgerTransaction.id)
        .where(*_account_entries(tenant, code, currency), LedgerTransaction.occurred_at < start)
    )
    return int(session.scalar(query) or 0)


def _movements(
    session: Session, tenant: TenantContext, code: str, currency: str, start: datetime, end: datetime
) -> list[tuple[LedgerTransaction, int]]:
    """Each transaction touching the account in the period with its net amount on it."""
    query = (
        select(LedgerTransaction, func.sum(LedgerEntry.amount_minor))
        .join(LedgerEntry, LedgerEntry.transaction_id == LedgerTransaction.id)
        .join(LedgerAccount, LedgerEntry.account_id == LedgerAccount.id)
        .where(*_account_entries(tenant, code, currency))
        .where(LedgerTransaction.occurred_at >= start, LedgerTransaction.occurred_at < end)
        .group_by(LedgerTransaction.id)
        .order_by(LedgerTransaction.occurred_at, LedgerTransaction.id)
    )
    return [(transaction, int(total)) for transaction, total in session.execute(query)]


# ---------------------------------------------------------------------------------------------
# Trial balance
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialBalanceRow:
    code: str
    kind: str
    currency: str
    debit: Money  # sum of the account's debit entries
    credit: Money  # sum of its credit entries, as a positive amount
    balance: Money  # debit − credit


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    debit: Money
    credit: Money
    net: Money  # zero in a sound ledger


@dataclass(frozen=True)
class TrialBalance:
    rows: tuple[TrialBalanceRow, ...]
    totals: tuple[CurrencyTotal, ...]

    @property
    def balanced(self) -> bool:
        return all(total.net.amount == 0 for total in self.totals)


def trial_balance(session: Session, tenant: TenantContext) -> TrialBalance:
    """Debits and credits per account and per currency; each currency must net to zero."""
    debits = case((LedgerEntry.amount_minor > 0, LedgerEntry.amount_minor), else_=0)
    query = (
        select(LedgerAccount, func.sum(debits), func.sum(LedgerEntry.amount_minor))
        .join(LedgerEntry, LedgerEntry.account_id == LedgerAccount.id)
        .where(LedgerAccount.tenant_id == tenant.id)
        .group_by(LedgerAccount.id)
        .order_by(LedgerAccount.currency, LedgerAccount.code)
    )
    rows = []
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for account, debit, net in session.execute(query):
        debit, credit = int(debit), int(debit) - int(net)
        rows.append(_row(tenant, account, debit, credit))
        sums[account.currency][0] += debit
        sums[account.currency][1] += credit
    totals = tuple(_currency_total(tenant, cur, d, c) for cur, (d, c) in sorted(sums.items()))
    return TrialBalance(tuple(rows), totals)


def _row(tenant: TenantContext, account: LedgerAccount, debit: int, credit: int) -> TrialBalanceRow:
    rules = service.rules_for(tenant, account.currency)
    return TrialBalanceRow(
        account.code,
        account.kind,
        account.currency,
        from_minor(debit, account.currency, rules),
        from_minor(credit, account.currency, rules),
        from_minor(debit - credit, account.currency, rules),
    )


def _currency_total(tenant: TenantContext, currency: str, debit: int, credit: int) -> CurrencyTotal:
    rules = service.rules_for(tenant, currency)
    return CurrencyTotal(
        currency,
        from_minor(debit, currency, rules),
        from_minor(credit, currency, rules),
        from_minor(debit - credit, currency, rules),
    )
