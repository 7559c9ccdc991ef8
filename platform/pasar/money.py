"""Money: exact conversion, named rounding, allocation and formatting.

The domain holds py-moneyed ``Money`` values; the database holds integer minor units at the
ISO 4217 exponent (IDR 2, VND 0) so an amount from any source is stored exactly. How an
amount is rounded and shown comes from the region plugin as ``CurrencyRules``.

Every rounding here is an explicit ``Decimal.quantize`` with a *named* mode: py-moneyed's
``Money.round()`` ignores the currency and rounds half-even, and babel rounds half-even
too, so neither may decide an amount a buyer pays (shared/PITFALLS.md, "Money and babel").
"""
from __future__ import annotations

import copy
import decimal
import re
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from babel import Locale
from babel.numbers import (
    NumberPattern,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    is_currency,
    parse_pattern,
)
from moneyed import Money

from pasar.contracts import CurrencyRules

__all__ = [
    "ROUNDING_MODES",
    "allocate",
    "allocate_money",
    "cash_round",
    "fallback_rules",
    "format_minor",
    "format_money",
    "from_minor",
    "money",
    "parse_amount",
    "quantize",
    "round_display",
    "to_minor",
]

#: The rounding modes a ``CurrencyRules`` may name. The decimal module's constants are
#: strings equal to their own names, so a name is also the value ``quantize`` takes.
ROUNDING_MODES: frozenset[str] = frozenset(
    {
        decimal.ROUND_UP,
        decimal.ROUND_DOWN,
        decimal.ROUND_CEILING,
        decimal.ROUND_FLOOR,
        decimal.ROUND_HALF_UP,
        decimal.ROUND_HALF_DOWN,
        decimal.ROUND_HALF_EVEN,
        decimal.ROUND_05UP,
    }
)

# A plain decimal as typed into the CLI or sent to the API: ASCII digits, an optional point
# with digits on both sides, an optional leading minus. No grouping, exponent or NaN/inf.
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(?:\.([0-9]+))?")


# ---------------------------------------------------------------------------------------------
# Rules and construction
# ---------------------------------------------------------------------------------------------


def fallback_rules(currency: str) -> CurrencyRules:
    """The kernel's default rules, used when no region plugin answers for a currency.

    The exponent comes from babel's CLDR data (ISO 4217 for the currencies we serve) and is
    used for display too; rounding is half-up and there is no cash rounding. An unknown code
    is a configuration error, so it raises instead of silently getting two decimals.
    """
    if not is_currency(currency):
        raise ValueError(f"unknown ISO 4217 currency code {currency!r}")
    places = get_currency_precision(currency)
    return CurrencyRules(currency=currency, iso_minor_units=places, display_minor_units=places)


def money(amount: Decimal | str | int, currency: str) -> Money:
    """A ``Money`` from an exact amount. Floats are refused: they cannot hold 0.1 exactly."""
    if isinstance(amount, float):
        raise TypeError(f"money amounts must be Decimal, str or int, not float ({amount!r})")
    try:
        value = Decimal(amount)
    except decimal.InvalidOperation:
        raise ValueError(f"not a decimal amount: {amount!r}") from None
    _require_finite(value)
    return Money(value, currency)


# ---------------------------------------------------------------------------------------------
# Storage: integer minor units at the ISO exponent
# ---------------------------------------------------------------------------------------------


def to_minor(money: Money, rules: CurrencyRules) -> int:
    """``money`` as integer minor units at the ISO exponent, for storage.

    Storage never rounds: an amount finer than the exponent (``1.005 EUR``) raises, so the
    caller has to round it on purpose, with the mode the jurisdiction requires.
    """
    _require_currency(money, rules)
    return _to_units(money.amount, rules.iso_minor_units, money.currency.code)


def from_minor(minor: int, currency: str, rules: CurrencyRules) -> Money:
    """The ``Money`` that ``minor`` stored units of ``currency`` stand for (exact)."""
    _require_code(currency, rules)
    return Money(_from_units(minor, rules.iso_minor_units), currency)


def _to_units(amount: Decimal, places: int, currency: str) -> int:
    """``amount × 10**places`` as an int, exactly, or ValueError if that is not whole.

    Integer arithmetic on the decimal's digits, so no context precision can round it.
    """
    _require_finite(amount)
    sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    coefficient = int("".join(map(str, digits)) or "0")
    shift = exponent + places
    units: int
    if shift >= 0:
        units = coefficient * 10**shift
    elif coefficient % 10**-shift == 0:
        units = coefficient // 10**-shift
    else:
        raise ValueError(
            f"{amount} {currency} has more than {places} decimal places; round it explicitly"
        )
    return -units if sign else units


def _from_units(units: int, places: int) -> Decimal:
    """``units × 10**-places`` built from the digits, so it is exact at any size."""
    sign, digits, exponent = Decimal(units).as_tuple()
    assert isinstance(exponent, int)
    return Decimal((sign, digits, exponent - places))


# ---------------------------------------------------------------------------------------------
# Rounding
# ---------------------------------------------------------------------------------------------


def quantize(amount: Decimal, places: int, mode: str) -> Decimal:
    """``amount`` rounded to ``places`` decimals with the decimal module's mode ``mode``.

    The mode is checked by name so a typo in a plugin (``"HALF_UP"``) fails loudly instead
    of falling back to the context's half-even.
    """
    if mode not in ROUNDING_MODES:
        raise ValueError(f"unknown rounding mode {mode!r}; use one of {sorted(ROUNDING_MODES)}")
    _require_finite(amount)
    return amount.quantize(Decimal(1).scaleb(-places), rounding=mode)


def round_display(money: Money, rules: CurrencyRules, mode: str | None = None) -> Money:
    """``money`` rounded to what is paid and shown (IDR: whole rupiah).

    Uses ``rules.rounding`` unless ``mode`` names another (e.g. a tax rule that truncates).
    """
    _require_currency(money, rules)
    amount = quantize(money.amount, rules.display_minor_units, mode or rules.rounding)
    return Money(amount, money.currency)


def cash_round(money: Money, rules: CurrencyRules) -> Money:
    """Swedish rounding of a cash bill *total* to ``rules.cash_increment`` minor units.

    The amount goes to the nearest multiple of the increment; ``rules.cash_rounding`` only
    decides exact halves. With MYR's 5 sen: x.x1, x.x2 → x.x0; x.x3, x.x4 → x.x5;
    x.x6, x.x7 → x.x5; x.x8, x.x9 → up. Card and online totals are never passed here, and an
    increment of 0 (no cash rounding in that country) returns ``money`` unchanged.
    """
    _require_currency(money, rules)
    if rules.cash_increment == 0:
        return money
    if rules.cash_rounding not in ROUNDING_MODES:
        raise ValueError(f"unknown rounding mode {rules.cash_rounding!r}")
    _require_finite(money.amount)
    step = _from_units(rules.cash_increment, rules.iso_minor_units)
    steps = (money.amount / step).quantize(Decimal(1), rounding=rules.cash_rounding)
    return Money(steps * step, money.currency)


# ---------------------------------------------------------------------------------------------
# Allocation
# ---------------------------------------------------------------------------------------------


def allocate(total_minor: int, weights: Sequence[int | Decimal]) -> list[int]:
    """Split ``total_minor`` units in proportion to ``weights`` so the parts sum exactly.

    Largest-remainder (Hamilton) method: every part starts at the floor of its exact share,
    and the units left over go one each to the largest fractional remainders, earlier index
    first on a tie. So each part is the floor or the ceiling of its exact share, a zero
    weight gets 0, and the result is deterministic. A negative total (a refund) is split as
    its absolute value and negated, so it mirrors the positive split.
    """
    shares = _exact_shares(abs(total_minor), weights)
    parts = [share.numerator // share.denominator for share in shares]
    remainders = [share - part for share, part in zip(shares, parts)]
    largest_first = sorted(range(len(parts)), key=lambda i: (-remainders[i], i))
    for index in largest_first[: abs(total_minor) - sum(parts)]:
        parts[index] += 1
    return [-part for part in parts] if total_minor < 0 else parts


def _exact_shares(total: int, weights: Sequence[int | Decimal]) -> list[Fraction]:
    """Each weight's exact share of ``total`` as a fraction, after validating the weights."""
    exact = [_weight(weight) for weight in weights]
    weight_sum = sum(exact, Fraction(0))
    if weight_sum == 0:
        raise ValueError("cannot allocate over weights that are all zero (or no weights)")
    return [total * weight / weight_sum for weight in exact]


def _weight(weight: int | Decimal) -> Fraction:
    """A weight as an exact fraction; negative, NaN and infinite weights are refused."""
    if isinstance(weight, Decimal):
        _require_finite(weight)
    exact = Fraction(weight)
    if exact < 0:
        raise ValueError(f"allocation weights must not be negative, got {weight}")
    return exact


def allocate_money(
    total: Money, weights: Sequence[int | Decimal], rules: CurrencyRules
) -> list[Money]:
    """Split ``total`` by ``weights`` in units of the *display* precision.

    An IDR voucher is therefore split in whole rupiah, never in sen nobody can pay. The
    total must already be at display precision (round it with ``round_display`` first);
    a finer total raises rather than being rounded here.
    """
    _require_currency(total, rules)
    places = rules.display_minor_units
    units = _to_units(total.amount, places, total.currency.code)
    return [Money(_from_units(part, places), total.currency) for part in allocate(units, weights)]


# ---------------------------------------------------------------------------------------------
# Formatting and parsing
# ---------------------------------------------------------------------------------------------


def format_money(money: Money, locale: str | Locale, rules: CurrencyRules) -> str:
    """``money`` as the buyer reads it in ``locale``, at the display precision.

    The amount is rounded first with ``rules.rounding``, so babel's half-even never decides
    a displayed cent. ``rules.format_pattern`` wins when the plugin sets one (IDR's
    ``'¤\\xa0#,##0'``); otherwise the locale's standard currency pattern is used with its
    fraction digits set to ``display_minor_units``, so IDR without a pattern still shows no
    decimals while de_DE, en_GB and nl_NL keep their own symbol placement and spacing.
    """
    _require_currency(money, rules)
    return _formatted(money.amount, money.currency.code, str(locale), rules)


def format_minor(minor: int, currency: str, locale: str | Locale, rules: CurrencyRules) -> tuple[str, str]:
    """Stored minor units as the two strings an answer shows: the plain amount at the display
    precision (``"12.50"``) and the same amount formatted for ``locale`` (``"12,50\\xa0€"``).

    The same as ``str(round_display(from_minor(...)).amount)`` and ``format_money`` of it, minus
    the ``Money`` objects: a listing page prices every card, and building two ``Money`` values
    per price was a visible share of its time (bench/)."""
    _require_code(currency, rules)
    places = rules.display_minor_units
    shown = quantize(_from_units(minor, rules.iso_minor_units), places, rules.rounding)
    pattern = _plugin_pattern(rules.format_pattern) if rules.format_pattern else _locale_pattern(str(locale), places)
    return str(shown), _formatter(pattern, str(locale), currency).apply(shown)


def _formatted(amount: Decimal, currency: str, locale: str, rules: CurrencyRules) -> str:
    """What ``babel.numbers.format_currency(rounded, currency, format=pattern, locale=locale,
    currency_digits=False)`` answers for the amount rounded with ``rules``."""
    places = rules.display_minor_units
    rounded = quantize(amount, places, rules.rounding)
    pattern = _plugin_pattern(rules.format_pattern) if rules.format_pattern else _locale_pattern(locale, places)
    return _formatter(pattern, locale, currency).apply(rounded)


class _CurrencyFormatter:
    """``NumberPattern.apply(value, locale, currency=currency, currency_digits=False)`` with
    everything that depends only on the pattern, the locale and the currency worked out once:
    the currency symbol, the group and decimal symbols. babel looks each of them up in the
    locale data on every call (and the currency's plural name too, even for a pattern that
    does not show it), which made a formatted price cost ~15 µs, most of a listing card.

    The steps below are babel 2.18's ``apply``, ``_quantize_value``, ``_format_int`` and
    ``_format_frac`` for plain currency patterns; patterns they do not cover (scientific,
    significant digits, the currency's long name ``¤¤¤``) go to babel itself, and
    ``tests/test_money_format.py`` compares both over many locales and amounts."""

    def __init__(self, pattern: NumberPattern, locale: Locale, currency: str) -> None:
        self.pattern, self.locale, self.currency = pattern, locale, currency
        affixes = "".join((*pattern.prefix, *pattern.suffix))
        self.babel_only = bool(pattern.exp_prec) or "@" in pattern.pattern or "¤¤¤" in affixes \
            or pattern.number_pattern == ""
        symbol = get_currency_symbol(currency, locale)

        def substituted(affix: str) -> str:
            return affix.replace("¤¤", currency.upper()).replace("¤", symbol)

        self.prefix = tuple(substituted(p) for p in pattern.prefix)
        self.suffix = tuple(substituted(p) for p in pattern.suffix)
        self.group = get_group_symbol(locale, numbering_system="latn")
        self.decimal = get_decimal_symbol(locale, numbering_system="latn")

    def apply(self, value: Decimal) -> str:
        pattern = self.pattern
        if self.babel_only:
            return pattern.apply(value, self.locale, currency=self.currency, currency_digits=False)
        value = value.scaleb(pattern.scale)
        negative = int(value.is_signed())
        value = abs(value).normalize()
        low, high = pattern.frac_prec
        rounded = value.quantize(Decimal(1).scaleb(-high))
        whole, _, fraction = f"{rounded:f}".partition(".")
        text = self.prefix[negative] + self._whole(whole) + self._fraction(fraction or "0", low, high) \
            + self.suffix[negative]
        if "'" in text:  # babel's last step: quoted literal text loses its quotes
            text = re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", text)
        return text

    def _whole(self, digits: str) -> str:
        least = self.pattern.int_prec[0]
        if len(digits) < least:
            digits = "0" * (least - len(digits)) + digits
        size, grouped = self.pattern.grouping[0], ""
        while len(digits) > size:
            grouped = self.group + digits[-size:] + grouped
            digits = digits[:-size]
            size = self.pattern.grouping[1]
        return digits + grouped

    def _fraction(self, digits: str, low: int, high: int) -> str:
        if len(digits) < low:
            digits += "0" * (low - len(digits))
        if high == 0 or (low == 0 and int(digits) == 0):
            return ""
        while len(digits) > low and digits[-1] == "0":
            digits = digits[:-1]
        return self.decimal + digits


@lru_cache(maxsize=1024)
def _formatter(pattern: NumberPattern, locale: str, currency: str) -> _CurrencyFormatter:
    return _CurrencyFormatter(pattern, _locale(locale), currency)


@lru_cache(maxsize=256)
def _locale(locale: str) -> Locale:
    """A parsed babel ``Locale`` (read-only once its data is loaded, so it can be shared)."""
    return Locale.parse(locale)


@lru_cache(maxsize=64)
def _plugin_pattern(pattern: str) -> NumberPattern:
    """A region plugin's pattern string (e.g. IDR's ``'¤\\xa0#,##0'``), parsed."""
    return parse_pattern(pattern)


@lru_cache(maxsize=256)
def _locale_pattern(locale: str, places: int) -> NumberPattern:
    """The locale's standard currency pattern with exactly ``places`` fraction digits.

    A copy of babel's parsed pattern, so prefix, suffix, negative form and grouping stay the
    locale's own; only ``frac_prec`` (what ``NumberPattern.apply`` renders) changes.
    """
    pattern: NumberPattern = copy.copy(_locale(locale).currency_formats["standard"])
    pattern.frac_prec = (places, places)
    return pattern


def parse_amount(text: str, currency: str, rules: CurrencyRules) -> Decimal:
    """A plain decimal such as ``"1234.50"`` or ``"1234"`` from the CLI or the API.

    Strict on purpose: no thousands separators (``1,234`` means different things in
    different locales), no exponent, NaN or infinity, no surrounding spaces, and at most
    ``iso_minor_units`` decimal places so the value is storable without rounding. A leading
    minus is accepted; whether a sign is allowed is the caller's rule.
    """
    _require_code(currency, rules)
    match = _PLAIN_DECIMAL.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not a plain decimal amount like 1234.50")
    fraction = match.group(1) or ""
    if len(fraction) > rules.iso_minor_units:
        raise ValueError(
            f"{text!r} has {len(fraction)} decimal places; {currency} allows at most "
            f"{rules.iso_minor_units}"
        )
    return Decimal(text)


# ---------------------------------------------------------------------------------------------
# Guards
# ---------------------------------------------------------------------------------------------


def _require_currency(money: Money, rules: CurrencyRules) -> None:
    """Rules for one currency applied to another would store or show a wrong exponent."""
    _require_code(money.currency.code, rules)


def _require_code(currency: str, rules: CurrencyRules) -> None:
    if currency != rules.currency:
        raise ValueError(f"rules are for {rules.currency}, not {currency}")


def _require_finite(amount: Decimal) -> None:
    """NaN and infinity are never money."""
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {amount}")
