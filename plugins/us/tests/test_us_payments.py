"""US payment methods, their sandbox gateways, and ACH payouts."""
from __future__ import annotations

from decimal import Decimal

import pluggy
import pytest

from pasar.contracts import (
    BankAccount,
    PaymentMethod,
    PaymentRequest,
    PayoutRequest,
    ProviderContext,
)
from pasar.sandbox.testing import FakeClock, WebhookRecorder

from pasar_us.providers import aba_checksum_ok

Sandbox = tuple[ProviderContext, WebhookRecorder, FakeClock]

EXPECTED = {
    "card": ("card", "direct"),
    "paypal": ("wallet", "redirect"),
    "venmo": ("wallet", "redirect"),
    "apple_pay": ("wallet", "redirect"),
    "google_pay": ("wallet", "redirect"),
    "shop_pay": ("wallet", "redirect"),
    "affirm": ("bnpl", "redirect"),
    "afterpay": ("bnpl", "redirect"),
    "klarna": ("bnpl", "redirect"),
}
#: A published routing number: 3·(0+0+0) + 7·(2+0+2) + (1+0+1) = 30, a multiple of 10.
ROUTING = "021000021"


def methods(pm: pluggy.PluginManager, country: str) -> dict[str, PaymentMethod]:
    found: list[PaymentMethod] = []
    pm.hook.pasar_register_payment_methods(register=found.append, country=country)
    return {method.code: method for method in found}


def test_us_buyers_get_cards_wallets_and_bnpl_but_no_cash_on_delivery(
    pm: pluggy.PluginManager,
) -> None:
    offered = methods(pm, "US")
    assert {code: (m.kind, m.flow) for code, m in offered.items()} == EXPECTED
    assert all(m.currencies == ("USD",) and m.countries == ("US",) for m in offered.values())
    assert not any(m.kind == "cod" or m.requires_features for m in offered.values())


def test_no_method_is_offered_outside_the_us(pm: pluggy.PluginManager) -> None:
    assert methods(pm, "GB") == {}


def test_methods_carry_no_invented_limits(pm: pluggy.PluginManager) -> None:
    # REGIONS gives no US limits; the providers enforce their own.
    for method in methods(pm, "US").values():
        assert (method.min_amount, method.max_amount, method.excluded_categories) == (
            None, None, ()
        )
        assert method.allows(Decimal("2500.00"), ("luxury", "digital"))


@pytest.mark.parametrize(
    ("method", "gateway"),
    [("card", "sandbox_cards_us"), ("apple_pay", "sandbox_cards_us"),
     ("klarna", "sandbox_cards_us"), ("paypal", "sandbox_paypal_us"),
     ("venmo", "sandbox_paypal_us"), ("shop_pay", "sandbox_shop_pay_us")],
)  # fmt: skip
def test_each_method_has_its_sandbox_gateway(
    pm: pluggy.PluginManager, sandbox: Sandbox, method: str, gateway: str
) -> None:
    context, _, _ = sandbox
    assert pm.hook.pasar_payment_gateway(method=method, context=context).code == gateway


def test_methods_of_other_plugins_get_no_gateway(
    pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    assert pm.hook.pasar_payment_gateway(method="gopay", context=sandbox[0]) is None


def test_venmo_payment_sends_the_buyer_to_approve_and_is_captured_by_webhook(
    pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    context, recorder, _ = sandbox
    gateway = pm.hook.pasar_payment_gateway(method="venmo", context=context)
    request = PaymentRequest(
        reference="pay-1", amount=Decimal("42.18"), currency="USD", method="venmo",
        country="US", return_url="https://us.localhost/checkout/return",
        idempotency_key="pay-1-try-1",
    )  # fmt: skip
    intent = gateway.create_payment(request)
    assert intent.status == "requires_action"
    assert intent.redirect_url
    approved = gateway.approve(intent.provider_ref)
    assert approved.status in ("authorized", "captured")
    events = [gateway.verify_webhook(dict(w.headers), w.body) for w in recorder.sent]
    assert {event.provider_ref for event in events} == {intent.provider_ref}


def test_card_payment_in_another_currency_is_refused(
    pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    gateway = pm.hook.pasar_payment_gateway(method="card", context=sandbox[0])
    request = PaymentRequest(
        reference="pay-2", amount=Decimal("10.00"), currency="EUR", method="card",
        country="US", return_url="https://us.localhost/r", idempotency_key="pay-2",
        details={"card_number": "4242424242424242"},
    )  # fmt: skip
    with pytest.raises(ValueError):
        gateway.create_payment(request)


# -- payouts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("routing", "valid"),
    [("021000021", True), ("011000015", True), ("021000022", False), ("12345678", False),
     ("02100002a", False)],
)  # fmt: skip
def test_aba_check_digit(routing: str, valid: bool) -> None:
    assert aba_checksum_ok(routing) is valid


def test_payout_account_needs_routing_number_and_4_to_17_digit_account(
    pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    provider = pm.hook.pasar_payout_provider(country="US", context=sandbox[0])
    good = BankAccount(holder="Acme Goods LLC", number="000123456789", bank_code=ROUTING)
    assert provider.validate_account(good) == []
    problems = provider.validate_account(
        BankAccount(holder="Acme Goods LLC", number="123", bank_code="021000022")
    )
    assert any(p.startswith("number:") for p in problems)
    assert any("ABA routing check digit" in p for p in problems)
    missing = provider.validate_account(BankAccount(holder="Acme", number="12345678"))
    assert missing == ["bank_code: the bank code is required"]


def test_malformed_routing_number_is_reported_once(
    pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    provider = pm.hook.pasar_payout_provider(country="US", context=sandbox[0])
    problems = provider.validate_account(BankAccount("Acme", "12345678", bank_code="12-34"))
    assert [p for p in problems if p.startswith("bank_code")] == [
        "bank_code: '12-34' is not a valid bank code"
    ]


def test_payout_is_paid_in_usd_and_confirmed_by_signed_webhook(
    pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    context, recorder, _ = sandbox
    provider = pm.hook.pasar_payout_provider(country="US", context=context)
    account = BankAccount(holder="Acme Goods LLC", number="000123456789", bank_code=ROUTING)
    request = PayoutRequest("po-1", Decimal("812.40"), "USD", account, "po-1-key")
    result = provider.create_payout(request)
    assert (result.status, result.amount, result.currency) == ("pending", Decimal("812.40"), "USD")
    event = provider.verify_webhook(dict(recorder.last().headers), recorder.last().body)
    assert (event.type, event.provider_ref) == ("payout.paid", result.provider_ref)
    assert provider.create_payout(request).provider_ref == result.provider_ref


def test_no_payout_provider_outside_the_us(pm: pluggy.PluginManager, sandbox: Sandbox) -> None:
    assert pm.hook.pasar_payout_provider(country="MX", context=sandbox[0]) is None
