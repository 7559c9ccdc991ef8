"""Parcel carriers per country (REGIONS §4) and the sandbox tariffs they quote from.

The carrier lists are the markets' main e-commerce carriers; REGIONS marks most lists
unverified (only the platform-logistics models are sourced), so ``source`` names the rows that
back them. Cash on delivery is on for the carriers of the markets where COD exists (§3, §5);
Singapore has no COD.

Tariffs are sandbox values of a plausible size, not published prices: a first weight band and
a price per further kilogram for each domestic zone (``local`` same city, ``regional`` same
province or state, ``national`` elsewhere in the country), in the local currency, in whole
units for IDR and VND.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from pasar.contracts import CarrierInfo
from pasar_sea.data.countries import COUNTRIES
from pasar_sea.messages import N_

#: Display names of the service codes carriers offer, for the checkout's shipping options.
SERVICE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "economy": N_("Economy delivery"),
        "standard": N_("Standard delivery"),
        "express": N_("Express delivery"),
        "same_day": N_("Same-day delivery"),
    }
)

#: Price factor and days saved per service, relative to ``standard``.
SERVICE_LEVELS: Mapping[str, tuple[Decimal, int]] = MappingProxyType(
    {
        "economy": (Decimal("0.8"), -2),
        "standard": (Decimal(1), 0),
        "express": (Decimal("1.5"), 1),
        "same_day": (Decimal(2), 2),
    }
)


@dataclass(frozen=True)
class Tariff:
    """A sandbox tariff: per zone (first grams, first price, price per further 1,000 g,
    min days, max days), plus the carrier's fee on cash collected."""

    zones: Mapping[str, tuple[int, Decimal, Decimal, int, int]]
    cod_fee_rate: Decimal = Decimal(0)


@dataclass(frozen=True)
class CarrierSpec:
    info: CarrierInfo
    tariff: Tariff
    tracking_prefix: str


def _zones(
    local: tuple[str, str], regional: tuple[str, str], national: tuple[str, str], days: int
) -> Mapping[str, tuple[int, Decimal, Decimal, int, int]]:
    """Zones with a 1 kg first band; ``days`` is the national maximum transit time."""
    return MappingProxyType(
        {
            "local": (1000, Decimal(local[0]), Decimal(local[1]), 1, 2),
            "regional": (1000, Decimal(regional[0]), Decimal(regional[1]), 2, 3),
            "national": (1000, Decimal(national[0]), Decimal(national[1]), 3, days),
        }
    )


# Whole rupiah and dong; ringgit, baht, pesos and Singapore dollars to the cent.
_ID = Tariff(_zones(("10000", "6000"), ("14000", "8000"), ("24000", "18000"), 7), Decimal("0.03"))
_MY = Tariff(_zones(("6.00", "2.00"), ("7.50", "2.50"), ("9.50", "4.50"), 5), Decimal("0.02"))
_TH = Tariff(_zones(("35", "10"), ("40", "15"), ("50", "20"), 4), Decimal("0.03"))
_VN = Tariff(_zones(("16000", "5000"), ("22000", "5000"), ("32000", "10000"), 5), Decimal("0.01"))
_PH = Tariff(_zones(("85", "30"), ("100", "40"), ("160", "60"), 7), Decimal("0.02"))
_SG = Tariff(_zones(("3.50", "1.50"), ("3.50", "1.50"), ("3.50", "1.50"), 3))

_STD_EXP = ("standard", "express")


def _carrier(
    code: str,
    name: str,
    country: str,
    tariff: Tariff,
    prefix: str,
    *,
    services: tuple[str, ...] = _STD_EXP,
    cod: bool = True,
    source: tuple[str, ...] = (),
) -> CarrierSpec:
    info = CarrierInfo(
        code=code, name=name, countries=(country,), services=services, cod=cod, source=source
    )
    return CarrierSpec(info=info, tariff=tariff, tracking_prefix=prefix)


CARRIERS: Mapping[str, tuple[CarrierSpec, ...]] = MappingProxyType(
    {
        # "Ship by Platform" uses an appointed logistics partner, "Ship by Seller" the seller's
        # pick [S84]; JNE is named in [S85]; the rest of the list is unverified.
        "ID": (
            _carrier("jnt_id", "J&T Express", "ID", _ID, "JP", source=("S84",)),
            _carrier(
                "jne",
                "JNE",
                "ID",
                _ID,
                "JNE",
                services=("economy", "standard", "express"),
                source=("S84", "S85"),
            ),
            _carrier("sicepat", "SiCepat", "ID", _ID, "SCP", source=("S84",)),
            _carrier("ninja_xpress", "Ninja Xpress", "ID", _ID, "NJVID", source=("S84",)),
            _carrier(
                "anteraja",
                "AnterAja",
                "ID",
                _ID,
                "ATJ",
                services=("standard", "express", "same_day"),
                source=("S84",),
            ),
            _carrier("pos_id", "Pos Indonesia", "ID", _ID, "POS", source=("S84",)),
        ),
        # COD only via Ship-by-TikTok [S71]; carriers unverified. City-Link is left without
        # COD: REGIONS gives no sign it collects cash for marketplaces.
        "MY": (
            _carrier("jnt_my", "J&T Express Malaysia", "MY", _MY, "JTM", source=("S71",)),
            _carrier("ninjavan_my", "Ninja Van Malaysia", "MY", _MY, "NVMY", source=("S71",)),
            _carrier("poslaju", "Pos Laju", "MY", _MY, "PL", source=("S71",)),
            _carrier("flash_my", "Flash Express Malaysia", "MY", _MY, "FMY", source=("S71",)),
            _carrier("citylink", "City-Link Express", "MY", _MY, "CL", cod=False),
        ),
        # Platform logistics by Thai Happy Logistics, mainly J&T; few sellers may pick
        # Thailand Post [S86][S87][S88].
        "TH": (
            _carrier("flash_th", "Flash Express", "TH", _TH, "TH", source=("S86",)),
            _carrier("kex", "KEX Express", "TH", _TH, "KEX", source=("S86",)),
            _carrier("jnt_th", "J&T Express Thailand", "TH", _TH, "JTT", source=("S86", "S87")),
            _carrier(
                "thailand_post",
                "Thailand Post",
                "TH",
                _TH,
                "EF",
                services=("economy", "standard", "express"),
                source=("S87", "S88"),
            ),
        ),
        # "Ship by TikTok" with LSP pick-up or drop-off; COD only on it [S71][S89].
        "VN": (
            _carrier("ghn", "Giao Hàng Nhanh", "VN", _VN, "GHN", source=("S89",)),
            _carrier("ghtk", "Giao Hàng Tiết Kiệm", "VN", _VN, "GHTK", source=("S89",)),
            _carrier("viettel_post", "Viettel Post", "VN", _VN, "VTP", source=("S89",)),
            _carrier("jnt_vn", "J&T Express Vietnam", "VN", _VN, "JTV", source=("S89",)),
        ),
        # Carrier list unverified in REGIONS.
        "PH": (
            _carrier("jnt_ph", "J&T Express Philippines", "PH", _PH, "JTP"),
            _carrier("lbc", "LBC Express", "PH", _PH, "LBC"),
            _carrier("ninjavan_ph", "Ninja Van Philippines", "PH", _PH, "NVPH"),
            _carrier("flash_ph", "Flash Express Philippines", "PH", _PH, "FPH"),
        ),
        # Carrier list unverified; no COD in Singapore (§3, §5 [S77]).
        "SG": (
            _carrier("singpost", "SingPost", "SG", _SG, "SP", cod=False),
            _carrier("ninjavan_sg", "Ninja Van Singapore", "SG", _SG, "NVSG", cod=False),
            _carrier("jnt_sg", "J&T Express Singapore", "SG", _SG, "JTS", cod=False),
            _carrier("qxpress", "Qxpress", "SG", _SG, "QX", cod=False),
        ),
    }
)


def carriers_for(country: str) -> tuple[CarrierInfo, ...]:
    """The carriers delivering in ``country`` (empty for a country not served)."""
    return tuple(spec.info for spec in CARRIERS.get(country, ()))


def carrier_spec(code: str) -> CarrierSpec | None:
    """The carrier ``code`` with its tariff, or ``None`` if it is not ours."""
    return next(
        (spec for specs in CARRIERS.values() for spec in specs if spec.info.code == code), None
    )


def currency_of(spec: CarrierSpec) -> str:
    """The currency a carrier quotes in: that of the one country it delivers in."""
    return COUNTRIES[spec.info.countries[0]].currency
