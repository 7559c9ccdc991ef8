"""Property: whatever happens to orders, refunds and payouts, the books stay exact.

Hypothesis draws 1,000 random sequences of captures, completions (commission, payment fee,
marketplace tax, withholding, affiliate commission), refunds (full or partial, before and
after completion and payout, settled or not) and payouts (paid, failed or left in flight), in
two currencies. A plain-Python model of the same sequence says what every account must hold;
after each sequence the test checks that

* every transaction sums to zero in each currency, and the trial balance nets to zero;
* every account holds exactly what the model says (shares of refunds are cumulative
  largest-remainder allocations, which ``pasar.money.allocate`` is tested for on its own);
* per currency, exactly: captured − refunded = paid out + commission + fees + tax +
  withholding + affiliate still owed + sellers still owed + payouts in flight + captures not
  yet completed, and the gateway holds captured − refunds settled − payouts paid.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from moneyed import Money
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pasar.db import bind_tenant
from pasar.ledger import postings, statements
from pasar.ledger.models import LedgerEntry
from pasar.ledger.postings import Owner
from pasar.money import allocate
from pasar.testing.ledger_factories import tenant_context

CURRENCIES = ("GBP", "EUR")
SELLERS = (1, 2)
CREATORS = (1, 2)
SPLIT = ("seller", "platform_revenue", "payment_fees", "tax_payable", "withholding_payable")


def money(minor: int, currency: str) -> Money:
    return Money(Decimal(minor).scaleb(-2), currency)


@dataclass
class Order:
    ref: str
    currency: str
    seller: int
    gross: int
    weights: list[int]  # SPLIT's weights, then one per creator
    creators: list[int]
    completed_gross: int = 0
    parts: list[int] = field(default_factory=list)  # the completion's split, in weight order
    refunded_before: int = 0
    refunded_after: int = 0

    @property
    def completed(self) -> bool:
        return bool(self.parts)

    def codes(self) -> list[str]:
        seller = f"seller_payable:{self.seller}"
        return [seller, *SPLIT[1:], *(f"creator_payable:{c}" for c in self.creators)]

    def outstanding(self) -> dict[str, int]:
        """What each split account still holds of this order after its refunds. The ledger
        allocates over the split in account-code order, which decides ties."""
        split = sorted(zip(self.codes(), self.parts))
        weights = [part for _code, part in split]
        taken = allocate(self.refunded_after, weights) if self.refunded_after else [0] * len(split)
        return {code: part - back for (code, part), back in zip(split, taken)}


@dataclass
class Model:
    """What the books must say, computed without reading them."""

    orders: list[Order] = field(default_factory=list)
    captured: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refunded: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refunds_unsettled: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    paid_out: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reserved: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    in_flight: list[tuple[str, Owner, int, str]] = field(default_factory=list)
    counter: int = 0

    def ref(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def expected_owed(self) -> dict[tuple[str, str], int]:
        owed: dict[tuple[str, str], int] = defaultdict(int)
        for order in self.orders:
            owed[("buyer_clearing", order.currency)] += order.gross - order.refunded_before - order.completed_gross
            if order.completed:
                for code, amount in order.outstanding().items():
                    owed[(code, order.currency)] += amount
        for key, amount in self.reserved.items():
            owed[key] -= amount
        for currency, amount in self.refunds_unsettled.items():
            owed[("refund_clearing", currency)] += amount
        for _ref, _owner, amount, currency in self.in_flight:
            owed[("payout_clearing", currency)] += amount
        return {key: value for key, value in owed.items() if value}


# ---------------------------------------------------------------------------------------------
# Operations
# ---------------------------------------------------------------------------------------------

orders = st.tuples(
    st.just("order"),
    st.sampled_from(CURRENCIES),
    st.sampled_from(SELLERS),
    st.integers(1, 2_000_000),
    st.lists(st.integers(0, 40), min_size=len(SPLIT), max_size=len(SPLIT)),
    st.lists(st.tuples(st.sampled_from(CREATORS), st.integers(0, 30)), max_size=2, unique_by=lambda t: t[0]),
    st.booleans(),
)
completions = st.tuples(st.just("complete"), st.integers(0, 1_000))
refunds = st.tuples(st.just("refund"), st.integers(0, 1_000), st.integers(1, 100), st.booleans(), st.booleans())
payouts = st.tuples(st.just("payout"), st.integers(0, 1_000), st.sampled_from(["paid", "failed", "in_flight"]))
settlements = st.tuples(st.just("settle"), st.integers(0, 1_000), st.sampled_from(["paid", "failed"]))
# Refunds and payouts drawn twice as often as the rest, so clawbacks (a refund after a payout)
# are common rather than rare.
operations = st.lists(
    st.one_of(orders, completions, refunds, refunds, payouts, payouts, settlements), min_size=1, max_size=24
)


def apply_order(session: Session, tenant: Any, model: Model, op: tuple[Any, ...]) -> None:
    _kind, currency, seller, gross, split_weights, creators, complete_now = op
    weights = [split_weights[0] + 1, *split_weights[1:], *(w for _c, w in creators)]
    order = Order(model.ref("o"), currency, seller, gross, weights, [c for c, _w in creators])
    model.orders.append(order)
    postings.payment_captured(session, tenant, model.ref("pay"), money(gross, currency))
    model.captured[currency] += gross
    if complete_now:
        complete_order(session, tenant, order)


def complete_order(session: Session, tenant: Any, order: Order) -> None:
    gross = order.gross - order.refunded_before
    if order.completed or gross == 0:
        return
    parts = allocate(gross, order.weights)
    cur = order.currency
    postings.order_completed(
        session, tenant, order.ref, order.seller, money(gross, cur),
        commission=money(parts[1], cur), payment_fee=money(parts[2], cur),
        tax_marketplace=money(parts[3], cur), withholding=money(parts[4], cur),
        affiliate=[(c, money(p, cur)) for c, p in zip(order.creators, parts[len(SPLIT):])],
    )
    order.completed_gross, order.parts = gross, parts


def apply_refund(session: Session, tenant: Any, model: Model, op: tuple[Any, ...]) -> None:
    _kind, pick, percent, full, settle = op
    if not model.orders:
        return
    order = model.orders[pick % len(model.orders)]
    left = order.completed_gross - order.refunded_after if order.completed else order.gross - order.refunded_before
    if left == 0:
        return
    amount = left if full else max(1, left * percent // 100)
    ref = model.ref("r")
    postings.refund(session, tenant, ref, order.ref, order.seller, money(amount, order.currency))
    if order.completed:
        order.refunded_after += amount
        paid_out = model.reserved[(f"seller_payable:{order.seller}", order.currency)] > 0
        event("refund after completion" + (" and a payout to the seller" if paid_out else ""))
    else:
        order.refunded_before += amount
        event("refund before completion")
    event("full refund" if amount == left else "partial refund")
    model.refunded[order.currency] += amount
    if settle:
        postings.refund_settled(session, tenant, ref, money(amount, order.currency))
    else:
        model.refunds_unsettled[order.currency] += amount


def apply_payout(session: Session, tenant: Any, model: Model, op: tuple[Any, ...]) -> None:
    """Pay one of the owners the model says are owed (clawbacks owe, so they are never paid)."""
    _kind, pick, outcome = op
    owed = sorted(
        (key, amount) for key, amount in model.expected_owed().items()
        if amount > 0 and key[0].startswith(("seller_payable:", "creator_payable:"))
    )
    if not owed:
        return
    (code, currency), amount = owed[pick % len(owed)]
    prefix, _, owner_id = code.partition(":")
    owner = Owner(prefix.removesuffix("_payable"), int(owner_id))
    ref = model.ref("po")
    postings.payout(session, tenant, ref, owner, money(amount, currency))
    model.reserved[(code, currency)] += amount
    model.in_flight.append((ref, owner, amount, currency))
    event(f"payout to a {owner.type}: {outcome}")
    if outcome != "in_flight":
        settle_payout(session, tenant, model, len(model.in_flight) - 1, outcome)


def settle_payout(session: Session, tenant: Any, model: Model, index: int, outcome: str) -> None:
    ref, owner, amount, currency = model.in_flight.pop(index)
    if outcome == "paid":
        postings.payout_paid(session, tenant, ref, owner, money(amount, currency))
        model.paid_out[currency] += amount
    else:
        postings.payout_failed(session, tenant, ref, owner, money(amount, currency))
        model.reserved[(postings.payable_account(owner), currency)] -= amount


def apply(session: Session, tenant: Any, model: Model, op: tuple[Any, ...]) -> None:
    kind = op[0]
    if kind == "order":
        apply_order(session, tenant, model, op)
    elif kind == "complete" and model.orders:
        complete_order(session, tenant, model.orders[op[1] % len(model.orders)])
    elif kind == "refund":
        apply_refund(session, tenant, model, op)
    elif kind == "payout":
        apply_payout(session, tenant, model, op)
    elif kind == "settle" and model.in_flight:
        settle_payout(session, tenant, model, op[1] % len(model.in_flight), op[2])


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------


def ledger_owed(session: Session, tenant: Any) -> dict[tuple[str, str], int]:
    """Every account's credit balance in minor units (what is owed or earned on it)."""
    return {
        (row.code, row.currency): -int(row.balance.amount.scaleb(2))
        for row in statements.trial_balance(session, tenant).rows
        if row.balance.amount
    }


def unbalanced_transactions(session: Session) -> list[Any]:
    total = func.sum(LedgerEntry.amount_minor)
    query = (
        select(LedgerEntry.transaction_id, LedgerEntry.currency, total)
        .group_by(LedgerEntry.transaction_id, LedgerEntry.currency)
        .having(total != 0)
    )
    return list(session.execute(query))


def check_conservation(model: Model, owed: dict[tuple[str, str], int]) -> None:
    for currency in CURRENCIES:
        def held(prefix: str) -> int:
            return sum(v for (code, cur), v in owed.items() if cur == currency and code.startswith(prefix))

        right = (
            model.paid_out[currency] + held("platform_revenue") + held("payment_fees")
            + held("tax_payable") + held("withholding_payable") + held("creator_payable:")
            + held("seller_payable:") + held("payout_clearing") + held("buyer_clearing")
        )
        assert model.captured[currency] - model.refunded[currency] == right, currency
        gateway = -owed.get(("gateway", currency), 0)
        settled = model.refunded[currency] - model.refunds_unsettled[currency]
        assert gateway == model.captured[currency] - model.paid_out[currency] - settled


@pytest.fixture(scope="module")
def uk(ledger_app: Any) -> Any:
    return tenant_context(ledger_app, "uk")


@contextmanager
def rolled_back(app: Any, tenant: Any) -> Iterator[Session]:
    """A tenant session whose work is thrown away, so each example starts with empty books."""
    session = app.extensions["pasar.db"].sessions()
    bind_tenant(session, tenant.id)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations)
def test_every_sequence_of_money_movements_keeps_the_books_exact(
    ledger_app: Any, uk: Any, ops: list[tuple[Any, ...]]
) -> None:
    model = Model()
    with rolled_back(ledger_app, uk) as session:
        for op in ops:
            apply(session, uk, model, op)
        assert unbalanced_transactions(session) == []
        assert statements.trial_balance(session, uk).balanced
        owed = ledger_owed(session, uk)
        assert {key: v for key, v in owed.items() if key[0] != "gateway"} == model.expected_owed()
        check_conservation(model, owed)
        payables = ("seller_payable:", "creator_payable:")
        if any(code.startswith(payables) and amount < 0 for (code, _c), amount in owed.items()):
            event("a clawback left an owner owing the platform")
