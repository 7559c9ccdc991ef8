"""The countries the plugin serves, their currencies and how cash is rounded (REGIONS §1, §7).

Spain is served for the VAT area only: the Canary Islands, Ceuta and Melilla are outside the EU
VAT area (they have their own indirect taxes, which REGIONS.md does not cover), so Spain lists
the peninsula's time zone alone.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pasar.contracts import CountryInfo, CurrencyRules, RegionInfo

PLUGIN = "ukeu"

COUNTRIES: tuple[CountryInfo, ...] = (
    CountryInfo("GB", "United Kingdom", "GBP", ("en_GB",), ("Europe/London",)),
    CountryInfo("DE", "Germany", "EUR", ("de_DE",), ("Europe/Berlin",)),
    CountryInfo("FR", "France", "EUR", ("fr_FR",), ("Europe/Paris",)),
    CountryInfo("ES", "Spain", "EUR", ("es_ES",), ("Europe/Madrid",)),
    CountryInfo("IT", "Italy", "EUR", ("it_IT",), ("Europe/Rome",)),
    CountryInfo("IE", "Ireland", "EUR", ("en_IE",), ("Europe/Dublin",)),
    CountryInfo("NL", "Netherlands", "EUR", ("nl_NL",), ("Europe/Amsterdam",)),
)

REGION = RegionInfo(plugin=PLUGIN, title="United Kingdom and European Union", countries=COUNTRIES)

SERVED: frozenset[str] = frozenset(country.code for country in COUNTRIES)
EU_SERVED: frozenset[str] = SERVED - {"GB"}

#: The 27 member states: goods shipped from anywhere else are imports into the EU VAT area,
#: and sellers established anywhere else are "non-EU sellers" for the deemed-supplier rule.
EU_MEMBER_STATES: frozenset[str] = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)

CURRENCY_OF: Mapping[str, str] = MappingProxyType({c.code: c.currency for c in COUNTRIES})


def _eur(cash_increment: int) -> CurrencyRules:
    """EUR in one country: cents in practice; ``cash_increment`` 5 where cash bill totals are
    rounded to 5 cents ("Swedish rounding": 1, 2, 6, 7 down; 3, 4, 8, 9 up, i.e. half up
    to the nearest 5, with no ties possible in whole cents) [S9][S10]."""
    return CurrencyRules(
        currency="EUR",
        iso_minor_units=2,
        display_minor_units=2,
        rounding="ROUND_HALF_UP",
        cash_increment=cash_increment,
        cash_rounding="ROUND_HALF_UP",
        source=("S9", "S10"),
    )


#: (currency, country) -> rules. Cash rounding applies to the total of a cash payment only;
#: card and online totals stay exact (REGIONS pitfall 3).
CURRENCY_RULES: Mapping[tuple[str, str], CurrencyRules] = MappingProxyType(
    {
        # Pence are used, no cash rounding (REGIONS §1 gives no source ID for the UK row).
        ("GBP", "GB"): CurrencyRules(
            currency="GBP", iso_minor_units=2, display_minor_units=2, rounding="ROUND_HALF_UP"
        ),
        ("EUR", "NL"): _eur(5),  # since 2004, verified [S9]
        ("EUR", "IE"): _eur(5),  # 5-cent cash rounding; the start date is unverified
        ("EUR", "IT"): _eur(5),  # 5-cent cash rounding; the start date is unverified
        ("EUR", "DE"): _eur(0),
        ("EUR", "FR"): _eur(0),
        ("EUR", "ES"): _eur(0),
    }
)
