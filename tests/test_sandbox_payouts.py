"""The sandbox payout provider checks accounts and settles payouts by webhook."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from pasar.contracts import BankAccount, PayoutProvider, PayoutRequest, WebhookError
from pasar.sandbox import SandboxPayoutProvider
from pasar.sandbox.testing import FakeClock, WebhookRecorder, memory_context

ACCOUNT = BankAccount(holder="Toko Maju", number="1234567890", bank_code="TSTB", country="ID")


@dataclass
class Sandbox:
    provider: SandboxPayoutProvider
    webhooks: WebhookRecorder
    clock: FakeClock


@pytest.fixture
def sandbox() -> Sandbox:
    context, webhooks, clock = memory_context()
    provider = SandboxPayoutProvider(
        code="testbank",
        country="ID",
        currency="IDR",
        context=context,
        account_pattern=r"\d{10,16}",
        bank_code_pattern=r"[A-Z]{4}",
        account_label="bank account number",
    )
    return Sandbox(provider, webhooks, clock)


def payout(
    account: BankAccount = ACCOUNT, key: str = "payout-1", **changes: Any
) -> PayoutRequest:
    request = PayoutRequest("settlement_1", Decimal(1250000), "IDR", account, key)
    return replace(request, **changes)


def test_provider_satisfies_the_payout_provider_protocol(sandbox: Sandbox) -> None:
    assert isinstance(sandbox.provider, PayoutProvider)


def test_a_well_formed_account_has_no_problems(sandbox: Sandbox) -> None:
    assert sandbox.provider.validate_account(ACCOUNT) == []
    assert sandbox.provider.validate_account(replace(ACCOUNT, number="1234 5678 90")) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"holder": " "}, "holder: the account holder's name is required"),
        ({"number": "12-34"}, "number: '12-34' is not a valid bank account number"),
        ({"bank_code": None}, "bank_code: the bank code is required"),
        ({"bank_code": "tstb1"}, "bank_code: 'tstb1' is not a valid bank code"),
        ({"country": "MY"}, "country: testbank pays out to ID accounts only"),
    ],
)
def test_each_account_problem_names_its_field(
    sandbox: Sandbox, changes: dict[str, Any], problem: str
) -> None:
    assert sandbox.provider.validate_account(replace(ACCOUNT, **changes)) == [problem]


def test_without_a_bank_code_pattern_no_bank_code_is_needed() -> None:
    context, _, _ = memory_context()
    wallet = SandboxPayoutProvider(
        code="testwallet",
        country="ID",
        currency="IDR",
        context=context,
        account_pattern=r"08\d{8,11}",
        account_label="wallet phone number",
    )

    assert wallet.validate_account(BankAccount(holder="Ani", number="081234567890")) == []


def test_a_payout_is_pending_then_paid_by_webhook(sandbox: Sandbox) -> None:
    result = sandbox.provider.create_payout(payout())

    assert (result.status, result.amount, result.currency) == ("pending", Decimal(1250000), "IDR")
    assert sandbox.provider.query_status(result.provider_ref).status == "paid"
    [paid] = sandbox.webhooks.of_type("payout.paid")
    assert paid["data"]["provider_ref"] == result.provider_ref
    assert paid["data"]["reference"] == "settlement_1"
    assert paid["data"]["amount"] == "1250000"
    webhook = sandbox.webhooks.last()
    assert (webhook.endpoint, webhook.provider) == ("payouts", "testbank")


def test_a_closed_account_bounces_the_payout(sandbox: Sandbox) -> None:
    result = sandbox.provider.create_payout(payout(replace(ACCOUNT, number="1234560000")))

    assert result.status == "pending"
    settled = sandbox.provider.query_status(result.provider_ref)
    assert (settled.status, settled.failure_reason) == ("failed", "account_closed")
    [failed] = sandbox.webhooks.of_type("payout.failed")
    assert failed["data"]["failure_reason"] == "account_closed"
    assert sandbox.webhooks.of_type("payout.paid") == []


def test_the_same_key_never_pays_twice(sandbox: Sandbox) -> None:
    first = sandbox.provider.create_payout(payout())
    second = sandbox.provider.create_payout(payout())

    assert second.provider_ref == first.provider_ref
    assert second.status == "paid"
    assert len(sandbox.webhooks.sent) == 1


def test_a_reused_key_for_another_amount_is_refused(sandbox: Sandbox) -> None:
    sandbox.provider.create_payout(payout())

    with pytest.raises(ValueError, match="already used for another payout"):
        sandbox.provider.create_payout(payout(amount=Decimal(1)))


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        (payout(replace(ACCOUNT, holder="")), "holder"),
        (payout(currency="MYR"), "pays out in IDR, not MYR"),
        (payout(amount=Decimal(0)), "must be positive"),
    ],
)
def test_an_invalid_payout_is_refused_and_nothing_is_sent(
    sandbox: Sandbox, request_: PayoutRequest, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        sandbox.provider.create_payout(request_)

    assert sandbox.webhooks.sent == []


def test_an_unknown_payout_is_a_key_error(sandbox: Sandbox) -> None:
    with pytest.raises(KeyError):
        sandbox.provider.query_status("testbank_po_missing")


def test_verify_webhook_parses_a_genuine_payout_event(sandbox: Sandbox) -> None:
    result = sandbox.provider.create_payout(payout())
    webhook = sandbox.webhooks.last()

    event = sandbox.provider.verify_webhook(webhook.headers, webhook.body)

    assert event.type == "payout.paid"
    assert (event.provider_ref, event.status) == (result.provider_ref, "paid")
    assert (event.amount, event.currency) == (Decimal(1250000), "IDR")
    assert event.occurred_at == sandbox.clock()


def test_verify_webhook_refuses_a_stale_or_tampered_payout_event(sandbox: Sandbox) -> None:
    sandbox.provider.create_payout(payout())
    webhook = sandbox.webhooks.last()

    with pytest.raises(WebhookError, match="does not match"):
        sandbox.provider.verify_webhook(webhook.headers, webhook.body.replace(b"paid", b"fail"))
    sandbox.clock.advance(timedelta(minutes=10))
    with pytest.raises(WebhookError, match="too old"):
        sandbox.provider.verify_webhook(webhook.headers, webhook.body)
