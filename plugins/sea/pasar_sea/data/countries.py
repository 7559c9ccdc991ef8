"""The countries the plugin serves and how their currencies are stored, rounded and shown.

Locales follow REGIONS §7a (babel/CLDR ids; ``en_TH`` does not exist in CLDR, so Thailand offers
``th_TH`` only). Time zones are IANA names, the capital's first.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pasar.contracts import CountryInfo, CurrencyRules, RegionInfo

PLUGIN_NAME = "sea"

COUNTRIES: Mapping[str, CountryInfo] = MappingProxyType(
    {
        "ID": CountryInfo(
            code="ID",
            name="Indonesia",
            currency="IDR",
            locales=("id_ID", "en_ID"),
            timezones=("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"),
        ),
        "MY": CountryInfo(
            code="MY",
            name="Malaysia",
            currency="MYR",
            locales=("ms_MY", "en_MY"),
            timezones=("Asia/Kuala_Lumpur", "Asia/Kuching"),
        ),
        "TH": CountryInfo(
            code="TH",
            name="Thailand",
            currency="THB",
            locales=("th_TH",),
            timezones=("Asia/Bangkok",),
        ),
        "VN": CountryInfo(
            code="VN",
            name="Vietnam",
            currency="VND",
            locales=("vi_VN",),
            timezones=("Asia/Ho_Chi_Minh",),
        ),
        "PH": CountryInfo(
            code="PH",
            name="Philippines",
            currency="PHP",
            locales=("fil_PH", "en_PH"),
            timezones=("Asia/Manila",),
        ),
        "SG": CountryInfo(
            code="SG",
            name="Singapore",
            currency="SGD",
            locales=("en_SG",),
            timezones=("Asia/Singapore",),
        ),
    }
)

REGION = RegionInfo(
    plugin=PLUGIN_NAME,
    title="Southeast Asia",
    countries=tuple(COUNTRIES.values()),
)

#: Keyed by (currency, country): cash rounding is a national rule, not a property of the
#: currency, so only the pairs the plugin serves get an answer.
CURRENCY_RULES: Mapping[tuple[str, str], CurrencyRules] = MappingProxyType(
    {
        # ISO 4217 keeps two minor units for IDR (store them, so amounts from any source stay
        # exact), but the sen is obsolete: prices are whole rupiah. babel 2.18 (CLDR 47) would
        # print ",00", so the explicit pattern gives "Rp\xa01.234.567" (REGIONS §1, §7b,
        # pitfall 1).
        ("IDR", "ID"): CurrencyRules(
            currency="IDR",
            iso_minor_units=2,
            display_minor_units=0,
            format_pattern="¤\xa0#,##0",
            source=("S1", "S2", "S3", "S4"),
        ),
        # BNM rounding mechanism: the total of a cash bill rounds to the nearest 5 sen
        # (1, 2, 6, 7 down; 3, 4, 8, 9 up = half-up to a multiple of 5); e-payments are exact.
        ("MYR", "MY"): CurrencyRules(
            currency="MYR",
            iso_minor_units=2,
            display_minor_units=2,
            cash_increment=5,
            cash_rounding="ROUND_HALF_UP",
            source=("S6", "S7"),
        ),
        # Satang are used in payments; no statutory cash-rounding rule was found (REGIONS §1).
        ("THB", "TH"): CurrencyRules(currency="THB", iso_minor_units=2, display_minor_units=2),
        # No subunit in use; whole dong.
        ("VND", "VN"): CurrencyRules(
            currency="VND",
            iso_minor_units=0,
            display_minor_units=0,
            source=("S1", "S8"),
        ),
        # Centavos in e-commerce (practice unverified in REGIONS §1).
        ("PHP", "PH"): CurrencyRules(currency="PHP", iso_minor_units=2, display_minor_units=2),
        # Retailers round cash in practice (unverified), but there is no rule to encode.
        ("SGD", "SG"): CurrencyRules(currency="SGD", iso_minor_units=2, display_minor_units=2),
    }
)


def served(country: str) -> bool:
    """Whether ``country`` (ISO alpha-2) is one of this plugin's markets."""
    return country in COUNTRIES


def currency_rules(currency: str, country: str) -> CurrencyRules | None:
    """The rules for a served (currency, country) pair, else ``None``."""
    return CURRENCY_RULES.get((currency, country))


def display_exponent(currency: str) -> int:
    """Decimal places amounts in ``currency`` are rounded to for buyers (IDR/VND 0)."""
    rules = next((r for (cur, _), r in CURRENCY_RULES.items() if cur == currency), None)
    return 2 if rules is None else rules.display_minor_units
