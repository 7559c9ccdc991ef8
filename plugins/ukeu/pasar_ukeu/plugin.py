"""The hooks of the UK/EU region plugin (entry point ``ukeu``).

Each hook only looks its answer up in ``pasar_ukeu.data`` (or in the small engines built on
it: ``tax``, ``gateways``, ``shipping``) and answers ``None`` / registers nothing for a
country, method or carrier this plugin does not serve.
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

from pasar_ukeu import gateways, shipping, tax
from pasar_ukeu.data import consumer
from pasar_ukeu.data.carriers import carriers_for
from pasar_ukeu.data.countries import CURRENCY_RULES, REGION
from pasar_ukeu.data.features import FEATURE_SETS
from pasar_ukeu.data.kyc import KYC
from pasar_ukeu.data.payments import methods_for
from pasar_ukeu.messages import LOCALE_DIR

# -- region --------------------------------------------------------------------------------


@hookimpl
def pasar_region_info() -> RegionInfo:
    return REGION


@hookimpl
def pasar_currency_rules(currency: str, country: str) -> CurrencyRules | None:
    return CURRENCY_RULES.get((currency, country))


@hookimpl
def pasar_features(country: str) -> FeatureSet | None:
    return FEATURE_SETS.get(country)


@hookimpl
def pasar_consumer_rules(country: str, on: date) -> ConsumerRules | None:
    return consumer.rules_for(country, on)


@hookimpl
def pasar_kyc_requirements(country: str) -> KycRequirements | None:
    return KYC.get(country)


@hookimpl
def pasar_locale_dirs() -> list[str]:
    return [str(LOCALE_DIR)]


# -- tax -----------------------------------------------------------------------------------


@hookimpl
def pasar_tax_quote(context: TaxContext) -> TaxQuote | None:
    return tax.quote(context)


@hookimpl
def pasar_marketplace_withholding(context: WithholdingContext) -> list[Withholding]:
    """No served country makes a marketplace withhold income tax from sellers' turnover
    (REGIONS §2a lists such rules only for ID, PH and VN)."""
    return []


# -- payments ------------------------------------------------------------------------------


@hookimpl
def pasar_register_payment_methods(
    register: Callable[[PaymentMethod], None], country: str
) -> None:
    for method in methods_for(country):
        register(method)


@hookimpl
def pasar_payment_gateway(method: str, context: ProviderContext) -> PaymentGateway | None:
    return gateways.gateway(method, context)


@hookimpl
def pasar_payout_provider(country: str, context: ProviderContext) -> PayoutProvider | None:
    return gateways.payout_provider(country, context)


# -- shipping ------------------------------------------------------------------------------


@hookimpl
def pasar_register_carriers(register: Callable[[CarrierInfo], None], country: str) -> None:
    for info in carriers_for(country):
        register(info)


@hookimpl
def pasar_carrier(code: str, context: ProviderContext) -> Carrier | None:
    return shipping.carrier(code, context)
