"""Statements add up (opening + lines = closing, line by line) and the trial balance nets to zero."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from moneyed import Money

from pasar.ledger import postings, service, statements
from pasar.ledger.postings import Owner
from pasar.testing.ledger_factories import Books

SELLER, CREATOR = 51, 61
DAY = datetime(2025, 3, 1, tzinfo=UTC)


def gbp(amount: str) -> Money:
    return Money(Decimal(amount), "GBP")


def sale(books: Books, order: str, amount: str, at: datetime, *, creator: str = "0") -> None:
    with books.session() as session:
        postings.payment_captured(session, books.tenant, f"pay-{order}", gbp(amount), occurred_at=at)
        postings.order_completed(
            session, books.tenant, order, SELLER, gbp(amount), gbp("1"), gbp("0.50"), gbp("0"), gbp("0"),
            [(CREATOR, gbp(creator))] if creator != "0" else [], occurred_at=at,
        )


@pytest.fixture()
def history(books: Books) -> Books:
    """Before the period: a sale (98.50 net). In it: a sale (48.50 net after 1.00 commission
    and 0.50 fee), a payout of 98.50, a 10.00 refund of the first sale. After it: a sale."""
    sale(books, "o-1", "100", DAY - timedelta(days=1))
    sale(books, "o-2", "50", DAY + timedelta(hours=1))
    with books.session() as session:
        postings.payout(session, books.tenant, "po-1", Owner("seller", SELLER), gbp("98.50"),
                        occurred_at=DAY + timedelta(hours=2))
        postings.refund(session, books.tenant, "r-1", "o-1", SELLER, gbp("10"),
                        occurred_at=DAY + timedelta(hours=3))
    sale(books, "o-3", "20", DAY + timedelta(days=1))
    return books


def seller_statement(books: Books) -> statements.Statement:
    with books.session() as session:
        return statements.statement(session, books.tenant, "seller", SELLER, DAY, DAY + timedelta(days=1))


def test_the_opening_balance_is_what_was_owed_before_the_period(history: Books) -> None:
    assert seller_statement(history).opening == gbp("98.50")


def test_the_lines_are_the_periods_movements_from_the_sellers_side(history: Books) -> None:
    lines = [(line.kind, line.reference, line.amount) for line in seller_statement(history).lines]
    assert lines == [
        ("order_completed", "o-2", gbp("48.50")),
        ("payout", "po-1", gbp("-98.50")),
        ("refund", "r-1", gbp("-9.85")),
    ]


def test_each_running_balance_and_the_closing_balance_add_up(history: Books) -> None:
    found = seller_statement(history)
    running = found.opening
    for line in found.lines:
        running += line.amount
        assert line.balance == running
    assert found.closing == running == gbp("38.65")


def test_the_closing_balance_is_the_ledger_balance_at_the_end(history: Books) -> None:
    found = seller_statement(history)
    with history.session() as session:
        later = statements.statement(session, history.tenant, "seller", SELLER, DAY + timedelta(days=1),
                                     DAY + timedelta(days=2))
        owed_now = -service.balance(session, history.tenant, f"seller_payable:{SELLER}", "GBP")
    assert later.opening == found.closing
    assert later.closing == owed_now == gbp("57.15")


def test_a_creator_statement_shows_commission_and_its_clawback(books: Books) -> None:
    sale(books, "o-9", "100", DAY, creator="10")
    with books.session() as session:
        postings.refund(session, books.tenant, "r-9", "o-9", SELLER, gbp("100"), occurred_at=DAY + timedelta(hours=1))
        found = statements.statement(session, books.tenant, "creator", CREATOR, DAY, DAY + timedelta(days=1))
    assert [(line.kind, line.amount) for line in found.lines] == [
        ("order_completed", gbp("10")), ("refund", gbp("-10")),
    ]
    assert (found.opening, found.closing) == (gbp("0"), gbp("0"))


def test_a_period_ending_before_it_starts_is_refused(books: Books) -> None:
    with books.session() as session:
        with pytest.raises(service.LedgerError, match="end is before its start"):
            statements.statement(session, books.tenant, "seller", SELLER, DAY, DAY - timedelta(days=1))


def test_the_trial_balance_nets_to_zero_in_every_currency(history: Books) -> None:
    with history.session() as session:
        service.post(session, history.tenant, "manual", "eur-1",
                     [("gateway", Money(5, "EUR")), ("buyer_clearing", Money(-5, "EUR"))])
        books = statements.trial_balance(session, history.tenant)
    assert books.balanced
    assert [(t.currency, t.net) for t in books.totals] == [("EUR", Money(0, "EUR")), ("GBP", gbp("0"))]
    gbp_total = next(t for t in books.totals if t.currency == "GBP")
    rows = [row for row in books.rows if row.currency == "GBP"]
    assert sum((row.debit for row in rows), gbp("0")) == gbp_total.debit == gbp_total.credit
    by_code = {row.code: row for row in rows}
    assert by_code["gateway"].balance == gbp("170")  # three captures; nothing left the bank
    assert by_code[f"seller_payable:{SELLER}"].balance == gbp("-57.15")
    assert by_code["platform_revenue"].kind == "revenue"
