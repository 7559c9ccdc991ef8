"""Payment methods per country (REGIONS §3), their limits and the sandbox gateway of each.

Codes are the stable identifiers tenant files use. A method's ``flow`` follows from its kind:
cards authorise at once, wallets, bank redirects and BNPL send the buyer to the provider's page,
virtual accounts, QR codes and counter payments are confirmed later by webhook, and cash is
collected on delivery.

Names that are pure brands (GoPay, GCash, PromptPay, ...) are left as they are; the others are
marked with ``N_`` so the plugin's catalogs translate them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from types import MappingProxyType

from pasar.contracts import PaymentFlow, PaymentMethod
from pasar_sea.data.countries import COUNTRIES
from pasar_sea.messages import N_

FLOW_OF_KIND: Mapping[str, PaymentFlow] = MappingProxyType(
    {
        "card": "direct",
        "wallet": "redirect",
        "bank_redirect": "redirect",
        "bnpl": "redirect",
        "qr": "async",
        "virtual_account": "async",
        "bank_transfer": "async",
        "direct_debit": "async",
        "otc": "async",
        "invoice": "async",
        "cod": "on_delivery",
    }
)

#: The sandbox gateways and the provider each one stands in for.
GATEWAYS: Mapping[str, str] = MappingProxyType(
    {
        "sandbox_cards": "Card acquirer (sandbox)",
        "sandbox_cod": "Cash on delivery (sandbox)",
        "sandbox_xendit": "Xendit (sandbox)",
        "sandbox_ipay88": "iPay88 (sandbox)",
        "sandbox_2c2p": "2C2P (sandbox)",
        "sandbox_vnpay": "VNPAY (sandbox)",
        "sandbox_paymongo": "PayMongo (sandbox)",
    }
)

# Cash on delivery (REGIONS §3 and pitfall 9): local-to-local with platform shipping only, a
# verified buyer phone, and no large electronics, furniture, appliances, perishables or
# intangibles. The kernel categories that map onto those exclusions: ``digital``
# (intangibles), ``food`` (perishables) and ``luxury`` (jewellery and high-value electronics,
# which Tokopedia's COD excludes [S69]). Large appliances and furniture have no kernel
# category, so they stay with the operator's catalogue rules.
COD_EXCLUDED_CATEGORIES: tuple[str, ...] = ("digital", "food", "luxury")

# REGIONS found that every market has a maximum COD order value but not the amount (VN
# "amount not captured" [S71]; pitfall 9 says make it a config value). These are CHOSEN
# defaults of roughly USD 300 in local currency — the order value above which a refused
# cash parcel costs a seller more than the sale is worth to risk. Not a published limit: it is
# the one place to change when an operator settles on its own cap.
COD_MAX_ORDER_VALUE: Mapping[str, Decimal] = MappingProxyType(
    {
        "ID": Decimal(5_000_000),
        "MY": Decimal(1_500),
        "TH": Decimal(10_000),
        "VN": Decimal(7_500_000),
        "PH": Decimal(15_000),
    }
)

COD_SOURCE: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "ID": ("S69",),
        "MY": ("S71", "S77"),
        "TH": ("S77",),
        "VN": ("S71",),
        "PH": ("S77",),
    }
)

# Bank Indonesia e-money balance cap for verified accounts, IDR 20 M (unverified): a wallet
# cannot pay more than it may hold.
_ID_WALLET_MAX = Decimal(20_000_000)
# Thai bank-transfer caps vary by bank, THB 500 k to 5 M [S73]: the lowest is the safe limit
# for a payment made from a banking app (mobile banking and PromptPay).
_TH_BANK_TRANSFER_MAX = Decimal(500_000)


@dataclass(frozen=True)
class MethodSpec:
    """A method as this module lists it, before it is bound to a country and currency."""

    code: str
    name: str
    kind: str
    gateway: str
    source: tuple[str, ...] = ()
    max_amount: Decimal | None = None


def _card(source: tuple[str, ...]) -> MethodSpec:
    return MethodSpec("card", N_("Credit or debit card"), "card", "sandbox_cards", source)


_ID_SOURCE = ("S67", "S68")
_MY_SOURCE = ("S70",)
_TH_SOURCE = ("S72",)
_VN_SOURCE = ("S74",)
_PH_SOURCE = ("S75", "S76")
_SG_SOURCE = ("S68",)

SPECS: Mapping[str, tuple[MethodSpec, ...]] = MappingProxyType(
    {
        "ID": (
            MethodSpec("gopay", "GoPay", "wallet", "sandbox_xendit", _ID_SOURCE, _ID_WALLET_MAX),
            MethodSpec("ovo", "OVO", "wallet", "sandbox_xendit", _ID_SOURCE, _ID_WALLET_MAX),
            MethodSpec("dana", "DANA", "wallet", "sandbox_xendit", _ID_SOURCE, _ID_WALLET_MAX),
            MethodSpec(
                "shopeepay", "ShopeePay", "wallet", "sandbox_xendit", _ID_SOURCE, _ID_WALLET_MAX
            ),
            MethodSpec("qris", "QRIS", "qr", "sandbox_xendit", _ID_SOURCE),
            MethodSpec(
                "va_bca", N_("BCA virtual account"), "virtual_account", "sandbox_xendit", _ID_SOURCE
            ),
            MethodSpec(
                "va_mandiri",
                N_("Mandiri virtual account"),
                "virtual_account",
                "sandbox_xendit",
                _ID_SOURCE,
            ),
            MethodSpec(
                "va_bni", N_("BNI virtual account"), "virtual_account", "sandbox_xendit", _ID_SOURCE
            ),
            MethodSpec(
                "va_bri", N_("BRI virtual account"), "virtual_account", "sandbox_xendit", _ID_SOURCE
            ),
            _card(_ID_SOURCE),
            MethodSpec("alfamart", N_("Pay at Alfamart"), "otc", "sandbox_xendit", _ID_SOURCE),
            MethodSpec("indomaret", N_("Pay at Indomaret"), "otc", "sandbox_xendit", _ID_SOURCE),
            MethodSpec("kredivo", "Kredivo", "bnpl", "sandbox_xendit"),
            MethodSpec("akulaku", "Akulaku", "bnpl", "sandbox_xendit"),
        ),
        "MY": (
            MethodSpec("fpx", N_("FPX online banking"), "bank_redirect", "sandbox_ipay88"),
            MethodSpec("duitnow_qr", "DuitNow QR", "qr", "sandbox_ipay88"),
            _card(()),
            MethodSpec(
                "tng_ewallet", "Touch 'n Go eWallet", "wallet", "sandbox_ipay88", _MY_SOURCE
            ),
            MethodSpec("grabpay", "GrabPay", "wallet", "sandbox_2c2p"),
            MethodSpec("boost", "Boost", "wallet", "sandbox_ipay88"),
            MethodSpec("atome", "Atome", "bnpl", "sandbox_2c2p"),
        ),
        "TH": (
            MethodSpec(
                "promptpay", "PromptPay", "qr", "sandbox_2c2p", _TH_SOURCE, _TH_BANK_TRANSFER_MAX
            ),
            MethodSpec("truemoney", "TrueMoney Wallet", "wallet", "sandbox_2c2p", _TH_SOURCE),
            _card(_TH_SOURCE),
            MethodSpec(
                "mobile_banking",
                N_("Mobile banking"),
                "bank_redirect",
                "sandbox_2c2p",
                ("S72", "S73"),
                _TH_BANK_TRANSFER_MAX,
            ),
            MethodSpec("atome", "Atome", "bnpl", "sandbox_2c2p"),
        ),
        "VN": (
            MethodSpec("vietqr", N_("VietQR bank transfer"), "qr", "sandbox_vnpay", _VN_SOURCE),
            MethodSpec("momo", "MoMo", "wallet", "sandbox_vnpay", _VN_SOURCE),
            MethodSpec("zalopay", "ZaloPay", "wallet", "sandbox_vnpay", _VN_SOURCE),
            MethodSpec("vnpay_qr", "VNPAY-QR", "qr", "sandbox_vnpay", _VN_SOURCE),
            _card(_VN_SOURCE),
        ),
        "PH": (
            MethodSpec("gcash", "GCash", "wallet", "sandbox_paymongo", _PH_SOURCE),
            MethodSpec("maya", "Maya", "wallet", "sandbox_paymongo", _PH_SOURCE),
            _card(_PH_SOURCE),
            MethodSpec("qrph", "QR Ph", "qr", "sandbox_paymongo", ("S75",)),
            MethodSpec(
                "otc",
                N_("Over the counter (7-Eleven, Dragonpay)"),
                "otc",
                "sandbox_paymongo",
                ("S75",),
            ),
        ),
        "SG": (
            _card(()),
            MethodSpec("paynow", "PayNow", "qr", "sandbox_2c2p"),
            MethodSpec("grabpay", "GrabPay", "wallet", "sandbox_2c2p", _SG_SOURCE),
            MethodSpec("paypal", "PayPal", "wallet", "sandbox_2c2p"),
            MethodSpec("atome", "Atome", "bnpl", "sandbox_2c2p"),
        ),
    }
)

COD_NAME = N_("Cash on delivery")


def _bind(spec: MethodSpec, country: str) -> PaymentMethod:
    """The method as offered in ``country``: its currency and the flow of its kind."""
    return PaymentMethod(
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        flow=FLOW_OF_KIND[spec.kind],
        countries=(country,),
        currencies=(COUNTRIES[country].currency,),
        max_amount=spec.max_amount,
        source=spec.source,
    )


def _cod(country: str) -> PaymentMethod:
    return PaymentMethod(
        code="cod",
        name=COD_NAME,
        kind="cod",
        flow="on_delivery",
        countries=(country,),
        currencies=(COUNTRIES[country].currency,),
        max_amount=COD_MAX_ORDER_VALUE[country],
        excluded_categories=COD_EXCLUDED_CATEGORIES,
        requires_features=("cash_on_delivery",),
        source=COD_SOURCE[country],
    )


def methods_for(country: str) -> tuple[PaymentMethod, ...]:
    """Every method buyers in ``country`` can use (empty for a country not served)."""
    listed = tuple(_bind(spec, country) for spec in SPECS.get(country, ()))
    cod = (_cod(country),) if country in COD_MAX_ORDER_VALUE else ()
    return listed + cod


def gateway_of(code: str) -> str | None:
    """The sandbox gateway that processes method ``code``, or ``None`` if it is not ours."""
    if code == "cod":
        return "sandbox_cod"
    return next(
        (spec.gateway for specs in SPECS.values() for spec in specs if spec.code == code), None
    )


def gateway_methods(gateway: str) -> dict[str, PaymentMethod]:
    """The methods one gateway processes, across every country that offers them.

    The gateway is asked for by method code alone, so a method offered in several countries
    (card, cod, GrabPay, Atome) is merged: all its countries and currencies, and no amount
    limit, since one number cannot cap amounts in different currencies. Checkout enforces each
    country's limits from the registered methods.
    """
    bound = [m for country in COUNTRIES for m in methods_for(country)]
    merged: dict[str, PaymentMethod] = {}
    for method in bound:
        if gateway_of(method.code) != gateway:
            continue
        known = merged.get(method.code)
        merged[method.code] = method if known is None else _merge(known, method)
    return merged


def _merge(first: PaymentMethod, second: PaymentMethod) -> PaymentMethod:
    return replace(
        first,
        countries=first.countries + second.countries,
        currencies=tuple(dict.fromkeys(first.currencies + second.currencies)),
        min_amount=None,
        max_amount=None,
        source=tuple(dict.fromkeys(first.source + second.source)),
    )
