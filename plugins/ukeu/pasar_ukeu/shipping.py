"""Sandbox carriers built from the tariffs in ``pasar_ukeu.data.carriers``.

A tariff gives the local-zone price and transit time; the other zones follow the usual shape
of a parcel price list: a little more within the same region, more again across the country,
and a good deal more (and slower) for parcels handed in abroad, which only the cross-border
integrators take. Faster services cost a multiple of the standard price; pick-up points and
lockers cost less because the courier makes one stop for many parcels.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

from pasar.contracts import ProviderContext
from pasar.sandbox import RateTable, SandboxCarrier, ServiceLevel, ZoneRate
from pasar.sandbox.rates import quantize

from pasar_ukeu.data.carriers import BY_CODE, COD_FEE_RATE, CarrierSpec, Tariff
from pasar_ukeu.data.countries import CURRENCY_OF

_KILO = 1000

SERVICE_LEVELS: Mapping[str, ServiceLevel] = MappingProxyType(
    {
        "standard": ServiceLevel("standard", Decimal("1.00")),
        "express": ServiceLevel("express", Decimal("1.60"), days_faster=1),
        "pickup_point": ServiceLevel("pickup_point", Decimal("0.85")),
    }
)


def _zone(
    name: str, tariff: Tariff, price: str, step: str, extra_days: tuple[int, int]
) -> ZoneRate:
    """A zone priced at ``price`` × the local first kilo and ``step`` × the local step."""
    return ZoneRate(
        zone=name,
        first_grams=_KILO,
        first_price=quantize(tariff.first_kilo * Decimal(price)),
        step_grams=_KILO,
        step_price=quantize(tariff.per_kilo * Decimal(step)),
        min_days=tariff.days[0] + extra_days[0],
        max_days=tariff.days[1] + extra_days[1],
    )


def zones(tariff: Tariff) -> dict[str, ZoneRate]:
    """Local, regional and national zones, plus international for cross-border carriers."""
    table = {
        "local": _zone("local", tariff, "1", "1", (0, 0)),
        "regional": _zone("regional", tariff, "1.10", "1", (0, 1)),
        "national": _zone("national", tariff, "1.25", "1.20", (1, 1)),
    }
    if tariff.cross_border:
        table["international"] = _zone("international", tariff, "3", "2", (3, 5))
    return table


def rate_table(spec: CarrierSpec) -> RateTable:
    """The carrier's whole sandbox tariff in its market's currency."""
    (country,) = spec.info.countries
    return RateTable(
        currency=CURRENCY_OF[country],
        zones=MappingProxyType(zones(spec.tariff)),
        services=tuple(SERVICE_LEVELS[code] for code in spec.info.services),
        cod_fee_rate=COD_FEE_RATE if spec.info.cod else Decimal(0),
    )


def carrier(code: str, context: ProviderContext) -> SandboxCarrier | None:
    """The sandbox carrier for ``code``, or ``None`` for a carrier this plugin does not own."""
    spec = BY_CODE.get(code)
    if spec is None:
        return None
    return SandboxCarrier(
        info=spec.info,
        rates=rate_table(spec),
        context=context,
        tracking_prefix=spec.tracking_prefix,
    )
