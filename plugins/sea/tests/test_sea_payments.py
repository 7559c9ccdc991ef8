"""Payment methods per country (REGIONS §3), their limits, and payments through the sandbox
gateways and payout providers."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pluggy
import pytest

from pasar.contracts import BankAccount, PaymentMethod, PaymentRequest, PayoutRequest
from pasar.sandbox import SandboxGateway, SandboxPayoutProvider
from pasar.sandbox.testing import FakeClock, WebhookRecorder, memory_context

Methods = Callable[[str], dict[str, PaymentMethod]]

EXPECTED_CODES = {
    "ID": {
        "gopay", "ovo", "dana", "shopeepay", "qris", "va_bca", "va_mandiri", "va_bni", "va_bri",
        "card", "alfamart", "indomaret", "kredivo", "akulaku", "cod",
    },
    "MY": {"fpx", "duitnow_qr", "card", "tng_ewallet", "grabpay", "boost", "atome", "cod"},
    "TH": {"promptpay", "truemoney", "card", "mobile_banking", "atome", "cod"},
    "VN": {"cod", "vietqr", "momo", "zalopay", "vnpay_qr", "card"},
    "PH": {"gcash", "maya", "card", "cod", "qrph", "otc"},
    "SG": {"card", "paynow", "grabpay", "paypal", "atome"},
}


@pytest.mark.parametrize("country", sorted(EXPECTED_CODES))
def test_each_country_offers_its_methods_in_its_currency(
    methods_of: Methods, country: str
) -> None:
    methods = methods_of(country)
    assert set(methods) == EXPECTED_CODES[country]
    currency = {"ID": "IDR", "MY": "MYR", "TH": "THB", "VN": "VND", "PH": "PHP", "SG": "SGD"}
    assert {m.currencies for m in methods.values()} == {(currency[country],)}
    assert {m.countries for m in methods.values()} == {(country,)}


def test_singapore_has_no_cash_on_delivery(methods_of: Methods) -> None:
    assert "cod" not in methods_of("SG")


def test_a_country_outside_the_region_gets_no_methods(methods_of: Methods) -> None:
    assert methods_of("GB") == {}


@pytest.mark.parametrize(
    ("country", "code", "kind", "flow"),
    [
        ("ID", "card", "card", "direct"),
        ("ID", "gopay", "wallet", "redirect"),
        ("ID", "qris", "qr", "async"),
        ("ID", "va_bca", "virtual_account", "async"),
        ("ID", "indomaret", "otc", "async"),
        ("ID", "kredivo", "bnpl", "redirect"),
        ("MY", "fpx", "bank_redirect", "redirect"),
        ("TH", "promptpay", "qr", "async"),
        ("PH", "otc", "otc", "async"),
        ("SG", "paypal", "wallet", "redirect"),
        ("VN", "cod", "cod", "on_delivery"),
    ],
)
def test_methods_have_the_flow_of_their_kind(
    methods_of: Methods, country: str, code: str, kind: str, flow: str
) -> None:
    method = methods_of(country)[code]
    assert (method.kind, method.flow) == (kind, flow)


@pytest.mark.parametrize(
    ("country", "cap"),
    [("ID", 5_000_000), ("MY", 1_500), ("TH", 10_000), ("VN", 7_500_000), ("PH", 15_000)],
)
def test_cod_is_capped_and_needs_the_cod_feature(
    methods_of: Methods, country: str, cap: int
) -> None:
    cod = methods_of(country)["cod"]
    assert cod.max_amount == Decimal(cap)
    assert cod.requires_features == ("cash_on_delivery",)
    assert cod.allows(Decimal(cap), ("standard",))
    assert not cod.allows(Decimal(cap) + 1, ("standard",))


@pytest.mark.parametrize("category", ["digital", "food", "luxury"])
def test_cod_excludes_intangibles_perishables_and_luxury_goods(
    methods_of: Methods, category: str
) -> None:
    cod = methods_of("VN")["cod"]
    assert not cod.allows(Decimal(100_000), ("standard", category))
    assert cod.allows(Decimal(100_000), ("standard", "clothing"))


def test_indonesian_wallets_are_capped_at_the_e_money_balance_limit(methods_of: Methods) -> None:
    methods = methods_of("ID")
    for code in ("gopay", "ovo", "dana", "shopeepay"):
        assert methods[code].max_amount == Decimal(20_000_000)


def test_thai_bank_payments_are_capped_at_the_lowest_bank_limit(methods_of: Methods) -> None:
    methods = methods_of("TH")
    assert methods["mobile_banking"].max_amount == Decimal(500_000)
    assert methods["mobile_banking"].source == ("S72", "S73")


def test_every_registered_method_has_a_gateway_that_knows_it(
    pm: pluggy.PluginManager, methods_of: Methods
) -> None:
    context, _, _ = memory_context()
    for country in EXPECTED_CODES:
        for code in methods_of(country):
            gateway = pm.hook.pasar_payment_gateway(method=code, context=context)
            assert isinstance(gateway, SandboxGateway), code
            assert code in gateway.methods


def test_an_unknown_method_has_no_gateway(pm: pluggy.PluginManager) -> None:
    context, _, _ = memory_context()
    assert pm.hook.pasar_payment_gateway(method="ideal_wero", context=context) is None


def _request(
    method: str, amount: str, currency: str, country: str, **details: str
) -> PaymentRequest:
    return PaymentRequest(
        reference=f"pay-{method}",
        amount=Decimal(amount),
        currency=currency,
        method=method,
        country=country,
        return_url="http://id.localhost/checkout/done",
        idempotency_key=f"key-{method}",
        details=details,
    )


def _gateway(
    pm: pluggy.PluginManager, method: str
) -> tuple[SandboxGateway, WebhookRecorder, FakeClock]:
    context, recorder, clock = memory_context("id")
    gateway = pm.hook.pasar_payment_gateway(method=method, context=context)
    assert isinstance(gateway, SandboxGateway)
    return gateway, recorder, clock


def test_a_qris_payment_waits_for_the_buyer_to_scan(pm: pluggy.PluginManager) -> None:
    gateway, recorder, _ = _gateway(pm, "qris")
    intent = gateway.create_payment(_request("qris", "150000", "IDR", "ID"))
    assert intent.status == "pending"
    assert intent.instructions["qr_payload"].startswith("000201")
    paid = gateway.simulate_paid(intent.provider_ref)
    assert paid.status == "captured"
    assert recorder.types() == ["payment.captured"]


def test_a_gopay_payment_redirects_the_buyer_to_approve(pm: pluggy.PluginManager) -> None:
    gateway, _, _ = _gateway(pm, "gopay")
    intent = gateway.create_payment(_request("gopay", "150000", "IDR", "ID"))
    assert intent.status == "requires_action"
    assert intent.redirect_url is not None
    assert gateway.approve(intent.provider_ref).status == "captured"


def test_a_cod_payment_is_captured_for_the_cash_collected(pm: pluggy.PluginManager) -> None:
    gateway, _, _ = _gateway(pm, "cod")
    intent = gateway.create_payment(_request("cod", "123.47", "MYR", "MY"))
    assert intent.status == "pending"
    # MY cash totals round to 5 sen: the courier collects RM 123.45.
    captured = gateway.collect_on_delivery(intent.provider_ref, Decimal("123.45"))
    assert (captured.status, captured.amount) == ("captured", Decimal("123.45"))


def test_one_card_gateway_serves_every_country_in_its_own_currency(
    pm: pluggy.PluginManager,
) -> None:
    gateway, _, _ = _gateway(pm, "card")
    assert set(gateway.methods["card"].currencies) == {"IDR", "MYR", "THB", "VND", "PHP", "SGD"}
    intent = gateway.create_payment(
        _request("card", "250000", "VND", "VN", card_number="4242424242424242")
    )
    assert intent.status == "authorized"


def test_a_wallet_of_another_country_is_refused(pm: pluggy.PluginManager) -> None:
    gateway, _, _ = _gateway(pm, "gcash")
    with pytest.raises(ValueError, match="IDR"):
        gateway.create_payment(_request("gcash", "1000", "IDR", "ID"))


@pytest.mark.parametrize(
    ("country", "number", "bank_code"),
    [
        ("ID", "1234567890", "014"),
        ("MY", "5140123456789", "MBBEMYKL"),
        ("TH", "1234567890", "004"),
        ("VN", "0071001234567", "970436"),
        ("PH", "001234567890", "BOPIPHMM"),
        ("SG", "0123456789", "7171"),
    ],
)
def test_payout_providers_accept_local_accounts_and_pay_in_local_currency(
    pm: pluggy.PluginManager, country: str, number: str, bank_code: str
) -> None:
    context, recorder, _ = memory_context()
    provider = pm.hook.pasar_payout_provider(country=country, context=context)
    assert isinstance(provider, SandboxPayoutProvider)
    account = BankAccount(holder="Toko Maju", number=number, bank_code=bank_code, country=country)
    assert provider.validate_account(account) == []
    result = provider.create_payout(
        PayoutRequest("po-1", Decimal(100), provider.currency, account, "po-key-1")
    )
    assert result.status == "pending"
    assert recorder.types() == ["payout.paid"]


def test_payout_provider_refuses_a_malformed_account(pm: pluggy.PluginManager) -> None:
    context, _, _ = memory_context()
    provider = pm.hook.pasar_payout_provider(country="ID", context=context)
    problems = provider.validate_account(BankAccount(holder="Toko", number="12AB", bank_code="14"))
    assert len(problems) == 2
    assert problems[0].startswith("number:")


def test_no_payout_provider_outside_the_region(pm: pluggy.PluginManager) -> None:
    context, _, _ = memory_context()
    assert pm.hook.pasar_payout_provider(country="US", context=context) is None
