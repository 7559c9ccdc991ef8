"""Payment methods buyers use in each market (REGIONS §3) and the sandbox gateways behind them.

REGIONS §3 lists most of these methods without a source ID (the UK, DE, FR, ES, IT and IE rows
are unverified rankings); only Wero [S78] and the Dutch iDEAL | Wero migration
[S79][S80][S81][S82] are sourced. Per country, methods are listed in REGIONS' rough order of
use, which is the order checkout shows them in. A method's ``countries`` are derived from
these lists so the two can never disagree. REGIONS gives no amount limits for any of these
methods except the cash-on-delivery cap this plugin must choose itself.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from pasar.contracts import PaymentFlow, PaymentMethod

from pasar_ukeu.data.countries import CURRENCY_OF
from pasar_ukeu.messages import N_

#: Per country, in REGIONS' rough order of use.
COUNTRY_METHODS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "GB": ("card", "paypal", "apple_pay", "google_pay", "klarna", "clearpay", "pay_by_bank"),
        "DE": ("paypal", "invoice", "sepa_dd", "card", "klarna", "apple_pay", "wero"),
        # FR cards are mostly co-badged Cartes Bancaires; the card method takes them all.
        "FR": ("card", "paypal", "apple_pay", "wero", "alma", "oney"),
        "ES": ("card", "paypal", "bizum", "apple_pay", "cod"),
        "IT": ("card", "postepay", "paypal", "satispay", "apple_pay", "scalapay", "cod"),
        "IE": ("card", "apple_pay", "google_pay", "paypal", "klarna"),
        "NL": ("ideal_wero", "klarna", "paypal", "card", "apple_pay", "in3", "riverty"),
    }
)

#: Cash-on-delivery cap (ES contra reembolso, IT contrassegno). REGIONS found no per-market
#: maximum order value (pitfall 9), so this is the plugin's documented default: 300 EUR keeps
#: the cash a courier carries per parcel, and the loss on a refused parcel, small. Change it
#: here; checkout (``PaymentMethod.allows``) and the sandbox gateway both enforce it.
COD_MAX_AMOUNT = Decimal("300.00")

#: REGIONS pitfall 9 (TikTok-style COD policy [S71]): intangibles (``digital``), perishables
#: (``food``) and high-value goods (``luxury``, standing in for large electronics and
#: jewellery) cannot be paid in cash at the door.
COD_EXCLUDED_CATEGORIES: tuple[str, ...] = ("digital", "food", "luxury")


@dataclass(frozen=True)
class MethodSpec:
    """A method before its countries and currencies are derived from ``COUNTRY_METHODS``."""

    code: str
    name: str  # English; a brand name stays as it is in every language
    kind: str
    flow: PaymentFlow
    source: tuple[str, ...] = ()


_SPECS: tuple[MethodSpec, ...] = (
    MethodSpec("card", N_("Credit or debit card"), "card", "direct"),
    # PostePay is a prepaid card (Poste Italiane): authorised like any card.
    MethodSpec("postepay", "PostePay", "card", "direct"),
    MethodSpec("paypal", "PayPal", "wallet", "redirect"),
    MethodSpec("apple_pay", "Apple Pay", "wallet", "redirect"),
    MethodSpec("google_pay", "Google Pay", "wallet", "redirect"),
    MethodSpec("satispay", "Satispay", "wallet", "redirect"),
    MethodSpec("bizum", "Bizum", "wallet", "redirect"),
    # Wero: live in DE since Jul 2024 and in FR since Sep 2024 (it replaced Paylib) [S78].
    MethodSpec("wero", "Wero", "wallet", "redirect", source=("S78",)),
    MethodSpec("pay_by_bank", N_("Pay by Bank"), "bank_redirect", "redirect"),
    # iDEAL ~70% of Dutch e-commerce, co-branded "iDEAL | Wero" from end Jan 2026; the
    # iDEAL name goes at end 2026 and Wero replaces it fully by end 2027. The stable code
    # stays `ideal_wero` through the rebrand; only the name will change.
    MethodSpec(
        "ideal_wero", "iDEAL | Wero", "bank_redirect", "redirect",
        source=("S79", "S80", "S81", "S82"),
    ),
    # Direct debit: the mandate is accepted at once, the money arrives days later (webhook).
    MethodSpec("sepa_dd", N_("SEPA Direct Debit"), "direct_debit", "async"),
    # "Kauf auf Rechnung": the buyer accepts the invoice terms of the provider (often Klarna
    # or PayPal) on its page, and pays the provider later by transfer.
    MethodSpec("invoice", N_("Pay by invoice"), "invoice", "redirect"),
    MethodSpec("klarna", "Klarna", "bnpl", "redirect"),
    MethodSpec("clearpay", "Clearpay", "bnpl", "redirect"),
    MethodSpec("alma", "Alma", "bnpl", "redirect"),
    MethodSpec("oney", "Oney", "bnpl", "redirect"),
    MethodSpec("scalapay", "Scalapay", "bnpl", "redirect"),
    MethodSpec("in3", "in3", "bnpl", "redirect"),
    MethodSpec("riverty", "Riverty", "bnpl", "redirect"),
    MethodSpec("cod", N_("Cash on delivery"), "cod", "on_delivery", source=("S71",)),
)


def _countries_of(code: str) -> tuple[str, ...]:
    return tuple(country for country, codes in COUNTRY_METHODS.items() if code in codes)


def _build(spec: MethodSpec) -> PaymentMethod:
    countries = _countries_of(spec.code)
    cod = spec.kind == "cod"
    return PaymentMethod(
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        flow=spec.flow,
        countries=countries,
        currencies=tuple(sorted({CURRENCY_OF[country] for country in countries})),
        max_amount=COD_MAX_AMOUNT if cod else None,
        excluded_categories=COD_EXCLUDED_CATEGORIES if cod else (),
        requires_features=("cash_on_delivery",) if cod else (),
        source=spec.source,
    )


METHODS: Mapping[str, PaymentMethod] = MappingProxyType(
    {spec.code: _build(spec) for spec in _SPECS}
)


def methods_for(country: str) -> tuple[PaymentMethod, ...]:
    """The methods of ``country`` in checkout order (empty for a country not served)."""
    return tuple(METHODS[code] for code in COUNTRY_METHODS.get(country, ()))


@dataclass(frozen=True)
class GatewaySpec:
    """A sandbox gateway and the methods it processes, grouped the way one real acquirer or
    local-payments provider would take them."""

    code: str
    provider_name: str
    methods: tuple[str, ...]


GATEWAYS: tuple[GatewaySpec, ...] = (
    GatewaySpec(
        "sandbox_cards", "Sandbox card acquirer", ("card", "postepay", "apple_pay", "google_pay")
    ),
    GatewaySpec("sandbox_paypal", "Sandbox PayPal", ("paypal",)),
    GatewaySpec(
        "sandbox_local_eu",
        "Sandbox local payments",
        ("pay_by_bank", "ideal_wero", "wero", "bizum", "satispay", "sepa_dd"),
    ),
    GatewaySpec(
        "sandbox_pay_later",
        "Sandbox pay later",
        ("klarna", "clearpay", "alma", "oney", "scalapay", "in3", "riverty", "invoice"),
    ),
    GatewaySpec("sandbox_cod", "Sandbox cash on delivery", ("cod",)),
)


def gateway_for(method: str) -> GatewaySpec | None:
    return next((gateway for gateway in GATEWAYS if method in gateway.methods), None)
