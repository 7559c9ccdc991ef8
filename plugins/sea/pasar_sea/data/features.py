"""Default feature switches per country (REGIONS §5, pitfalls 9 and 10).

A tenant may switch a feature off but never on, so a default is the widest a market allows.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pasar.contracts import FEATURES, FeatureSet
from pasar_sea.messages import N_

_ALL = frozenset(FEATURES)

SOCIAL_CHECKOUT_ID_NOTE = N_(
    "Permendag 31/2023 lets only a licensed marketplace operator process transactions inside "
    "a social app (the Tokopedia model). An operator that is not one must switch "
    "social_checkout off in its tenant file."
)
NO_COD_SG_NOTE = N_("Cash on delivery is not offered in Singapore.")

FEATURE_SETS: Mapping[str, FeatureSet] = MappingProxyType(
    {
        # TikTok Shop closed on 4 Oct 2023 under Permendag 31/2023 and came back inside the app
        # through PT Tokopedia, a licensed marketplace [S16][S97][S98][S99][S100]. Social
        # checkout stays on by default because a tenant can only narrow: a licensed operator
        # keeps it, any other operator must switch it off. COD exists but depends on seller,
        # area and category [S69].
        "ID": FeatureSet(
            country="ID",
            enabled=_ALL,
            source=("S16", "S69", "S97", "S98", "S99", "S100"),
            notes=MappingProxyType({"social_checkout": SOCIAL_CHECKOUT_ID_NOTE}),
        ),
        "MY": FeatureSet(country="MY", enabled=_ALL, source=("S71", "S77", "S95", "S96")),
        "TH": FeatureSet(country="TH", enabled=_ALL, source=("S77",)),
        "VN": FeatureSet(country="VN", enabled=_ALL, source=("S71",)),
        "PH": FeatureSet(country="PH", enabled=_ALL, source=("S77",)),
        # No COD in the platform's SG documentation (inferred from its absence) [S77].
        "SG": FeatureSet(
            country="SG",
            enabled=_ALL - {"cash_on_delivery"},
            source=("S77",),
            notes=MappingProxyType({"cash_on_delivery": NO_COD_SG_NOTE}),
        ),
    }
)


def features_for(country: str) -> FeatureSet | None:
    return FEATURE_SETS.get(country)
