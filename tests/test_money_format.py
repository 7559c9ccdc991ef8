"""pasar.money.format_money: exact strings for every reference locale (babel 2.18, CLDR 47).

Expected strings are shared/REGIONS.md §7b written as Python repr: ``\\xa0`` is NBSP (U+00A0)
and ``\\u202f`` NNBSP (U+202F), so the comparison is exact Unicode, never ASCII spaces.
"""
from __future__ import annotations

import copy
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from babel import Locale, localedata
from babel.numbers import format_currency

from pasar.contracts import CurrencyRules
from pasar.money import format_minor, format_money, money

RulesFactory = Callable[..., CurrencyRules]

# IDR is shown in whole rupiah in practice [S3][S4]; CLDR 47's pattern would print ",00",
# so the plugin supplies the pattern (REGIONS §7b).
_IDR_RULES: dict[str, Any] = dict(
    iso_minor_units=2, display_minor_units=0, format_pattern="¤\xa0#,##0", source=("S3", "S4")
)
_VND_RULES: dict[str, Any] = dict(iso_minor_units=0, display_minor_units=0, source=("S8",))


def _rules(currency: str, **overrides: Any) -> CurrencyRules:
    reference = {"IDR": _IDR_RULES, "VND": _VND_RULES}.get(currency, {})
    fields = {"iso_minor_units": 2, "display_minor_units": 2, **reference, **overrides}
    return CurrencyRules(currency=currency, **fields)


@pytest.fixture(scope="module")
def make_rules() -> RulesFactory:
    """Factory: ``make_rules("IDR")`` or ``make_rules("EUR", rounding="ROUND_HALF_EVEN")``."""
    return _rules


# REGIONS §7b: every two-decimal currency in its reference locales.
_TWO_DECIMAL_CASES = [
    ("th_TH", "THB", "1234.5", "฿1,234.50"),
    ("de_DE", "EUR", "1234.5", "1.234,50\xa0€"),
    ("fr_FR", "EUR", "1234.5", "1\u202f234,50\xa0€"),
    ("es_ES", "EUR", "1234.5", "1.234,50\xa0€"),
    ("it_IT", "EUR", "1234.5", "1.234,50\xa0€"),
    ("nl_NL", "EUR", "1234.5", "€\xa01.234,50"),
    ("en_IE", "EUR", "1234.5", "€1,234.50"),
    ("en_GB", "GBP", "1234.5", "£1,234.50"),
    ("en_US", "USD", "1234.5", "$1,234.50"),
    ("es_US", "USD", "1234.5", "$1,234.50"),
    ("ms_MY", "MYR", "1234.5", "RM1,234.50"),
    ("fil_PH", "PHP", "1234.5", "₱1,234.50"),
    ("en_SG", "SGD", "1234.5", "$1,234.50"),
    ("en_US", "SGD", "1234.5", "SGD1,234.50"),
    ("en_US", "MYR", "1234.5", "MYR1,234.50"),
    ("en_US", "THB", "1234.5", "THB1,234.50"),
    ("en_GB", "USD", "1234.5", "US$1,234.50"),
    ("en_SG", "USD", "1234.5", "US$1,234.50"),
]


@pytest.mark.parametrize(("locale", "currency", "amount", "expected"), _TWO_DECIMAL_CASES)
def test_format_money_matches_babel_for_two_decimal_currencies(
    make_rules: RulesFactory, locale: str, currency: str, amount: str, expected: str
) -> None:
    shown = format_money(money(amount, currency), locale, make_rules(currency))
    assert shown == expected
    assert shown == format_currency(Decimal(amount), currency, locale=locale)


def test_format_money_shows_rupiah_without_decimals_with_the_plugin_pattern(
    make_rules: RulesFactory,
) -> None:
    assert format_money(money(1234567, "IDR"), "id_ID", make_rules("IDR")) == "Rp\xa01.234.567"


def test_format_money_rounds_rupiah_half_up_before_the_pattern(make_rules: RulesFactory) -> None:
    # Babel alone would round 1234.50 half-even to 1234.
    assert format_money(money("1234.50", "IDR"), "id_ID", make_rules("IDR")) == "Rp\xa01.235"


def test_format_money_without_a_pattern_uses_the_display_digits_in_the_locale_pattern(
    make_rules: RulesFactory,
) -> None:
    rules = make_rules("IDR", format_pattern=None)
    assert format_money(money(1234567, "IDR"), "id_ID", rules) == "Rp1.234.567"
    assert format_money(money(1234567, "IDR"), "en_US", rules) == "IDR1,234,567"


def test_format_money_shows_dong_without_decimals(make_rules: RulesFactory) -> None:
    assert format_money(money(1234567, "VND"), "vi_VN", make_rules("VND")) == "1.234.567\xa0₫"


def test_format_money_rounds_a_half_cent_with_the_named_mode(make_rules: RulesFactory) -> None:
    amount = money("2.665", "EUR")
    assert format_money(amount, "de_DE", make_rules("EUR")) == "2,67\xa0€"
    assert format_currency(Decimal("2.665"), "EUR", locale="de_DE") == "2,66\xa0€"
    half_even = make_rules("EUR", rounding="ROUND_HALF_EVEN")
    assert format_money(amount, "de_DE", half_even) == "2,66\xa0€"


@pytest.mark.parametrize(
    ("amount", "expected"), [("0.125", "€0.13"), ("0.135", "€0.14"), ("1.005", "€1.01")]
)
def test_format_money_rounds_half_up_where_babel_rounds_half_even(
    make_rules: RulesFactory, amount: str, expected: str
) -> None:
    assert format_money(money(amount, "EUR"), "en_IE", make_rules("EUR")) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("de_DE", "-1.234,50\xa0€"), ("nl_NL", "€\xa0-1.234,50"), ("fr_FR", "-1\u202f234,50\xa0€")],
)
def test_format_money_keeps_the_locale_negative_pattern(
    make_rules: RulesFactory, locale: str, expected: str
) -> None:
    assert format_money(money("-1234.5", "EUR"), locale, make_rules("EUR")) == expected


def test_format_money_refuses_rules_for_another_currency(make_rules: RulesFactory) -> None:
    with pytest.raises(ValueError, match="rules are for IDR, not EUR"):
        format_money(money("1.50", "EUR"), "de_DE", make_rules("IDR"))


# --- format_minor, and the pre-computed formatting both share -----------------------------------
_EVERY_LOCALE_SAMPLE = sorted(set(random.Random(20261125).sample(localedata.locale_identifiers(), 120)) | {
    "de_DE", "de_CH", "fr_FR", "nl_NL", "id_ID", "en_ID", "es_US", "th_TH", "vi_VN", "fil_PH", "ms_MY", "ar_EG",
    "hi_IN", "fa_IR", "en_IN",
})
_MINOR_SAMPLES = (0, 1, 7, 50, 99, 100, 1234, 123456, 100_000_000, 987_654_321_012, -1, -123456)


@pytest.mark.parametrize("locale", _EVERY_LOCALE_SAMPLE)
def test_format_money_answers_what_babel_answers_in_any_locale(make_rules: RulesFactory, locale: str) -> None:
    """The formatter keeps the locale's symbols and pattern worked out once; it must still
    answer babel's ``format_currency`` to the character, for the locale's own pattern and for a
    plugin's pattern, positive and negative, grouped or not."""
    for rules in (make_rules("EUR"), make_rules("IDR"), make_rules("VND"), make_rules("USD"),
                  make_rules("EUR", format_pattern="'EUR' #,##0.00;('EUR' #,##0.00)")):
        for minor in _MINOR_SAMPLES:
            amount = money(minor, rules.currency).amount.scaleb(-rules.iso_minor_units)
            rounded = amount.quantize(Decimal(1).scaleb(-rules.display_minor_units), rounding=rules.rounding)
            pattern = rules.format_pattern
            if pattern is None:
                pattern = copy.copy(Locale.parse(locale).currency_formats["standard"])
                pattern.frac_prec = (rules.display_minor_units,) * 2
            expected = format_currency(rounded, rules.currency, format=pattern, locale=locale, currency_digits=False)
            assert format_money(money(amount, rules.currency), locale, rules) == expected, (rules.currency, minor)


def test_format_minor_shows_stored_units_as_the_plain_and_the_formatted_amount(make_rules: RulesFactory) -> None:
    assert format_minor(123450, "EUR", "de_DE", make_rules("EUR")) == ("1234.50", "1.234,50\xa0€")
    assert format_minor(123450, "IDR", "id_ID", make_rules("IDR")) == ("1235", "Rp\xa01.235")
    assert format_minor(1234567, "VND", "vi_VN", make_rules("VND")) == ("1234567", "1.234.567\xa0₫")
    assert format_minor(-5, "USD", "en_US", make_rules("USD")) == ("-0.05", "-$0.05")


def test_format_minor_refuses_rules_for_another_currency(make_rules: RulesFactory) -> None:
    with pytest.raises(ValueError, match="rules are for IDR, not EUR"):
        format_minor(150, "EUR", "de_DE", make_rules("IDR"))
