"""Checks of payment methods, their gateways and the payout provider, driven through a sandbox
``ProviderContext`` in memory."""
from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import get_args

import pluggy

from pasar.contracts import (
    PAYMENT_KINDS,
    TAX_CATEGORIES,
    BankAccount,
    CountryInfo,
    FeatureSet,
    PaymentFlow,
    PaymentGateway,
    PaymentIntent,
    PaymentMethod,
    PaymentRequest,
    PaymentStatus,
    PayoutProvider,
    WebhookEvent,
)
from pasar.sandbox.testing import WebhookRecorder
from pasar.testing.conformance._support import (
    CODE_PATTERN,
    currency_rules,
    expect,
    expect_refused,
    registered,
    sandbox_context,
    sent_webhooks,
    tampered,
    unit,
)

#: The sandbox card that is always approved.
TEST_CARD = "4242424242424242"
_FLOWS = frozenset(get_args(PaymentFlow))
_STATUSES = frozenset(get_args(PaymentStatus))
_FLOW_STATUSES: dict[str, frozenset[str]] = {
    "direct": frozenset({"authorized", "captured"}),
    "redirect": frozenset({"requires_action"}),
    "async": frozenset({"requires_action", "pending"}),
    "on_delivery": frozenset({"pending"}),
}
_CANCELLABLE = frozenset({"requires_action", "pending", "authorized"})


def payment_methods(pm: pluggy.PluginManager, country: CountryInfo) -> list[PaymentMethod]:
    return registered(pm.hook.pasar_register_payment_methods, country.code)


def check_payment_methods(pm: pluggy.PluginManager, country: CountryInfo) -> None:
    """At least one method; unique snake_case codes; known kinds and flows; limits, excluded
    categories and required features that make sense for the country."""
    methods = payment_methods(pm, country)
    code = country.code
    expect(bool(methods), f"{code}: no payment method is registered")
    codes = [getattr(method, "code", None) for method in methods]
    expect(len(codes) == len(set(codes)), f"{code}: payment-method codes repeat: {codes}")
    features = pm.hook.pasar_features(country=code)
    enabled = features.enabled if isinstance(features, FeatureSet) else frozenset()
    for method in methods:
        check_payment_method(method, country, enabled)


def check_payment_method(
    method: PaymentMethod, country: CountryInfo, enabled: Iterable[str]
) -> None:
    """One registered method, checked against the contract's vocabularies."""
    expect(isinstance(method, PaymentMethod), f"{country.code}: {method!r} is not a PaymentMethod")
    where = f"{country.code} payment method {method.code!r}"
    expect(CODE_PATTERN.fullmatch(method.code) is not None, f"{where}: code is not snake_case")
    expect(bool(method.name), f"{where}: no name")
    expect(method.kind in PAYMENT_KINDS, f"{where}: kind {method.kind!r} not in {PAYMENT_KINDS}")
    expect(method.flow in _FLOWS, f"{where}: flow {method.flow!r} not in {sorted(_FLOWS)}")
    expect(
        (method.kind == "cod") == (method.flow == "on_delivery"),
        f"{where}: cash on delivery and the on_delivery flow go together (kind {method.kind}, "
        f"flow {method.flow})",
    )
    expect(country.code in method.countries, f"{where}: countries {method.countries}")
    expect(country.currency in method.currencies, f"{where}: currencies {method.currencies}")
    low, high = method.min_amount, method.max_amount
    expect(low is None or low >= 0, f"{where}: negative min_amount {low}")
    expect(low is None or high is None or low <= high, f"{where}: min {low} > max {high}")
    unknown = sorted(set(method.excluded_categories) - set(TAX_CATEGORIES))
    expect(not unknown, f"{where}: excludes unknown categories {unknown}")
    missing = sorted(set(method.requires_features) - set(enabled))
    expect(not missing, f"{where}: requires features the country has off or unknown: {missing}")


def amount_within(method: PaymentMethod, digits: int) -> Decimal:
    """An ordinary basket total the method accepts."""
    default = Decimal(100_000) if digits == 0 else Decimal(100)
    low, high = method.min_amount, method.max_amount
    if low is not None and high is not None:
        amount = (low + high) / 2
    elif low is not None:
        amount = max(default, low)
    elif high is not None:
        amount = min(default, high)
    else:
        amount = default
    return amount.quantize(unit(digits), rounding=decimal.ROUND_DOWN)


def check_payment_gateway(pm: pluggy.PluginManager, country: CountryInfo, code: str) -> None:
    """The method's gateway creates a valid intent (idempotently), and every webhook it sends
    verifies while a tampered one is refused."""
    method = next(item for item in payment_methods(pm, country) if item.code == code)
    where = f"{country.code} payment method {code!r}"
    context, recorder = sandbox_context()
    gateway = pm.hook.pasar_payment_gateway(method=code, context=context)
    expect(isinstance(gateway, PaymentGateway), f"pasar_payment_gateway({code!r}) is {gateway!r}")
    expect(isinstance(gateway.code, str) and bool(gateway.code), f"{where}: gateway has no code")
    request = _payment_request(method, country, currency_rules(pm, country).display_minor_units)
    intent = gateway.create_payment(request)
    _check_intent(intent, request, method, where)
    again = gateway.create_payment(request)
    expect(again.provider_ref == intent.provider_ref, f"{where}: a retried key made a new payment")
    status = gateway.query_status(intent.provider_ref)
    expect(status.provider_ref == intent.provider_ref, f"{where}: query_status lost the payment")
    if status.status in _CANCELLABLE:
        cancelled = gateway.cancel(intent.provider_ref)
        expect(cancelled.status == "cancelled", f"{where}: cancel answered {cancelled.status}")
    _check_payment_webhooks(gateway, recorder, intent.provider_ref, where)


def _payment_request(method: PaymentMethod, country: CountryInfo, digits: int) -> PaymentRequest:
    details = {"card_number": TEST_CARD} if method.kind == "card" else {}
    return PaymentRequest(
        reference=f"conformance-{method.code}",
        amount=amount_within(method, digits),
        currency=country.currency,
        method=method.code,
        country=country.code,
        return_url="https://shop.example/checkout/return",
        idempotency_key=f"conformance-{method.code}-1",
        buyer_email="buyer@example.com",
        details=details,
    )


def _check_intent(
    intent: PaymentIntent, request: PaymentRequest, method: PaymentMethod, where: str
) -> None:
    expect(isinstance(intent, PaymentIntent), f"{where}: create_payment answered {intent!r}")
    expect(bool(intent.provider_ref), f"{where}: the intent has no provider_ref")
    expect(intent.amount == request.amount, f"{where}: intent amount {intent.amount}")
    expect(intent.currency == request.currency, f"{where}: intent currency {intent.currency}")
    expect(intent.status in _STATUSES, f"{where}: unknown status {intent.status!r}")
    allowed = _FLOW_STATUSES[method.flow]
    expect(
        intent.status in allowed,
        f"{where}: a new {method.flow} payment is {intent.status!r}, expected one of "
        f"{sorted(allowed)} ({intent.failure_reason or 'no failure reason'})",
    )
    if method.flow == "redirect":
        expect(bool(intent.redirect_url), f"{where}: a redirect flow without redirect_url")


def _check_payment_webhooks(
    gateway: PaymentGateway, recorder: WebhookRecorder, provider_ref: str, where: str
) -> None:
    sent = sent_webhooks(recorder, "payments")
    expect(bool(sent), f"{where}: no payment webhook was sent for a payment and its cancel")
    for webhook in sent:
        event = gateway.verify_webhook(dict(webhook.headers), webhook.body)
        expect(isinstance(event, WebhookEvent), f"{where}: verify_webhook answered {event!r}")
        expect(event.provider_ref == provider_ref, f"{where}: webhook for {event.provider_ref}")
        expect_refused(gateway.verify_webhook, webhook.headers, tampered(webhook.body), where)
    expect_refused(gateway.verify_webhook, {}, b"{}", where)


def check_payout_provider(pm: pluggy.PluginManager, country: CountryInfo) -> None:
    """A payout provider answers for the country and refuses an account that is nonsense."""
    context, _recorder = sandbox_context()
    provider = pm.hook.pasar_payout_provider(country=country.code, context=context)
    where = f"{country.code} payout provider"
    expect(
        isinstance(provider, PayoutProvider),
        f"pasar_payout_provider({country.code}) answered {provider!r}",
    )
    problems = provider.validate_account(BankAccount(holder="", number="not an account!"))
    expect(
        isinstance(problems, list) and bool(problems) and all(isinstance(p, str) for p in problems),
        f"{where}: validate_account found no problem with an empty holder and a bad number",
    )
    expect_refused(provider.verify_webhook, {}, b"{}", where)
