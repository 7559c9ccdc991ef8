"""The country the plugin serves and how its currency is handled (REGIONS.md §1, §7a)."""
from __future__ import annotations

from pasar.contracts import CountryInfo, CurrencyRules, RegionInfo

from pasar_us.data.tax_rates import STATES
from pasar_us.i18n import N_

UNITED_STATES = CountryInfo(
    code="US",
    name=N_("United States"),
    currency="USD",
    locales=("en_US", "es_US"),  # REGIONS §7a
    # Eastern first (the reference tenant's zone), then west across the mainland, then AK, HI.
    timezones=(
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
    ),
    subdivisions=tuple(sorted(STATES)),
)

REGION = RegionInfo(plugin="us", title=N_("United States"), countries=(UNITED_STATES,))

# Cents in storage and in practice; online payments are exact, so no cash rounding. (REGIONS §1
# notes the end of penny production in 2025 as unverified; it changes no online amount.)
USD_RULES = CurrencyRules(
    currency="USD",
    iso_minor_units=2,
    display_minor_units=2,
    rounding="ROUND_HALF_UP",
    cash_increment=0,
)
