"""Posting recipes: capture, completion split, proportional refunds, clawbacks, payouts, ads."""
from __future__ import annotations

from decimal import Decimal

import pytest
from moneyed import Money
from sqlalchemy.orm import Session

from pasar.ledger import postings, service
from pasar.ledger.postings import InsufficientBalance, Owner
from pasar.ledger.service import IdempotencyConflict, LedgerError
from pasar.testing.ledger_factories import Books

SELLER, CREATOR = 11, 21


def gbp(amount: str) -> Money:
    return Money(Decimal(amount), "GBP")


def owed(session: Session, books: Books, code: str) -> Money:
    """What the platform owes on a liability/revenue account (its credit balance)."""
    return -service.balance(session, books.tenant, code, "GBP")


def complete(session: Session, books: Books, order: str = "o-1", **changes: object) -> None:
    """Capture and complete a 100.00 order: 5 commission, 2 fee, 3 tax, 1 withholding, 10
    affiliate commission to one creator, so the seller is owed 79.00."""
    values: dict[str, object] = {
        "gross": gbp("100"), "commission": gbp("5"), "payment_fee": gbp("2"),
        "tax_marketplace": gbp("3"), "withholding": gbp("1"), "affiliate": [(CREATOR, gbp("10"))],
    }
    values.update(changes)
    postings.payment_captured(session, books.tenant, f"pay-{order}", values["gross"])  # type: ignore[arg-type]
    postings.order_completed(session, books.tenant, order, SELLER, **values)  # type: ignore[arg-type]


def test_a_capture_holds_the_buyers_money_in_buyer_clearing(books: Books) -> None:
    with books.session() as session:
        postings.payment_captured(session, books.tenant, "pay-1", gbp("50"))
        assert service.balance(session, books.tenant, "gateway", "GBP") == gbp("50")
        assert owed(session, books, "buyer_clearing") == gbp("50")


def test_completion_splits_the_gross_between_everyone_it_is_owed_to(books: Books) -> None:
    with books.session() as session:
        complete(session, books)
        assert owed(session, books, f"seller_payable:{SELLER}") == gbp("79")
        assert owed(session, books, "platform_revenue") == gbp("5")
        assert owed(session, books, "payment_fees") == gbp("2")
        assert owed(session, books, "tax_payable") == gbp("3")
        assert owed(session, books, "withholding_payable") == gbp("1")
        assert owed(session, books, f"creator_payable:{CREATOR}") == gbp("10")
        assert owed(session, books, "buyer_clearing") == gbp("0")


def test_tax_the_seller_collects_is_not_booked_by_the_marketplace(books: Books) -> None:
    with books.session() as session:
        complete(session, books, tax_marketplace=gbp("0"))
        assert owed(session, books, f"seller_payable:{SELLER}") == gbp("82")
        assert owed(session, books, "tax_payable") == gbp("0")


def test_a_creator_named_twice_gets_the_sum_of_both_commissions(books: Books) -> None:
    with books.session() as session:
        complete(session, books, affiliate=[(CREATOR, gbp("4")), (CREATOR, gbp("6")), (22, gbp("1"))])
        assert owed(session, books, f"creator_payable:{CREATOR}") == gbp("10")
        assert owed(session, books, "creator_payable:22") == gbp("1")
        assert owed(session, books, f"seller_payable:{SELLER}") == gbp("78")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"commission": gbp("95"), "payment_fee": gbp("6")}, "deductions exceed the gross"),
        ({"commission": gbp("-1")}, "commission must not be negative"),
        ({"payment_fee": Money(1, "EUR")}, "payment_fee is in EUR, not GBP"),
        ({"affiliate": [(CREATOR, gbp("-2"))]}, "must not be negative"),
        ({"gross": gbp("0")}, "gross must be positive"),
    ],
)
def test_an_impossible_split_is_refused(books: Books, changes: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "gross": gbp("100"), "commission": gbp("5"), "payment_fee": gbp("2"),
        "tax_marketplace": gbp("0"), "withholding": gbp("0"),
    }
    values.update(changes)
    with books.session() as session:
        with pytest.raises(LedgerError, match=message):
            postings.order_completed(session, books.tenant, "o-bad", SELLER, **values)  # type: ignore[arg-type]


def test_completing_an_order_twice_books_it_once_and_other_amounts_conflict(books: Books) -> None:
    with books.session() as session:
        complete(session, books)
        complete(session, books)
        assert owed(session, books, f"seller_payable:{SELLER}") == gbp("79")
        with pytest.raises(IdempotencyConflict):
            complete(session, books, commission=gbp("6"))


def test_a_full_refund_reverses_every_account_exactly(books: Books) -> None:
    with books.session() as session:
        complete(session, books)
        postings.refund(session, books.tenant, "r-1", "o-1", SELLER, gbp("100"))
        for code in ("platform_revenue", "payment_fees", "tax_payable", "withholding_payable",
                     f"seller_payable:{SELLER}", f"creator_payable:{CREATOR}"):
            assert owed(session, books, code) == gbp("0"), code
        assert owed(session, books, "refund_clearing") == gbp("100")


def test_a_partial_refund_is_taken_back_in_proportion(books: Books) -> None:
    with books.session() as session:
        complete(session, books)
        postings.refund(session, books.tenant, "r-1", "o-1", SELLER, gbp("50"))
        assert owed(session, books, f"seller_payable:{SELLER}") == gbp("39.50")
        assert owed(session, books, "platform_revenue") == gbp("2.50")
        assert owed(session, books, "payment_fees") == gbp("1")
        assert owed(session, books, "tax_payable") == gbp("1.50")
        assert owed(session, books, "withholding_payable") == gbp("0.50")
        assert owed(session, books, f"creator_payable:{CREATOR}") == gbp("5")


def test_partial_refunds_adding_up_to_the_gross_leave_nothing_behind(books: Books) -> None:
    """Thirds of 100.00 cannot be exact; cumulative allocation still ends at zero."""
    with books.session() as session:
        complete(session, books)
        for index, amount in enumerate(("33.33", "33.33", "33.34")):
            postings.refund(session, books.tenant, f"r-{index}", "o-1", SELLER, gbp(amount))
        for code in ("platform_revenue", "payment_fees", "tax_payable", "withholding_payable",
                     f"seller_payable:{SELLER}", f"creator_payable:{CREATOR}"):
            assert owed(session, books, code) == gbp("0"), code


def test_refunding_more_than_is_left_is_refused(books: Books) -> None:
    with books.session() as session:
        complete(session, books)
        postings.refund(session, books.tenant, "r-1", "o-1", SELLER, gbp("60"))
        with pytest.raises(LedgerError, match="at most 40.00 GBP is left to refund"):
            postings.refund(session, books.tenant, "r-2", "o-1", SELLER, gbp("40.01"))


def test_a_refund_before_completion_comes_out_of_buyer_clearing(books: Books) -> None:
    with books.session() as session:
        postings.payment_captured(session, books.tenant, "pay-9", gbp("30"))
        postings.refund(session, books.tenant, "r-9", "o-9", SELLER, gbp("30"))
        assert owed(session, books, "buyer_clearing") == gbp("0")
        assert owed(session, books, "refund_clearing") == gbp("30")
        postings.refund_settled(session, books.tenant, "r-9", gbp("30"))
        assert owed(session, books, "refund_clearing") == gbp("0")
        assert service.balance(session, books.tenant, "gateway", "GBP") == gbp("0")


def test_a_refund_the_provider_rejects_before_completion_goes_back_to_buyer_clearing(books: Books) -> None:
    with books.session() as session:
        postings.payment_captured(session, books.tenant, "pay-8", gbp("30"))
        postings.refund(session, books.tenant, "r-8", "o-8", SELLER, gbp("30"))
        failed = postings.refund_failed(session, books.tenant, "r-8", gbp("30"), reason="account closed")
        again = postings.refund_failed(session, books.tenant, "r-8", gbp("30"), reason="account closed")
        assert again.id == failed.id and failed.related_ref == "o-8"
        assert owed(session, books, "buyer_clearing") == gbp("30")
        assert owed(session, books, "refund_clearing") == gbp("0")
        assert service.balance(session, books.tenant, "gateway", "GBP") == gbp("30")


def test_a_refund_the_provider_rejects_after_completion_is_owed_to_everyone_again(books: Books) -> None:
    """The split comes back exactly; a later refund of the whole order still reverses it to zero."""
    shares = ("platform_revenue", "payment_fees", "tax_payable", "withholding_payable",
              f"seller_payable:{SELLER}", f"creator_payable:{CREATOR}")
    with books.session() as session:
        complete(session, books)
        postings.refund(session, books.tenant, "r-1", "o-1", SELLER, gbp("33.33"))
        postings.refund_failed(session, books.tenant, "r-1", gbp("33.33"))
        assert owed(session, books, f"seller_payable:{SELLER}") == gbp("79")
        assert owed(session, books, f"creator_payable:{CREATOR}") == gbp("10")
        assert owed(session, books, "refund_clearing") == gbp("0")
        postings.refund(session, books.tenant, "r-2", "o-1", SELLER, gbp("100"))  # the whole gross is left
        for code in shares:
            assert owed(session, books, code) == gbp("0"), code
        assert owed(session, books, "refund_clearing") == gbp("100")


def test_a_refund_settles_or_fails_once_for_the_amount_owed(books: Books) -> None:
    with books.session() as session:
        complete(session, books)
        postings.refund(session, books.tenant, "r-1", "o-1", SELLER, gbp("10"))
        postings.refund(session, books.tenant, "r-2", "o-1", SELLER, gbp("10"))
        with pytest.raises(LedgerError, match="never posted"):
            postings.refund_failed(session, books.tenant, "r-404", gbp("10"))
        with pytest.raises(LedgerError, match="another amount"):
            postings.refund_failed(session, books.tenant, "r-1", gbp("9"))
        postings.refund_settled(session, books.tenant, "r-1", gbp("10"))
        with pytest.raises(LedgerError, match="already closed"):
            postings.refund_failed(session, books.tenant, "r-1", gbp("10"))
        postings.refund_failed(session, books.tenant, "r-2", gbp("10"))
        with pytest.raises(LedgerError, match="already closed"):
            postings.refund_settled(session, books.tenant, "r-2", gbp("10"))


def test_a_refund_naming_another_seller_is_refused(books: Books) -> None:
    with books.session() as session:
        complete(session, books)
        with pytest.raises(LedgerError, match="completed for another seller"):
            postings.refund(session, books.tenant, "r-1", "o-1", SELLER + 1, gbp("10"))


def test_a_repeated_refund_is_booked_once_and_a_different_one_conflicts(books: Books) -> None:
    with books.session() as session:
        complete(session, books)
        first = postings.refund(session, books.tenant, "r-1", "o-1", SELLER, gbp("10"))
        again = postings.refund(session, books.tenant, "r-1", "o-1", SELLER, gbp("10"))
        assert again.id == first.id
        assert owed(session, books, "refund_clearing") == gbp("10")
        with pytest.raises(IdempotencyConflict):
            postings.refund(session, books.tenant, "r-1", "o-1", SELLER, gbp("11"))


def test_a_refund_after_payout_claws_back_from_the_seller_and_the_creator(books: Books) -> None:
    with books.session() as session:
        complete(session, books)
        postings.payout(session, books.tenant, "po-s", Owner("seller", SELLER), gbp("79"))
        postings.payout(session, books.tenant, "po-c", Owner("creator", CREATOR), gbp("10"))
        postings.refund(session, books.tenant, "r-1", "o-1", SELLER, gbp("100"))
        assert owed(session, books, f"seller_payable:{SELLER}") == gbp("-79")
        assert owed(session, books, f"creator_payable:{CREATOR}") == gbp("-10")
        complete(session, books, order="o-2", affiliate=[])
        assert owed(session, books, f"seller_payable:{SELLER}") == gbp("10")  # 89 − 79 netted


def test_a_failed_payout_makes_the_money_owed_again(books: Books) -> None:
    seller = Owner("seller", SELLER)
    with books.session() as session:
        complete(session, books)
        postings.payout(session, books.tenant, "po-1", seller, gbp("79"))
        assert owed(session, books, f"seller_payable:{SELLER}") == gbp("0")
        postings.payout_failed(session, books.tenant, "po-1", seller, gbp("79"), reason="closed")
        assert owed(session, books, f"seller_payable:{SELLER}") == gbp("79")
        assert owed(session, books, "payout_clearing") == gbp("0")


def test_a_paid_payout_leaves_the_gateway(books: Books) -> None:
    seller = Owner("seller", SELLER)
    with books.session() as session:
        complete(session, books)
        postings.payout(session, books.tenant, "po-1", seller, gbp("79"))
        postings.payout_paid(session, books.tenant, "po-1", seller, gbp("79"))
        assert service.balance(session, books.tenant, "gateway", "GBP") == gbp("21")
        with pytest.raises(LedgerError, match="already settled"):
            postings.payout_failed(session, books.tenant, "po-1", seller, gbp("79"))


def test_a_payout_settles_only_what_was_reserved(books: Books) -> None:
    seller = Owner("seller", SELLER)
    with books.session() as session:
        complete(session, books)
        with pytest.raises(LedgerError, match="never posted"):
            postings.payout_paid(session, books.tenant, "po-x", seller, gbp("1"))
        postings.payout(session, books.tenant, "po-1", seller, gbp("79"))
        with pytest.raises(LedgerError, match="reserved another amount"):
            postings.payout_paid(session, books.tenant, "po-1", seller, gbp("80"))


def test_ad_budget_is_spent_up_to_what_was_topped_up(books: Books) -> None:
    with books.session() as session:
        postings.ad_topup(session, books.tenant, "top-1", SELLER, gbp("20"))
        postings.ad_spend(session, books.tenant, "spend-1", SELLER, gbp("15"))
        assert owed(session, books, f"ad_balance:{SELLER}") == gbp("5")
        assert owed(session, books, "ad_revenue") == gbp("15")
        with pytest.raises(InsufficientBalance, match="only 5.00 GBP available"):
            postings.ad_spend(session, books.tenant, "spend-2", SELLER, gbp("5.01"))
        postings.ad_spend(session, books.tenant, "spend-1", SELLER, gbp("15"))  # a retry
        assert owed(session, books, "ad_revenue") == gbp("15")


def test_ad_budget_from_the_payable_cannot_exceed_what_the_seller_is_owed(books: Books) -> None:
    with books.session() as session:
        complete(session, books)
        postings.ad_topup(session, books.tenant, "top-1", SELLER, gbp("70"), source="payable")
        assert owed(session, books, f"seller_payable:{SELLER}") == gbp("9")
        with pytest.raises(InsufficientBalance):
            postings.ad_topup(session, books.tenant, "top-2", SELLER, gbp("10"), source="payable")
