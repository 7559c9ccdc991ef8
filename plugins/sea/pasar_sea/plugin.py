"""The hooks of the Southeast Asia region plugin (entry point ``sea``).

Each hook only looks its answer up in :mod:`pasar_sea.data` (or builds a sandbox provider
from it) and answers ``None`` / registers nothing for a country the plugin does not serve.
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
from pasar_sea import providers, tax_engine
from pasar_sea.data import carriers, consumer, countries, features, kyc, payments
from pasar_sea.messages import LOCALE_DIR


@hookimpl
def pasar_region_info() -> RegionInfo:
    return countries.REGION


@hookimpl
def pasar_currency_rules(currency: str, country: str) -> CurrencyRules | None:
    return countries.currency_rules(currency, country)


@hookimpl
def pasar_features(country: str) -> FeatureSet | None:
    return features.features_for(country)


@hookimpl
def pasar_consumer_rules(country: str, on: date) -> ConsumerRules | None:
    return consumer.rules_for(country, on)


@hookimpl
def pasar_kyc_requirements(country: str) -> KycRequirements | None:
    return kyc.requirements_for(country)


@hookimpl
def pasar_locale_dirs() -> list[str]:
    return [str(LOCALE_DIR)]


@hookimpl
def pasar_tax_quote(context: TaxContext) -> TaxQuote | None:
    return tax_engine.quote(context)


@hookimpl
def pasar_marketplace_withholding(context: WithholdingContext) -> list[Withholding]:
    return tax_engine.withhold(context)


@hookimpl
def pasar_register_payment_methods(
    register: Callable[[PaymentMethod], None], country: str
) -> None:
    for method in payments.methods_for(country):
        register(method)


@hookimpl
def pasar_payment_gateway(method: str, context: ProviderContext) -> PaymentGateway | None:
    return providers.gateway(method, context)


@hookimpl
def pasar_payout_provider(country: str, context: ProviderContext) -> PayoutProvider | None:
    return providers.payout_provider(country, context)


@hookimpl
def pasar_register_carriers(register: Callable[[CarrierInfo], None], country: str) -> None:
    for info in carriers.carriers_for(country):
        register(info)


@hookimpl
def pasar_carrier(code: str, context: ProviderContext) -> Carrier | None:
    return providers.carrier(code, context)
