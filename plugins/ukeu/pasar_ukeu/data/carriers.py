"""Parcel carriers per market (REGIONS §4) and the sandbox tariffs they quote from.

Only the Irish list is sourced: TikTok Shop IE is Ship-by-Seller only, with approved carriers
DPD, GLS, UPS, Fastway, An Post, DHL Express, TNT and FedEx [S93]; the plugin offers the first
five, which are also IE's main parcel carriers. The other markets' lists are REGIONS' main
carriers, which it marks unverified (UK: TikTok Shop's three shipping modes are verified
[S90], the carriers are not). Cash on delivery is collected only by the Spanish and Italian
parcel networks, the two markets where buyers use it (REGIONS §3).

The prices are sandbox tariffs, plausible for each market but not any carrier's real price
list: the local-zone price of the first kilo, the price of each further started kilo, and the
local transit days. ``pasar_ukeu.shipping`` derives the other zones from them.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from pasar.contracts import CarrierInfo

from pasar_ukeu.messages import N_

#: Names of the service codes carriers offer, for checkout (translated by the catalogs).
SERVICE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "standard": N_("Standard delivery"),
        "express": N_("Express delivery"),
        "pickup_point": N_("Delivery to a pick-up point or locker"),
    }
)

#: Carriers' fee on the cash they collect on delivery (sandbox figure).
COD_FEE_RATE = Decimal("0.02")


@dataclass(frozen=True)
class Tariff:
    """A carrier's sandbox prices in its market's currency."""

    first_kilo: Decimal  # local zone, up to 1 kg
    per_kilo: Decimal  # each further started kilo, local zone
    days: tuple[int, int]  # local transit days of the standard service
    cross_border: bool = False  # takes parcels sent from abroad (integrators)


@dataclass(frozen=True)
class CarrierSpec:
    info: CarrierInfo
    tracking_prefix: str
    tariff: Tariff


def _spec(
    country: str,
    code: str,
    name: str,
    services: tuple[str, ...],
    prefix: str,
    tariff: Tariff,
    *,
    cod: bool = False,
    source: tuple[str, ...] = (),
) -> CarrierSpec:
    info = CarrierInfo(code, name, (country,), services, cod=cod, source=source)
    return CarrierSpec(info, prefix, tariff)


def _t(first: str, step: str, days: tuple[int, int]) -> Tariff:
    """A domestic carrier's tariff."""
    return Tariff(Decimal(first), Decimal(step), days)


def _cross(first: str, step: str, days: tuple[int, int]) -> Tariff:
    """The tariff of an integrator that also takes parcels handed in abroad."""
    return Tariff(Decimal(first), Decimal(step), days, cross_border=True)


_STD = ("standard",)
_STD_EXP = ("standard", "express")
_STD_PICKUP = ("standard", "pickup_point")
_IE = ("S93",)

CARRIERS: tuple[CarrierSpec, ...] = (
    # United Kingdom (GBP): Royal Mail (and Parcelforce), Evri (ex-Hermes UK), DPD, Yodel,
    # UPS, DHL, InPost.
    _spec("GB", "royal_mail", "Royal Mail", _STD_EXP, "RM", _t("3.35", "1.20", (2, 3))),
    _spec("GB", "evri", "Evri", _STD_PICKUP, "EV", _t("2.99", "1.00", (2, 4))),
    _spec("GB", "dpd_uk", "DPD", _STD_EXP, "DPUK", _cross("5.50", "0.90", (1, 2))),
    _spec("GB", "yodel", "Yodel", _STD, "YD", _t("3.10", "1.00", (2, 4))),
    _spec("GB", "ups_uk", "UPS", _STD_EXP, "1ZUK", _cross("6.90", "1.40", (1, 3))),
    _spec("GB", "dhl_uk", "DHL", _STD_EXP, "DHUK", _cross("6.50", "1.30", (1, 3))),
    _spec("GB", "inpost_uk", "InPost", ("pickup_point",), "IPUK", _t("2.79", "0.80", (1, 3))),
    # Germany (EUR): DHL / Deutsche Post, Hermes, DPD, GLS, UPS.
    _spec(
        "DE", "dhl_de", "DHL Paket", ("standard", "express", "pickup_point"), "JJD",
        _cross("4.99", "0.90", (1, 2)),
    ),
    _spec("DE", "hermes_de", "Hermes", _STD_PICKUP, "HMDE", _t("4.50", "0.80", (2, 3))),
    _spec("DE", "dpd_de", "DPD", _STD_EXP, "DPDE", _cross("5.20", "0.90", (1, 2))),
    _spec("DE", "gls_de", "GLS", _STD_EXP, "GLDE", _cross("4.90", "0.85", (1, 3))),
    _spec("DE", "ups_de", "UPS", _STD_EXP, "1ZDE", _cross("7.20", "1.40", (1, 3))),
    # France (EUR): La Poste / Colissimo, Chronopost, Mondial Relay, DPD, GLS.
    _spec("FR", "colissimo", "Colissimo", _STD_PICKUP, "CO", _t("5.25", "1.10", (2, 3))),
    _spec("FR", "chronopost", "Chronopost", ("express",), "CP", _cross("9.90", "1.50", (2, 3))),
    _spec(
        "FR", "mondial_relay", "Mondial Relay", ("pickup_point",), "MR",
        _t("3.90", "0.70", (3, 5)),
    ),
    _spec("FR", "dpd_fr", "DPD", _STD_PICKUP, "DPFR", _cross("5.90", "1.00", (1, 3))),
    _spec("FR", "gls_fr", "GLS", _STD, "GLFR", _cross("5.50", "0.95", (1, 3))),
    # Spain (EUR): Correos, SEUR, MRW, GLS, CTT Express; contra reembolso.
    _spec(
        "ES", "correos", "Correos", ("standard", "express", "pickup_point"), "PQ",
        _t("4.20", "0.90", (2, 4)), cod=True,
    ),
    _spec("ES", "seur", "SEUR", _STD_EXP, "SEUR", _cross("5.40", "1.00", (1, 2)), cod=True),
    _spec("ES", "mrw", "MRW", _STD_EXP, "MRW", _t("5.80", "1.10", (1, 2)), cod=True),
    _spec("ES", "gls_es", "GLS", _STD, "GLES", _cross("5.10", "0.95", (1, 3)), cod=True),
    _spec(
        "ES", "ctt_express", "CTT Express", _STD, "CTT", _t("4.60", "0.85", (1, 3)),
        cod=True,
    ),
    # Italy (EUR): Poste Italiane, BRT, GLS, SDA, DHL; contrassegno (not DHL).
    _spec(
        "IT", "poste_italiane", "Poste Italiane", _STD_PICKUP, "PI", _t("6.50", "1.20", (2, 4)),
        cod=True,
    ),
    _spec("IT", "brt", "BRT", _STD_PICKUP, "BRT", _t("6.20", "1.00", (1, 3)), cod=True),
    _spec("IT", "gls_it", "GLS", _STD, "GLIT", _cross("5.90", "1.00", (1, 3)), cod=True),
    _spec("IT", "sda", "SDA", _STD_EXP, "SDA", _t("6.00", "1.10", (1, 3)), cod=True),
    _spec("IT", "dhl_it", "DHL", _STD_EXP, "DHIT", _cross("7.50", "1.40", (1, 3))),
    # Ireland (EUR): the approved Ship-by-Seller carriers [S93].
    _spec("IE", "an_post", "An Post", _STD, "AP", _t("5.50", "1.20", (1, 3)), source=_IE),
    _spec("IE", "dpd_ie", "DPD", _STD, "DPIE", _cross("6.00", "1.00", (1, 2)), source=_IE),
    _spec("IE", "gls_ie", "GLS", _STD, "GLIE", _cross("5.80", "1.00", (1, 3)), source=_IE),
    _spec("IE", "ups_ie", "UPS", _STD_EXP, "1ZIE", _cross("7.50", "1.50", (1, 3)), source=_IE),
    _spec("IE", "fastway", "Fastway", _STD, "FW", _t("4.95", "0.90", (1, 3)), source=_IE),
    # Netherlands (EUR): PostNL, DHL (Parcel NL), DPD, GLS, UPS.
    _spec("NL", "postnl", "PostNL", _STD_PICKUP, "3S", _t("4.95", "0.80", (1, 2))),
    _spec("NL", "dhl_nl", "DHL Parcel", _STD_PICKUP, "JVGL", _cross("4.75", "0.80", (1, 2))),
    _spec("NL", "dpd_nl", "DPD", _STD, "DPNL", _cross("5.25", "0.90", (1, 2))),
    _spec("NL", "gls_nl", "GLS", _STD, "GLNL", _cross("5.10", "0.90", (1, 2))),
    _spec("NL", "ups_nl", "UPS", _STD_EXP, "1ZNL", _cross("7.20", "1.40", (1, 3))),
)

BY_CODE: Mapping[str, CarrierSpec] = MappingProxyType({c.info.code: c for c in CARRIERS})


def carriers_for(country: str) -> tuple[CarrierInfo, ...]:
    """The carriers delivering in ``country`` (empty for a country not served)."""
    return tuple(spec.info for spec in CARRIERS if country in spec.info.countries)
