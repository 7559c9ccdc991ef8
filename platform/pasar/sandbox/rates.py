"""Parcel rate tables: price by zone, chargeable weight and service level.

This is how carriers publish their tariffs: a price for the first weight band of a zone, a
price per further step, a multiplier for faster services, and a fee on the cash collected for
cash-on-delivery parcels. A region plugin fills a ``RateTable`` with its carriers' numbers
(with their ``source``) and ``SandboxCarrier`` quotes from it.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pasar.contracts import Address, Parcel

_CENT = Decimal("0.01")


def default_zone(origin: Address, destination: Address) -> str:
    """The usual domestic zoning: ``local`` within a city, ``regional`` within a province or
    state, ``national`` within a country, ``international`` across borders."""
    if _same(origin.country, destination.country):
        if _same(origin.city, destination.city):
            return "local"
        if _same(origin.region, destination.region):
            return "regional"
        return "national"
    return "international"


def _same(first: str, second: str) -> bool:
    """Equal ignoring case and surrounding spaces; an empty value matches nothing."""
    first, second = first.strip().casefold(), second.strip().casefold()
    return bool(first) and first == second


def quantize(amount: Decimal) -> Decimal:
    """Two decimal places, half up (tables for IDR or VND hold integers, so stay exact)."""
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ZoneRate:
    """The tariff of one zone: ``first_price`` covers up to ``first_grams``; each started
    ``step_grams`` beyond costs ``step_price``."""

    zone: str
    first_grams: int
    first_price: Decimal
    step_grams: int
    step_price: Decimal
    min_days: int
    max_days: int

    def __post_init__(self) -> None:
        if self.first_grams <= 0 or self.step_grams <= 0:
            raise ValueError(f"zone {self.zone!r}: first_grams and step_grams must be positive")
        if not 0 <= self.min_days <= self.max_days:
            raise ValueError(f"zone {self.zone!r}: need 0 <= min_days <= max_days")

    def price(self, grams: int) -> Decimal:
        """The base price of a parcel of ``grams`` chargeable weight."""
        extra = max(0, grams - self.first_grams)
        steps = -(-extra // self.step_grams)  # started steps count in full
        return self.first_price + steps * self.step_price


@dataclass(frozen=True)
class ServiceLevel:
    """A service (``standard``, ``express``, ...): its price factor and how many days faster
    it arrives than the zone's transit time."""

    code: str
    multiplier: Decimal
    days_faster: int = 0


@dataclass(frozen=True)
class RateTable:
    """A carrier's whole tariff in one currency."""

    currency: str
    zones: Mapping[str, ZoneRate]
    services: tuple[ServiceLevel, ...]
    zone_of: Callable[[Address, Address], str] = default_zone
    max_weight_grams: int = 30000
    volumetric_divisor: int = 5000
    cod_fee_rate: Decimal = Decimal(0)

    def chargeable_grams(self, parcel: Parcel) -> int:
        """The heavier of actual and volumetric weight (L×W×H cm³ / divisor = kg), because a
        light but bulky parcel fills a van like a heavy one."""
        volume = parcel.length_cm * parcel.width_cm * parcel.height_cm
        volumetric = -(-volume * 1000 // self.volumetric_divisor)
        return max(parcel.weight_grams, volumetric)

    def service(self, code: str) -> ServiceLevel | None:
        return next((level for level in self.services if level.code == code), None)

    def base_price(self, rate: ZoneRate, grams: int, service: ServiceLevel) -> Decimal:
        return quantize(rate.price(grams) * service.multiplier)

    def cod_fee(self, cod_amount: Decimal | None) -> Decimal:
        """The carrier's fee for collecting ``cod_amount`` in cash (zero without COD)."""
        if cod_amount is None:
            return Decimal(0)
        return quantize(cod_amount * self.cod_fee_rate)

    def days(self, rate: ZoneRate, service: ServiceLevel) -> tuple[int, int]:
        """Transit days of ``service`` in ``rate``'s zone, never below zero."""
        return (
            max(0, rate.min_days - service.days_faster),
            max(0, rate.max_days - service.days_faster),
        )
