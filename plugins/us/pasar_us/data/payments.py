"""Payment methods US buyers use (REGIONS.md §3): cards, PayPal and Venmo, Apple Pay, Google
Pay, Shop Pay, and buy-now-pay-later through Affirm, Afterpay and Klarna. Wallets are 37% of US
e-commerce value (Worldpay 2024) [S83]. No cash on delivery (§5).

REGIONS gives no amount limits for US methods, so none are set: the providers' own limits
apply at their end. The methods are grouped into the sandbox gateways that would process them
for real (a card acquirer that also offers the wallets and BNPL, PayPal for PayPal and Venmo,
Shopify for Shop Pay).
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pasar.contracts import PaymentFlow, PaymentMethod

from pasar_us.i18n import N_

_SOURCE = ("S83",)


def _method(code: str, name: str, kind: str, flow: PaymentFlow) -> PaymentMethod:
    return PaymentMethod(
        code=code,
        name=name,
        kind=kind,
        flow=flow,
        countries=("US",),
        currencies=("USD",),
        source=_SOURCE,
    )


METHODS: tuple[PaymentMethod, ...] = (
    _method("card", N_("Credit or debit card"), "card", "direct"),
    _method("paypal", "PayPal", "wallet", "redirect"),
    _method("venmo", "Venmo", "wallet", "redirect"),
    _method("apple_pay", "Apple Pay", "wallet", "redirect"),
    _method("google_pay", "Google Pay", "wallet", "redirect"),
    _method("shop_pay", "Shop Pay", "wallet", "redirect"),
    _method("affirm", "Affirm", "bnpl", "redirect"),
    _method("afterpay", "Afterpay", "bnpl", "redirect"),
    _method("klarna", "Klarna", "bnpl", "redirect"),
)

BY_CODE: Mapping[str, PaymentMethod] = MappingProxyType({m.code: m for m in METHODS})


#: Sandbox gateway code -> (provider name, the method codes it processes).
GATEWAYS: Mapping[str, tuple[str, tuple[str, ...]]] = MappingProxyType(
    {
        "sandbox_cards_us": (
            "US card acquirer (sandbox)",
            ("card", "apple_pay", "google_pay", "affirm", "afterpay", "klarna"),
        ),
        "sandbox_paypal_us": ("PayPal (sandbox)", ("paypal", "venmo")),
        "sandbox_shop_pay_us": ("Shop Pay (sandbox)", ("shop_pay",)),
    }
)


def gateway_for(method: str) -> str | None:
    """The sandbox gateway code that processes ``method``, or ``None`` if the plugin lacks it."""
    return next((code for code, (_, methods) in GATEWAYS.items() if method in methods), None)


#: Seller payouts: ACH to a US checking or savings account. The routing number is the bank's
#: nine-digit ABA number (with its check digit); account numbers run from 4 to 17 digits.
PAYOUT_CODE = "sandbox_ach_us"
ROUTING_NUMBER_PATTERN = r"^\d{9}$"
ACCOUNT_NUMBER_PATTERN = r"^\d{4,17}$"
ACCOUNT_LABEL = N_("checking or savings account number")
