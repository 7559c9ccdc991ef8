"""Creators are paid out by the ledger's daily batch, to the account on their profile.

Runs on ``ledger_app`` (a database of its own): a payout batch pays everyone owed in a tenant."""
from __future__ import annotations

from decimal import Decimal

from moneyed import Money
from sqlalchemy import select

from pasar.ledger import postings, service
from pasar.ledger.models import Payout
from pasar.ledger.tasks import run_payouts
from pasar.testing.creators_factories import creators_for
from pasar.testing.ledger_factories import Books


def gbp(amount: str) -> Money:
    return Money(Decimal(amount), "GBP")


def test_the_daily_batch_pays_a_creators_commission_to_its_account(books: Books) -> None:
    creator = creators_for(books.app)("uk")
    with books.session() as session:
        postings.payment_captured(session, books.tenant, "pay-creator-payout", gbp("50"))
        postings.order_completed(session, books.tenant, "o-creator-payout", 424242, gbp("50"), gbp("2.50"),
                                 gbp("1"), gbp("0"), gbp("0"), [(creator.id, gbp("4.00"))])
    results = run_payouts.delay(reference="2025-02-01").get()
    assert results["uk"].startswith("2025-02-01 completed")
    with books.session() as session:
        payout = session.scalar(select(Payout).where(Payout.owner_type == "creator"))
        assert payout is not None
        assert (payout.owner_id, payout.amount_minor, payout.status) == (creator.id, 400, "paid")
        assert service.balance(session, books.tenant, f"creator_payable:{creator.id}", "GBP") == gbp("0")


def test_the_next_payout_goes_to_the_account_a_creator_changed_to_and_a_refused_change_keeps_the_old(
    books: Books,
) -> None:
    from pasar.contracts import BankAccount
    from pasar.creators import service as creators
    from pasar.sellers.service import payouts_for

    creator = creators_for(books.app)("uk")
    payouts = payouts_for(books.db, books.app.config["PASAR"], books.tenant)
    with books.session() as session:
        try:
            creators.change_bank_account(session, books.tenant, creator.id, BankAccount("Sam", "12", "402715"), payouts)
        except creators.InvalidCreatorInput as refused:
            assert set(refused.errors) == {"number"}
        else:
            raise AssertionError("a malformed account number was accepted")
        kept = creators.bank_account_for(session, books.tenant, "creator", creator.id)
        assert kept is not None and kept.number == "31926819"
        # A well-formed account the bank will find closed (the sandbox bounces numbers ending 0000):
        # the payout failing for that reason shows the batch paid to the new account.
        creators.change_bank_account(session, books.tenant, creator.id,
                                     BankAccount(" Sam Styles ", "12340000", "402715"), payouts)
        postings.payment_captured(session, books.tenant, "pay-creator-newbank", gbp("50"))
        postings.order_completed(session, books.tenant, "o-creator-newbank", 424243, gbp("50"), gbp("2.50"),
                                 gbp("1"), gbp("0"), gbp("0"), [(creator.id, gbp("4.00"))])
    run_payouts.delay(reference="2025-02-02").get()
    with books.session() as session:
        payout = session.scalar(select(Payout).where(Payout.owner_type == "creator", Payout.owner_id == creator.id))
        assert payout is not None and (payout.status, payout.failure_reason) == ("failed", "account_closed")
