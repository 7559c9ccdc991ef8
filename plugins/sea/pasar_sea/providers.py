"""The sandbox provider objects behind the plugin's payment methods, carriers and payouts.

Each is built from the kernel's sandbox toolkit (``pasar.sandbox``) and this plugin's data, for
the tenant's ``ProviderContext``. A real adapter (Xendit, 2C2P, a carrier's API) would be
returned from the same hooks instead.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pasar.contracts import ProviderContext
from pasar.sandbox import (
    RateTable,
    SandboxCarrier,
    SandboxGateway,
    SandboxPayoutProvider,
    ServiceLevel,
    ZoneRate,
)
from pasar_sea.data.carriers import SERVICE_LEVELS, CarrierSpec, carrier_spec, currency_of
from pasar_sea.data.countries import COUNTRIES, display_exponent
from pasar_sea.data.payments import GATEWAYS, gateway_methods, gateway_of
from pasar_sea.data.payouts import FORMATS, payout_code


@dataclass(frozen=True)
class WholeUnitRateTable(RateTable):
    """A tariff in a currency priced in whole units (IDR, VND): service multipliers and the
    cash-on-delivery fee are rounded half-up to the rupiah or dong, never to a cent that
    does not exist in practice."""

    def base_price(self, rate: ZoneRate, grams: int, service: ServiceLevel) -> Decimal:
        return _whole(super().base_price(rate, grams, service))

    def cod_fee(self, cod_amount: Decimal | None) -> Decimal:
        return _whole(super().cod_fee(cod_amount))


def _whole(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def gateway(method: str, context: ProviderContext) -> SandboxGateway | None:
    """The sandbox gateway processing ``method``, or ``None`` for a method not ours."""
    code = gateway_of(method)
    if code is None:
        return None
    return SandboxGateway(
        code=code,
        provider_name=GATEWAYS[code],
        methods=gateway_methods(code),
        context=context,
    )


def carrier(code: str, context: ProviderContext) -> SandboxCarrier | None:
    """The sandbox carrier ``code`` quoting from its tariff, or ``None`` if not ours."""
    spec = carrier_spec(code)
    if spec is None:
        return None
    return SandboxCarrier(
        info=spec.info,
        rates=rate_table(spec),
        context=context,
        tracking_prefix=spec.tracking_prefix,
    )


def rate_table(spec: CarrierSpec) -> RateTable:
    """The carrier's tariff as the sandbox's ``RateTable`` in its country's currency."""
    currency = currency_of(spec)
    table_class = WholeUnitRateTable if display_exponent(currency) == 0 else RateTable
    zones = {
        zone: ZoneRate(zone, first_grams, first_price, 1000, step_price, min_days, max_days)
        for zone, (first_grams, first_price, step_price, min_days, max_days) in (
            spec.tariff.zones.items()
        )
    }
    services = tuple(ServiceLevel(code, *SERVICE_LEVELS[code]) for code in spec.info.services)
    return table_class(
        currency=currency,
        zones=zones,
        services=services,
        cod_fee_rate=spec.tariff.cod_fee_rate,
    )


def payout_provider(country: str, context: ProviderContext) -> SandboxPayoutProvider | None:
    """The sandbox bank-transfer provider for sellers in ``country``, or ``None``."""
    account = FORMATS.get(country)
    if account is None:
        return None
    return SandboxPayoutProvider(
        code=payout_code(country),
        country=country,
        currency=COUNTRIES[country].currency,
        context=context,
        account_pattern=account.account_pattern,
        bank_code_pattern=account.bank_code_pattern,
        account_label=account.account_label,
    )
