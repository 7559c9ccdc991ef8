"""Posting: balanced transactions only, idempotent on (kind, reference), sums per currency."""
from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from moneyed import Money
from sqlalchemy import func, select

from pasar.ledger import service
from pasar.ledger.models import LedgerAccount, LedgerEntry, LedgerTransaction
from pasar.ledger.service import IdempotencyConflict, LedgerError, UnbalancedTransaction
from pasar.testing.ledger_factories import Books, unique_ref


def gbp(amount: str) -> Money:
    return Money(Decimal(amount), "GBP")


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def test_a_balanced_transaction_stores_signed_minor_units(books: Books) -> None:
    with books.session() as session:
        posted = service.post(
            session, books.tenant, "manual", "t-1",
            [("gateway", gbp("12.34")), ("buyer_clearing", gbp("-12.34"))], memo="test",
        )
        stored = {(e.account.code, e.currency): e.amount_minor for e in posted.entries}
    assert stored == {("gateway", "GBP"): 1234, ("buyer_clearing", "GBP"): -1234}


def test_accounts_are_created_on_first_use_with_their_kind_and_owner(books: Books) -> None:
    with books.session() as session:
        service.post(
            session, books.tenant, "manual", "t-2",
            [("buyer_clearing", gbp("5")), ("seller_payable:42", gbp("-5"))],
        )
        accounts = {a.code: a for a in session.scalars(select(LedgerAccount))}
    assert accounts["buyer_clearing"].kind == "liability"
    assert accounts["buyer_clearing"].owner_type is None
    seller = accounts["seller_payable:42"]
    assert (seller.kind, seller.owner_type, seller.owner_id, seller.currency) == (
        "liability", "seller", 42, "GBP",
    )


def test_an_unbalanced_transaction_is_refused_and_writes_nothing(books: Books) -> None:
    with books.session() as session:
        with pytest.raises(UnbalancedTransaction, match="GBP legs sum to 0.01 GBP"):
            service.post(
                session, books.tenant, "manual", "t-3",
                [("gateway", gbp("10.00")), ("buyer_clearing", gbp("-9.99"))],
            )
        assert session.scalar(select(func.count(LedgerTransaction.id))) == 0
        assert session.scalar(select(func.count(LedgerEntry.id))) == 0


def test_a_currency_without_a_balancing_leg_is_refused(books: Books) -> None:
    legs = [("gateway", gbp("10")), ("buyer_clearing", gbp("-10")), ("platform_revenue", eur("-1"))]
    with books.session() as session:
        with pytest.raises(UnbalancedTransaction, match="EUR legs"):
            service.post(session, books.tenant, "manual", "t-4", legs)


def test_each_currency_balances_on_its_own(books: Books) -> None:
    legs = [
        ("gateway", gbp("10")), ("buyer_clearing", gbp("-10")),
        ("gateway", eur("7.50")), ("buyer_clearing", eur("-7.50")),
    ]
    with books.session() as session:
        service.post(session, books.tenant, "manual", "t-5", legs)
        assert service.balance(session, books.tenant, "gateway", "GBP") == gbp("10")
        assert service.balance(session, books.tenant, "gateway", "EUR") == eur("7.50")
        assert service.balance(session, books.tenant, "buyer_clearing", "EUR") == eur("-7.50")


def test_gbp_debits_cannot_balance_eur_credits(books: Books) -> None:
    with books.session() as session:
        with pytest.raises(UnbalancedTransaction):
            service.post(
                session, books.tenant, "manual", "t-6",
                [("gateway", gbp("10")), ("buyer_clearing", eur("-10"))],
            )


def test_amounts_finer_than_the_currency_are_refused_not_rounded(books: Books) -> None:
    with books.session() as session:
        with pytest.raises(ValueError, match="decimal places"):
            service.post(
                session, books.tenant, "manual", "t-7",
                [("gateway", gbp("1.005")), ("buyer_clearing", gbp("-1.005"))],
            )


@pytest.mark.parametrize("code", ["cash", "seller_payable", "seller_payable:abc", "seller_payable:0"])
def test_unknown_or_malformed_account_codes_are_refused(books: Books, code: str) -> None:
    with books.session() as session:
        with pytest.raises(LedgerError, match="unknown ledger account"):
            service.post(session, books.tenant, "manual", "t-8", [(code, gbp("1")), ("gateway", gbp("-1"))])


def test_a_transaction_of_only_zero_legs_is_refused(books: Books) -> None:
    with books.session() as session:
        with pytest.raises(LedgerError, match="non-zero leg"):
            service.post(session, books.tenant, "manual", "t-9", [("gateway", gbp("0"))])


def test_legs_on_one_account_are_added_up(books: Books) -> None:
    legs = [("gateway", gbp("3")), ("gateway", gbp("2")), ("buyer_clearing", gbp("-5"))]
    with books.session() as session:
        posted = service.post(session, books.tenant, "manual", "t-10", legs)
        assert len(posted.entries) == 2
        assert service.balance(session, books.tenant, "gateway", "GBP") == gbp("5")


def test_posting_the_same_reference_twice_returns_the_first_transaction(books: Books) -> None:
    legs = [("gateway", gbp("10")), ("buyer_clearing", gbp("-10"))]
    with books.session() as session:
        first = service.post(session, books.tenant, "manual", "t-11", legs)
    with books.session() as session:
        again = service.post(session, books.tenant, "manual", "t-11", list(reversed(legs)))
        assert again.id == first.id
        assert session.scalar(select(func.count(LedgerTransaction.id))) == 1
        assert service.balance(session, books.tenant, "gateway", "GBP") == gbp("10")


def test_the_same_reference_with_other_legs_is_a_conflict(books: Books) -> None:
    with books.session() as session:
        service.post(session, books.tenant, "manual", "t-12", [("gateway", gbp("10")), ("buyer_clearing", gbp("-10"))])
    with books.session() as session:
        with pytest.raises(IdempotencyConflict, match="already posted with other amounts"):
            service.post(session, books.tenant, "manual", "t-12", [("gateway", gbp("11")), ("buyer_clearing", gbp("-11"))])


def test_the_same_reference_under_another_kind_is_another_transaction(books: Books) -> None:
    legs = [("gateway", gbp("1")), ("buyer_clearing", gbp("-1"))]
    with books.session() as session:
        one = service.post(session, books.tenant, "manual", "t-13", legs)
        other = service.post(session, books.tenant, "correction", "t-13", legs)
        assert one.id != other.id


def test_a_balance_of_an_unused_account_is_zero(books: Books) -> None:
    with books.session() as session:
        assert service.balance(session, books.tenant, "seller_payable:7", "GBP") == gbp("0")


def test_another_tenants_postings_do_not_count(books: Books) -> None:
    from pasar.testing.ledger_factories import tenant_context, wipe_ledger

    germany = tenant_context(books.app, "de")
    wipe_ledger(books.app, germany.id)
    with books.db.session(germany.id, write=True) as session:
        service.post(session, germany, "manual", "t-14", [("gateway", eur("9")), ("buyer_clearing", eur("-9"))])
    with books.session() as session:
        assert service.balance(session, books.tenant, "gateway", "EUR") == eur("0")
        assert service.find(session, books.tenant, "manual", "t-14") is None


def test_a_failed_posting_leaves_the_callers_transaction_usable(books: Books) -> None:
    """The idempotent re-read happens in a savepoint, so the caller's work survives."""
    legs = [("gateway", gbp("4")), ("buyer_clearing", gbp("-4"))]
    with books.session() as session:
        service.post(session, books.tenant, "manual", "t-15", legs)
    session = books.open()
    service.post(session, books.tenant, "manual", "t-16", legs)
    with pytest.raises(IdempotencyConflict):
        service.post(session, books.tenant, "manual", "t-15", [("gateway", gbp("5")), ("buyer_clearing", gbp("-5"))])
    session.commit()
    with books.session() as check:
        assert service.find(check, books.tenant, "manual", "t-16") is not None


def test_concurrent_posters_of_one_reference_write_it_once(books: Books) -> None:
    """Both threads try to insert; the unique key picks one and the other re-reads it."""
    legs = [("gateway", gbp("8")), ("buyer_clearing", gbp("-8"))]
    reference = unique_ref("race")
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def poster() -> None:
        try:
            barrier.wait()
            with books.session() as session:
                results.append(service.post(session, books.tenant, "manual", reference, legs).id)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=poster) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    with books.session() as session:
        assert service.balance(session, books.tenant, "gateway", "GBP") == gbp("8")
