"""The United States region plugin's hooks.

Each hook only looks its answer up in ``pasar_us.data`` (facts) or asks ``pasar_us.tax`` /
``pasar_us.providers`` (computations), and answers ``None`` or registers nothing for any
country other than the US.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from pasar import hookimpl
from pasar.contracts import (
    Carrier,
    CarrierInfo,
    ConsumerRules,
    CurrencyRules,
    FeatureSet,
    KycRequirements,
    PaymentGateway,
    PaymentMethod,
    PayoutProvider,
    ProviderContext,
    RegionInfo,
    TaxContext,
    TaxQuote,
    Withholding,
    WithholdingContext,
)

from pasar_us import providers, tax
from pasar_us.data import carriers, payments
from pasar_us.data.consumer import US_CONSUMER_RULES
from pasar_us.data.features import US_FEATURES
from pasar_us.data.kyc import US_KYC
from pasar_us.data.region import REGION, USD_RULES
from pasar_us.i18n import LOCALE_DIR

COUNTRY = "US"


@hookimpl
def pasar_region_info() -> RegionInfo:
    return REGION


@hookimpl
def pasar_currency_rules(currency: str, country: str) -> CurrencyRules | None:
    return USD_RULES if (currency, country) == ("USD", COUNTRY) else None


@hookimpl
def pasar_features(country: str) -> FeatureSet | None:
    return US_FEATURES if country == COUNTRY else None


@hookimpl
def pasar_consumer_rules(country: str, on: date) -> ConsumerRules | None:
    # The US rules have no dated change on file: the same answer for every date.
    return US_CONSUMER_RULES if country == COUNTRY else None


@hookimpl
def pasar_kyc_requirements(country: str) -> KycRequirements | None:
    return US_KYC if country == COUNTRY else None


@hookimpl
def pasar_locale_dirs() -> list[str]:
    return [str(LOCALE_DIR)]


@hookimpl
def pasar_tax_quote(context: TaxContext) -> TaxQuote | None:
    return tax.quote(context)


@hookimpl
def pasar_marketplace_withholding(context: WithholdingContext) -> list[Withholding]:
    # US marketplaces withhold no income tax from sellers' turnover: they report payments on
    # Form 1099-K. Backup withholding (IRC §3406) applies only to a payee without a valid TIN,
    # which KYC prevents by requiring the EIN.
    return []


@hookimpl
def pasar_register_payment_methods(
    register: Callable[[PaymentMethod], None], country: str
) -> None:
    if country == COUNTRY:
        for method in payments.METHODS:
            register(method)


@hookimpl
def pasar_payment_gateway(method: str, context: ProviderContext) -> PaymentGateway | None:
    return providers.gateway(method, context)


@hookimpl
def pasar_payout_provider(country: str, context: ProviderContext) -> PayoutProvider | None:
    return providers.payout_provider(country, context)


@hookimpl
def pasar_register_carriers(register: Callable[[CarrierInfo], None], country: str) -> None:
    if country == COUNTRY:
        for plan in carriers.PLANS:
            register(plan.info)


@hookimpl
def pasar_carrier(code: str, context: ProviderContext) -> Carrier | None:
    return providers.carrier(code, context)
