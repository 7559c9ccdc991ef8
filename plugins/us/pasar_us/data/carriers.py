"""Parcel carriers in the US (REGIONS.md §4): USPS, UPS, FedEx, OnTrac, LaserShip and DHL
eCommerce are among the carriers TikTok Shop US supports for tracking [S94]. None collects
cash on delivery (the feature is off in the US).

Zones compare the origin and destination states: ``local`` within a state, ``regional`` within
a census region, ``national`` across the country (Alaska and Hawaii are always national from
another state). Prices are plausible sandbox tariffs in USD per pound (454 g) step, not
published rates; services map onto each carrier's products (``SERVICE_PRODUCTS``).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pasar.contracts import CarrierInfo

from pasar_us.i18n import N_

SOURCE = ("S94",)
POUND_GRAMS = 454

#: Display names of the service codes used by every US carrier.
SERVICE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "standard": N_("Standard shipping"),
        "express": N_("Express shipping"),
        "overnight": N_("Overnight shipping"),
    }
)


@dataclass(frozen=True)
class Tariff:
    """One zone's prices: the first pound, each further pound, and transit days."""

    first: str
    per_pound: str
    min_days: int
    max_days: int


@dataclass(frozen=True)
class CarrierPlan:
    """Everything the plugin knows of a carrier: who it is, what it sells and at what price."""

    info: CarrierInfo
    tariffs: Mapping[str, Tariff]  # zone -> tariff
    multipliers: Mapping[str, tuple[str, int]]  # service -> (price factor, days faster)
    tracking_prefix: str
    max_weight_grams: int
    products: Mapping[str, str]  # service -> the carrier's product name (a brand name)


def _plan(
    code: str,
    name: str,
    tariffs: tuple[Tariff, Tariff, Tariff],
    products: dict[str, str],
    *,
    prefix: str,
    max_pounds: int,
) -> CarrierPlan:
    multipliers = {"standard": ("1", 0), "express": ("1.85", 1), "overnight": ("3.9", 2)}
    return CarrierPlan(
        info=CarrierInfo(code=code, name=name, countries=("US",), services=tuple(products),
                         cod=False, source=SOURCE),
        tariffs=MappingProxyType(dict(zip(("local", "regional", "national"), tariffs))),
        multipliers=MappingProxyType({s: multipliers[s] for s in products}),
        tracking_prefix=prefix,
        max_weight_grams=max_pounds * POUND_GRAMS,
        products=MappingProxyType(products),
    )  # fmt: skip


PLANS: tuple[CarrierPlan, ...] = (
    _plan(
        "usps",
        "USPS",
        (Tariff("5.25", "0.85", 2, 3), Tariff("6.10", "1.10", 2, 4), Tariff("7.45", "1.55", 3, 5)),
        {
            "standard": "USPS Ground Advantage",
            "express": "Priority Mail",
            "overnight": "Priority Mail Express",
        },
        prefix="9400",
        max_pounds=70,
    ),
    _plan(
        "ups",
        "UPS",
        (Tariff("7.90", "1.05", 1, 2), Tariff("9.40", "1.30", 2, 3), Tariff("11.20", "1.70", 3, 5)),
        {"standard": "UPS Ground", "express": "UPS 2nd Day Air", "overnight": "UPS Next Day Air"},
        prefix="1Z",
        max_pounds=150,
    ),
    _plan(
        "fedex",
        "FedEx",
        (Tariff("8.05", "1.10", 1, 2), Tariff("9.55", "1.35", 2, 3), Tariff("11.40", "1.75", 3, 5)),
        {
            "standard": "FedEx Ground",
            "express": "FedEx 2Day",
            "overnight": "FedEx Standard Overnight",
        },
        prefix="FDX",
        max_pounds=150,
    ),
    _plan(
        "ontrac",
        "OnTrac",
        (Tariff("6.40", "0.70", 1, 2), Tariff("7.30", "0.90", 1, 3), Tariff("8.90", "1.30", 2, 5)),
        {"standard": "OnTrac Ground"},
        prefix="C",
        max_pounds=150,
    ),
    _plan(
        "lasership",
        "LaserShip",
        (Tariff("6.30", "0.70", 1, 2), Tariff("7.20", "0.90", 1, 3), Tariff("8.80", "1.30", 2, 5)),
        {"standard": "LaserShip Ground"},
        prefix="1LS",
        max_pounds=150,
    ),
    _plan(
        "dhl_ecommerce_us",
        "DHL eCommerce",
        (Tariff("4.95", "0.80", 3, 5), Tariff("5.70", "1.00", 3, 6), Tariff("6.90", "1.40", 4, 8)),
        {"standard": "DHL Parcel Ground", "express": "DHL Parcel Expedited"},
        prefix="GM",
        max_pounds=25,
    ),
)

BY_CODE: Mapping[str, CarrierPlan] = MappingProxyType({p.info.code: p for p in PLANS})
