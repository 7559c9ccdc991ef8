"""Payout batches through a sandbox payout provider on an in-memory provider context."""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pytest
from moneyed import Money
from sqlalchemy import func, select

from pasar.contracts import BankAccount, PayoutRequest, PayoutResult, ProviderUnavailable
from pasar.ledger import payouts, postings, service
from pasar.ledger.models import Payout, PayoutBatch
from pasar.ledger.payouts import UnknownPayout, apply_payout_event, run_payout_batch
from pasar.testing.ledger_factories import Books, SandboxPayouts, bank_account

SELLER, OTHER_SELLER, CREATOR = 31, 32, 41
CLOSED = "87650000"  # the sandbox bounces accounts ending in 0000


def gbp(amount: str) -> Money:
    return Money(Decimal(amount), "GBP")


def earn(books: Books, seller: int, amount: str, *, creator_share: str = "0", order: str | None = None) -> None:
    """A captured and completed order leaving ``amount`` − creator share owed to the seller."""
    ref = order or f"o-{seller}-{amount}-{creator_share}"
    affiliate = [(CREATOR, gbp(creator_share))] if creator_share != "0" else []
    with books.session() as session:
        postings.payment_captured(session, books.tenant, f"pay-{ref}", gbp(amount))
        postings.order_completed(
            session, books.tenant, ref, seller, gbp(amount), gbp("0"), gbp("0"), gbp("0"), gbp("0"), affiliate,
        )


def owed(books: Books, code: str) -> Money:
    with books.session() as session:
        return -service.balance(session, books.tenant, code, "GBP")


def accounts(**numbers: str) -> Any:
    """``bank_account_for`` answering for owners named ``seller_31=...`` / ``creator_41=...``."""
    def lookup(owner_type: str, owner_id: int) -> BankAccount | None:
        number = numbers.get(f"{owner_type}_{owner_id}")
        return bank_account(number) if number else None

    return lookup


def run(books: Books, sandbox: SandboxPayouts, lookup: Any, **kwargs: Any) -> PayoutBatch:
    session = books.open()
    batch = run_payout_batch(session, books.tenant, sandbox.provider, lookup, **kwargs)
    session.commit()
    return batch


def deliver(books: Books, sandbox: SandboxPayouts) -> list[Payout]:
    """Deliver every webhook the provider sent, as the kernel's endpoint would."""
    applied = []
    for event in sandbox.events():
        with books.session() as session:
            applied.append(apply_payout_event(session, books.tenant, event))
    return applied


def test_a_batch_pays_every_seller_and_creator_what_they_are_owed(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100", creator_share="10")
    earn(books, OTHER_SELLER, "50")
    batch = run(books, sandbox_payouts, accounts(seller_31="11111111", seller_32="22222222", creator_41="44444444"))
    sent = {(p.owner_type, p.owner_id): (p.amount_minor, p.status) for p in batch.payouts}
    assert sent == {
        ("seller", SELLER): (9000, "processing"),
        ("seller", OTHER_SELLER): (5000, "processing"),
        ("creator", CREATOR): (1000, "processing"),
    }
    assert all(p.provider_ref and p.provider == "sandbox_faster_payments" for p in batch.payouts)
    assert owed(books, f"seller_payable:{SELLER}") == gbp("0")
    assert owed(books, "payout_clearing") == gbp("150")
    assert batch.status == "open"


def test_paid_webhooks_settle_the_payouts_and_complete_the_batch(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    run(books, sandbox_payouts, accounts(seller_31="11111111"))
    [payout] = deliver(books, sandbox_payouts)
    assert payout.status == "paid"
    assert payout.settled_at is not None
    assert owed(books, "payout_clearing") == gbp("0")
    with books.session() as session:
        assert service.balance(session, books.tenant, "gateway", "GBP") == gbp("0")
        assert session.scalar(select(PayoutBatch.status)) == "completed"


def test_a_failed_payout_gives_the_money_back_to_the_seller(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    run(books, sandbox_payouts, accounts(seller_31=CLOSED))
    [payout] = deliver(books, sandbox_payouts)
    assert (payout.status, payout.failure_reason) == ("failed", "account_closed")
    assert owed(books, f"seller_payable:{SELLER}") == gbp("100")
    assert owed(books, "payout_clearing") == gbp("0")


def test_a_redelivered_webhook_settles_nothing_twice(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    run(books, sandbox_payouts, accounts(seller_31=CLOSED))
    deliver(books, sandbox_payouts)
    deliver(books, sandbox_payouts)
    assert owed(books, f"seller_payable:{SELLER}") == gbp("100")


def test_balances_below_the_minimum_wait_for_the_next_batch(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    earn(books, OTHER_SELLER, "9.99")
    batch = run(books, sandbox_payouts, accounts(seller_31="11111111", seller_32="22222222"), minimum=gbp("10"))
    assert [(p.owner_id, p.amount_minor) for p in batch.payouts] == [(SELLER, 10000)]
    assert owed(books, f"seller_payable:{OTHER_SELLER}") == gbp("9.99")


def test_a_clawback_is_netted_from_the_next_payout(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100", order="o-1")
    run(books, sandbox_payouts, accounts(seller_31="11111111"), reference="day-1")
    deliver(books, sandbox_payouts)
    with books.session() as session:
        postings.refund(session, books.tenant, "r-1", "o-1", SELLER, gbp("60"))
    assert owed(books, f"seller_payable:{SELLER}") == gbp("-60")
    second = run(books, sandbox_payouts, accounts(seller_31="11111111"), reference="day-2")
    assert second.payouts == []  # the seller owes; nothing is paid
    earn(books, SELLER, "75", order="o-2")
    third = run(books, sandbox_payouts, accounts(seller_31="11111111"), reference="day-3")
    assert [p.amount_minor for p in third.payouts] == [1500]


def test_owners_without_a_valid_bank_account_are_skipped_and_stay_owed(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    earn(books, OTHER_SELLER, "50")
    batch = run(books, sandbox_payouts, accounts(seller_32="12-34"))
    reasons = {p.owner_id: (p.status, p.failure_reason) for p in batch.payouts}
    assert reasons[SELLER] == ("skipped", payouts.NO_BANK_ACCOUNT)
    assert reasons[OTHER_SELLER] == ("skipped", "number: '12-34' is not a valid account number")
    assert owed(books, f"seller_payable:{SELLER}") == gbp("100")
    assert batch.status == "completed"
    assert sandbox_payouts.webhooks.sent == []


def test_running_a_batch_again_resumes_it_and_pays_nobody_twice(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    first = run(books, sandbox_payouts, accounts(seller_31="11111111"), reference="2025-01-15")
    earn(books, SELLER, "20", order="o-later")
    again = run(books, sandbox_payouts, accounts(seller_31="11111111"), reference="2025-01-15")
    assert again.id == first.id
    assert [p.amount_minor for p in again.payouts] == [10000]
    assert len(sandbox_payouts.webhooks.sent) == 1
    assert owed(books, f"seller_payable:{SELLER}") == gbp("20")


def test_the_idempotency_key_is_deterministic_per_owner_and_batch(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    batch = run(books, sandbox_payouts, accounts(seller_31="11111111"), reference="2025-01-15")
    [payout] = batch.payouts
    assert payout.reference == f"payout:2025-01-15:seller:{SELLER}"
    assert payout.idempotency_key == f"pasar:uk:payout:2025-01-15:seller:{SELLER}"


@dataclass
class FlakyProvider:
    """The sandbox, but the first call times out *after* the provider made the payout."""

    inner: Any
    code: str = "sandbox_faster_payments"
    calls: int = 0

    def validate_account(self, account: BankAccount) -> list[str]:
        return list(self.inner.validate_account(account))

    def create_payout(self, request: PayoutRequest) -> PayoutResult:
        self.calls += 1
        result = self.inner.create_payout(request)
        if self.calls == 1:
            raise ProviderUnavailable("read timed out")
        return result  # type: ignore[no-any-return]


def test_a_timeout_leaves_the_payout_pending_and_the_retry_never_pays_twice(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    flaky = FlakyProvider(sandbox_payouts.provider)
    session = books.open()
    batch = run_payout_batch(session, books.tenant, flaky, accounts(seller_31="11111111"), reference="day-1")
    session.commit()
    assert [(p.status, p.provider_ref) for p in batch.payouts] == [("pending", None)]
    later = run_payout_batch(session, books.tenant, flaky, accounts(seller_31="11111111"), reference="day-2")
    session.commit()
    assert later.payouts == []  # the money is reserved by the pending payout, not owed again
    with books.session() as check:
        [payout] = check.scalars(select(Payout)).all()
        # The retry got the first transfer back (same key), already settled at the bank.
        assert payout.status == "paid" and payout.provider_ref is not None
    assert len(sandbox_payouts.webhooks.sent) == 1  # one transfer at the bank
    deliver(books, sandbox_payouts)  # its webhook changes nothing more
    assert owed(books, "payout_clearing") == gbp("0")
    assert owed(books, f"seller_payable:{SELLER}") == gbp("0")


@dataclass
class RefusingProvider:
    inner: Any
    code: str = "sandbox_faster_payments"

    def validate_account(self, account: BankAccount) -> list[str]:
        return list(self.inner.validate_account(account))

    def create_payout(self, request: PayoutRequest) -> PayoutResult:
        raise ValueError(f"sandbox_faster_payments pays out in GBP, not {request.currency}")


def test_a_refused_request_fails_the_payout_and_the_money_is_owed_again(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    session = books.open()
    batch = run_payout_batch(session, books.tenant, RefusingProvider(sandbox_payouts.provider), accounts(seller_31="11111111"))
    session.commit()
    [payout] = batch.payouts
    assert payout.status == "failed"
    assert "pays out in GBP" in (payout.failure_reason or "")
    assert owed(books, f"seller_payable:{SELLER}") == gbp("100")


@dataclass
class EagerWebhookProvider:
    """The sandbox with webhooks delivered *during* the API call, before its answer is
    recorded, through a session of their own, as the eager Celery delivery does. If the batch
    held the database's write lock while calling the provider, this would wait for it."""

    inner: Any
    books: Books
    code: str = "sandbox_faster_payments"

    def validate_account(self, account: BankAccount) -> list[str]:
        return list(self.inner.validate_account(account))

    def create_payout(self, request: PayoutRequest) -> PayoutResult:
        before = len(self.inner.context.send.sent)
        result = self.inner.create_payout(request)
        for webhook in self.inner.context.send.sent[before:]:
            event = self.inner.verify_webhook(webhook.headers, webhook.body)
            with self.books.session() as session:
                apply_payout_event(session, self.books.tenant, event)
        return result  # type: ignore[no-any-return]


def test_a_webhook_faster_than_the_api_answer_is_matched_by_our_reference(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    provider = EagerWebhookProvider(sandbox_payouts.provider, books)
    session = books.open()
    batch = run_payout_batch(session, books.tenant, provider, accounts(seller_31="11111111"))
    session.commit()
    [payout] = batch.payouts
    assert payout.status == "paid" and payout.provider_ref is not None
    assert batch.status == "completed"
    assert owed(books, "payout_clearing") == gbp("0")


def test_an_event_for_an_unknown_payout_is_refused(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    run(books, sandbox_payouts, accounts(seller_31="11111111"))
    [event] = sandbox_payouts.events()
    stranger = replace(event, provider_ref="po_unknown", data={**event.data, "reference": "payout:x"})
    with books.session() as session:
        with pytest.raises(UnknownPayout):
            apply_payout_event(session, books.tenant, stranger)


def test_an_event_stating_another_amount_is_refused(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    run(books, sandbox_payouts, accounts(seller_31="11111111"))
    [event] = sandbox_payouts.events()
    with books.session() as session:
        with pytest.raises(service.LedgerError, match="states 99.00 GBP"):
            apply_payout_event(session, books.tenant, replace(event, amount=Decimal("99.00")))


def test_two_concurrent_batches_never_pay_the_same_money_twice(books: Books, sandbox_payouts: SandboxPayouts) -> None:
    earn(books, SELLER, "100")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def batch(reference: str) -> None:
        try:
            barrier.wait()
            session = books.open()
            run_payout_batch(session, books.tenant, sandbox_payouts.provider, accounts(seller_31="11111111"),
                             reference=reference)
            session.commit()
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=batch, args=(ref,)) for ref in ("run-a", "run-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with books.session() as session:
        assert session.scalar(select(func.sum(Payout.amount_minor))) == 10000
    assert owed(books, f"seller_payable:{SELLER}") == gbp("0")
