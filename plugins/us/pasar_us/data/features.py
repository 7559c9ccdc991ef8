"""Which marketplace features the US has (REGIONS.md §5): TikTok Shop US launched in Sep 2023
with a shop tab and LIVE shopping [S96][S104]; e-commerce and ads stay with the TikTok US
entities after the Jan 2026 joint venture [S105][S106][S107]. No cash on delivery."""
from __future__ import annotations

from types import MappingProxyType

from pasar.contracts import FeatureSet

from pasar_us.i18n import N_

US_FEATURES = FeatureSet(
    country="US",
    enabled=frozenset(
        {
            "short_video",
            "live_shopping",
            "shopping_tab",
            "affiliate",
            "ads",
            "social_checkout",
            "flash_sales",
        }
    ),
    source=("S96", "S104", "S105", "S106", "S107"),
    notes=MappingProxyType(
        {
            "cash_on_delivery": N_(
                "Cash on delivery is not offered in the United States: buyers pay online at "
                "checkout."
            ),
        }
    ),
)
