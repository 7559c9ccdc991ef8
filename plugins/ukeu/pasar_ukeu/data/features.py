"""Default feature switches per market (REGIONS §5, pitfall 11).

TikTok Shop is live in the UK (since 2021 [S96][S101]), Ireland and Spain (Dec 2024 [S102]),
Germany, France and Italy (31 Mar 2025 [S92][S103]), so the social-commerce features are on
there. Whether the shop tab and live shopping are offered in IE, ES, DE, FR and IT is
unverified, which the notes say. Cash on delivery is on only in Spain and Italy, the two
markets where buyers use it (contra reembolso, contrassegno: REGIONS §3, unverified);
TikTok Shop itself offers no COD in any of these markets (REGIONS §5). No TikTok Shop was found
in the Netherlands (an unverified absence), so every feature is off there and an operator who
establishes the market can switch features on here.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pasar.contracts import FEATURES, FeatureSet

from pasar_ukeu.messages import N_

#: What TikTok Shop offers in every market where it is live.
SOCIAL_COMMERCE: frozenset[str] = frozenset(
    {
        "short_video",
        "live_shopping",
        "shopping_tab",
        "affiliate",
        "ads",
        "social_checkout",
        "flash_sales",
    }
)

NO_COD = N_(
    "Cash on delivery is off: social-commerce shops do not offer it in this market and "
    "buyers rarely pay that way."
)
COD_LIMITED = N_(
    "Cash on delivery is limited to domestic orders up to the cash-on-delivery cap, shipped "
    "with a carrier that collects cash."
)
UNVERIFIED_LAUNCH = N_(
    "On by default; whether TikTok Shop offers this in this market has not been verified."
)
NO_TIKTOK_SHOP = N_(
    "Off: no TikTok Shop was found in the Netherlands, so social-commerce features are off "
    "by default."
)


def _live(country: str, source: tuple[str, ...], *, cod: bool, verified: bool) -> FeatureSet:
    """A market where TikTok Shop is live: social commerce on, COD as the market uses it."""
    notes = {"cash_on_delivery": COD_LIMITED if cod else NO_COD}
    if not verified:
        notes.update(live_shopping=UNVERIFIED_LAUNCH, shopping_tab=UNVERIFIED_LAUNCH)
    enabled = (SOCIAL_COMMERCE | {"cash_on_delivery"}) if cod else SOCIAL_COMMERCE
    return FeatureSet(country, frozenset(enabled), source, MappingProxyType(notes))


FEATURE_SETS: Mapping[str, FeatureSet] = MappingProxyType(
    {
        "GB": _live("GB", ("S96", "S101"), cod=False, verified=True),
        "IE": _live("IE", ("S102",), cod=False, verified=False),
        "ES": _live("ES", ("S102",), cod=True, verified=False),
        "DE": _live("DE", ("S92", "S103"), cod=False, verified=False),
        "FR": _live("FR", ("S92", "S103"), cod=False, verified=False),
        "IT": _live("IT", ("S92", "S103"), cod=True, verified=False),
        "NL": FeatureSet(
            "NL",
            frozenset(),
            source=(),  # an absence: REGIONS found no source saying TikTok Shop exists in NL
            notes=MappingProxyType({feature: NO_TIKTOK_SHOP for feature in FEATURES}),
        ),
    }
)
