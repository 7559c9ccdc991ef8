"""Payment methods per market (REGIONS §3), the cash-on-delivery limits (pitfall 9), the sandbox
gateways behind the methods and the payout providers' account checks."""
from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pluggy
import pytest

from pasar.contracts import (
    BankAccount,
    PaymentMethod,
    PaymentRequest,
    PayoutRequest,
    ProviderContext,
)
from pasar.sandbox import SandboxGateway, SandboxPayoutProvider
from pasar.sandbox.testing import FakeClock, WebhookRecorder

Sandbox = tuple[ProviderContext, WebhookRecorder, FakeClock]
Registered = Callable[[str, str], list[Any]]

METHODS = {
    "GB": ["card", "paypal", "apple_pay", "google_pay", "klarna", "clearpay", "pay_by_bank"],
    "DE": ["paypal", "invoice", "sepa_dd", "card", "klarna", "apple_pay", "wero"],
    "FR": ["card", "paypal", "apple_pay", "wero", "alma", "oney"],
    "ES": ["card", "paypal", "bizum", "apple_pay", "cod"],
    "IT": ["card", "postepay", "paypal", "satispay", "apple_pay", "scalapay", "cod"],
    "IE": ["card", "apple_pay", "google_pay", "paypal", "klarna"],
    "NL": ["ideal_wero", "klarna", "paypal", "card", "apple_pay", "in3", "riverty"],
}


def method(registered: Registered, country: str, code: str) -> PaymentMethod:
    return next(m for m in registered("payment_methods", country) if m.code == code)


def gateway(pm: pluggy.PluginManager, code: str, context: ProviderContext) -> SandboxGateway:
    answer = pm.hook.pasar_payment_gateway(method=code, context=context)
    assert isinstance(answer, SandboxGateway)
    return answer


def request(code: str, country: str, amount: str, **details: str) -> PaymentRequest:
    return PaymentRequest(
        reference=f"order-{code}",
        amount=Decimal(amount),
        currency="GBP" if country == "GB" else "EUR",
        method=code,
        country=country,
        return_url="https://uk.localhost/checkout/return",
        idempotency_key=f"key-{code}-{amount}",
        details=details,
    )


@pytest.mark.parametrize("country", sorted(METHODS))
def test_each_market_offers_its_methods_in_order_of_use(
    registered: Registered, country: str
) -> None:
    methods = registered("payment_methods", country)
    assert [m.code for m in methods] == METHODS[country]
    assert all(country in m.countries for m in methods)


def test_ideal_is_offered_under_its_co_brand_with_wero(registered: Registered) -> None:
    ideal = method(registered, "NL", "ideal_wero")
    assert (ideal.name, ideal.kind, ideal.flow) == ("iDEAL | Wero", "bank_redirect", "redirect")
    assert {"S80", "S82"} <= set(ideal.source)


def test_the_card_method_is_shared_and_priced_in_both_currencies(registered: Registered) -> None:
    card = method(registered, "GB", "card")
    assert card.countries == ("GB", "DE", "FR", "ES", "IT", "IE", "NL")
    assert card.currencies == ("EUR", "GBP") and card.flow == "direct"


@pytest.mark.parametrize(
    ("code", "kind", "flow"),
    [("sepa_dd", "direct_debit", "async"), ("invoice", "invoice", "redirect"),
     ("klarna", "bnpl", "redirect"), ("wero", "wallet", "redirect"),
     ("paypal", "wallet", "redirect")],
)
def test_german_methods_have_the_flow_of_their_kind(
    registered: Registered, code: str, kind: str, flow: str
) -> None:
    found = method(registered, "DE", code)
    assert (found.kind, found.flow) == (kind, flow)


@pytest.mark.parametrize("country", ["ES", "IT"])
def test_cash_on_delivery_is_capped_and_excludes_risky_categories(
    registered: Registered, country: str
) -> None:
    cod = method(registered, country, "cod")
    assert (cod.kind, cod.flow) == ("cod", "on_delivery")
    assert cod.requires_features == ("cash_on_delivery",)
    assert cod.allows(Decimal("300.00"), ("clothing",))
    assert not cod.allows(Decimal("300.01"), ("clothing",))
    assert not any(cod.allows(Decimal("20.00"), (c,)) for c in ("digital", "food", "luxury"))
    assert cod.currencies == ("EUR",) and cod.countries == ("ES", "IT")


@pytest.mark.parametrize("country", ["GB", "DE", "FR", "IE", "NL"])
def test_no_cash_on_delivery_where_buyers_do_not_use_it(
    registered: Registered, country: str
) -> None:
    assert all(m.kind != "cod" for m in registered("payment_methods", country))


def test_no_method_is_registered_for_a_country_not_served(registered: Registered) -> None:
    assert registered("payment_methods", "ID") == []


@pytest.mark.parametrize("code", sorted({c for codes in METHODS.values() for c in codes}))
def test_every_method_has_a_sandbox_gateway_that_knows_it(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox, code: str
) -> None:
    assert code in gateway(ukeu_pm, code, sandbox[0]).methods


def test_a_method_of_another_plugin_gets_no_gateway(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    assert ukeu_pm.hook.pasar_payment_gateway(method="gopay", context=sandbox[0]) is None


def test_a_card_payment_is_authorised_then_captured_by_signed_webhook(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    context, recorder, _clock = sandbox
    cards = gateway(ukeu_pm, "card", context)
    intent = cards.create_payment(request("card", "GB", "49.99", card_number="4242424242424242"))
    assert intent.status == "authorized" and cards.code == "sandbox_cards"
    event = cards.verify_webhook(dict(recorder.last().headers), recorder.last().body)
    assert (event.type, event.amount) == ("payment.captured", Decimal("49.99"))


def test_ideal_wero_redirects_the_buyer_and_captures_on_approval(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    local = gateway(ukeu_pm, "ideal_wero", sandbox[0])
    intent = local.create_payment(request("ideal_wero", "NL", "25.00"))
    assert intent.status == "requires_action" and intent.redirect_url
    assert local.approve(intent.provider_ref).status == "captured"


def test_sepa_direct_debit_waits_for_the_bank(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    local = gateway(ukeu_pm, "sepa_dd", sandbox[0])
    intent = local.create_payment(request("sepa_dd", "DE", "80.00"))
    assert intent.status == "pending" and "mandate" in intent.instructions
    assert local.simulate_paid(intent.provider_ref).status == "captured"


def test_the_cod_gateway_refuses_a_basket_over_the_cap(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    cod = gateway(ukeu_pm, "cod", sandbox[0])
    with pytest.raises(ValueError, match="maximum"):
        cod.create_payment(request("cod", "ES", "300.01"))
    assert cod.create_payment(request("cod", "IT", "120.00")).status == "pending"


def test_a_method_refuses_a_country_it_is_not_offered_in(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    with pytest.raises(ValueError, match="not offered in NL"):
        gateway(ukeu_pm, "bizum", sandbox[0]).create_payment(request("bizum", "NL", "10.00"))


# -- payouts -------------------------------------------------------------------------------

VALID_IBANS = {
    "DE": "DE89370400440532013000",
    "FR": "FR1420041010050500013M02606",
    "ES": "ES9121000418450200051332",
    "IT": "IT60X0542811101000000123456",
    "IE": "IE29AIBK93115212345678",
    "NL": "NL91ABNA0417164300",
}


def payouts(
    pm: pluggy.PluginManager, country: str, context: ProviderContext
) -> SandboxPayoutProvider:
    answer = pm.hook.pasar_payout_provider(country=country, context=context)
    assert isinstance(answer, SandboxPayoutProvider)
    return answer


@pytest.mark.parametrize(("country", "iban"), sorted(VALID_IBANS.items()))
def test_sepa_payouts_accept_a_valid_iban_written_in_groups(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox, country: str, iban: str
) -> None:
    grouped = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    provider = payouts(ukeu_pm, country, sandbox[0])
    assert provider.currency == "EUR" and provider.account_label == "IBAN"
    assert provider.validate_account(BankAccount("Seller GmbH", grouped, country=country)) == []


def test_a_mistyped_iban_digit_fails_the_check_digits(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    provider = payouts(ukeu_pm, "DE", sandbox[0])
    problems = provider.validate_account(BankAccount("Seller GmbH", "DE89370400440532013001"))
    assert problems == ["number: 'DE89370400440532013001' has wrong IBAN check digits"]


def test_another_countrys_iban_is_refused(ukeu_pm: pluggy.PluginManager, sandbox: Sandbox) -> None:
    provider = payouts(ukeu_pm, "NL", sandbox[0])
    problems = provider.validate_account(BankAccount("Verkoper BV", VALID_IBANS["DE"]))
    assert len(problems) == 1 and problems[0].startswith("number:")


def test_uk_payouts_need_a_sort_code_and_an_eight_digit_account(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    provider = payouts(ukeu_pm, "GB", sandbox[0])
    assert provider.currency == "GBP"
    assert provider.validate_account(BankAccount("Seller Ltd", "31926819", "601613")) == []
    problems = provider.validate_account(BankAccount("Seller Ltd", "3192681", "60-16-1"))
    assert [p.split(":")[0] for p in problems] == ["number", "bank_code"]


def test_a_payout_is_pending_then_paid_by_signed_webhook(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    context, recorder, _clock = sandbox
    provider = payouts(ukeu_pm, "IE", context)
    account = BankAccount("Seller Ltd", VALID_IBANS["IE"], country="IE")
    payout = PayoutRequest("payout-1", Decimal("812.40"), "EUR", account, "k1")
    result = provider.create_payout(payout)
    assert result.status == "pending"
    event = provider.verify_webhook(dict(recorder.last().headers), recorder.last().body)
    assert event.type == "payout.paid"
    assert json.loads(recorder.last().body)["data"]["amount"] == "812.40"


def test_no_payout_provider_for_a_country_not_served(
    ukeu_pm: pluggy.PluginManager, sandbox: Sandbox
) -> None:
    assert ukeu_pm.hook.pasar_payout_provider(country="US", context=sandbox[0]) is None
