"""pasar.money: storage conversion, named rounding, cash rounding, allocation and parsing.

The CurrencyRules here are built in the test (regional facts from shared/REGIONS.md §1 with
their source IDs) so the kernel's money module is tested without any region plugin.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pasar.contracts import CurrencyRules
from pasar.money import (
    allocate,
    allocate_money,
    cash_round,
    fallback_rules,
    from_minor,
    money,
    parse_amount,
    quantize,
    round_display,
    to_minor,
)

RulesFactory = Callable[..., CurrencyRules]

# Regional facts, shared/REGIONS.md §1.
_REFERENCE_RULES: dict[str, dict[str, Any]] = {
    # ISO says 2 digits, practice is whole rupiah [S3][S4].
    "IDR": dict(iso_minor_units=2, display_minor_units=0, source=("S3", "S4")),
    # No subunit in use [S8].
    "VND": dict(iso_minor_units=0, display_minor_units=0, source=("S8",)),
    # Cash totals to the nearest 5 sen, 1,2,6,7 down and 3,4,8,9 up [S6][S7].
    "MYR": dict(iso_minor_units=2, display_minor_units=2, cash_increment=5, source=("S6", "S7")),
    "EUR": dict(iso_minor_units=2, display_minor_units=2),
}


def _rules(currency: str, **overrides: Any) -> CurrencyRules:
    fields = {**_REFERENCE_RULES.get(currency, {}), **overrides}
    return CurrencyRules(currency=currency, **fields)


@pytest.fixture(scope="module")
def make_rules() -> RulesFactory:
    """Factory: ``make_rules("IDR")`` or ``make_rules("EUR", cash_increment=5)``."""
    return _rules


# Weights as the checkout passes them: line totals in minor units or decimal prices.
_weight = st.one_of(
    st.integers(min_value=0, max_value=10**9),
    st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
)
_weights = st.lists(_weight, min_size=1, max_size=25)
_totals = st.integers(min_value=-(10**15), max_value=10**15)


def _exact_shares(total: int, weights: list[int | Decimal]) -> list[Fraction]:
    exact = [Fraction(weight) for weight in weights]
    return [total * weight / sum(exact) for weight in exact]


# ---------------------------------------------------------------------------------------------
# allocate: properties
# ---------------------------------------------------------------------------------------------


@settings(max_examples=1000, deadline=None)
@given(total=_totals, weights=_weights)
def test_allocate_parts_sum_exactly_to_the_total(total: int, weights: list[int | Decimal]) -> None:
    assume(any(weights))
    assert sum(allocate(total, weights)) == total


@settings(max_examples=1000, deadline=None)
@given(total=_totals, weights=_weights)
def test_allocate_each_part_is_the_floor_or_ceiling_of_its_exact_share(
    total: int, weights: list[int | Decimal]
) -> None:
    assume(any(weights))
    parts = allocate(total, weights)
    for part, share in zip(parts, _exact_shares(total, weights), strict=True):
        assert part in (math.floor(share), math.ceil(share))
        assert abs(part - share) < 1


@settings(max_examples=1000, deadline=None)
@given(total=st.integers(min_value=0, max_value=10**15), weights=_weights)
def test_allocate_gives_the_leftover_units_to_the_largest_remainders(
    total: int, weights: list[int | Decimal]
) -> None:
    assume(any(weights))
    shares = _exact_shares(total, weights)
    parts = allocate(total, weights)
    rounded_up = [share - math.floor(share) for part, share in zip(parts, shares) if part > share]
    rounded_down = [share - math.floor(share) for part, share in zip(parts, shares) if part < share]
    if rounded_up and rounded_down:
        assert min(rounded_up) >= max(rounded_down)


@settings(max_examples=1000, deadline=None)
@given(total=_totals, weights=_weights)
def test_allocate_gives_zero_weights_nothing(total: int, weights: list[int | Decimal]) -> None:
    assume(any(weights))
    parts = allocate(total, weights)
    assert all(part == 0 for part, weight in zip(parts, weights) if weight == 0)


@settings(max_examples=1000, deadline=None)
@given(total=_totals, weights=_weights)
def test_allocate_is_deterministic_and_a_negative_total_mirrors_the_positive_one(
    total: int, weights: list[int | Decimal]
) -> None:
    assume(any(weights))
    parts = allocate(total, weights)
    assert allocate(total, list(weights)) == parts
    assert allocate(-total, weights) == [-part for part in parts]


# ---------------------------------------------------------------------------------------------
# allocate: examples and errors
# ---------------------------------------------------------------------------------------------


def test_allocate_breaks_ties_towards_the_earlier_index() -> None:
    assert allocate(1, [1, 1, 1]) == [1, 0, 0]
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]


def test_allocate_splits_a_negative_total_by_its_absolute_value() -> None:
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    assert allocate(-7, [0, Decimal("1.5"), Decimal("2.5")]) == [0, -3, -4]


def test_allocate_prefers_the_largest_remainder_over_the_earlier_index() -> None:
    # Exact shares 2.625 and 4.375: the one leftover unit goes to the .625.
    assert allocate(7, [0, Decimal("1.5"), Decimal("2.5")]) == [0, 3, 4]
    # Shares 3.3, 3.3, 3.4: the leftover unit goes to the last line.
    assert allocate(10, [33, 33, 34]) == [3, 3, 4]


@pytest.mark.parametrize("weights", [[0, 0, 0], [Decimal(0)], []])
def test_allocate_refuses_weights_that_are_all_zero(weights: list[int | Decimal]) -> None:
    with pytest.raises(ValueError, match="all zero"):
        allocate(100, weights)


@pytest.mark.parametrize("weights", [[1, -1, 2], [Decimal("-0.5"), Decimal(1)]])
def test_allocate_refuses_negative_weights(weights: list[int | Decimal]) -> None:
    with pytest.raises(ValueError, match="negative"):
        allocate(100, weights)


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity")])
def test_allocate_refuses_non_finite_weights(bad: Decimal) -> None:
    with pytest.raises(ValueError, match="finite"):
        allocate(100, [Decimal(1), bad])


# ---------------------------------------------------------------------------------------------
# allocate_money
# ---------------------------------------------------------------------------------------------


@settings(max_examples=1000, deadline=None)
@given(rupiah=st.integers(min_value=-(10**12), max_value=10**12), weights=_weights)
def test_allocate_money_splits_rupiah_into_whole_rupiah(
    rupiah: int, weights: list[int | Decimal]
) -> None:
    assume(any(weights))
    rules = _rules("IDR")
    total = money(rupiah, "IDR")
    parts = allocate_money(total, weights, rules)
    assert sum(part.amount for part in parts) == total.amount
    assert all(part.amount == part.amount.to_integral_value() for part in parts)
    assert all(to_minor(part, rules) % 100 == 0 for part in parts)


@settings(max_examples=1000, deadline=None)
@given(cents=st.integers(min_value=-(10**12), max_value=10**12), weights=_weights)
def test_allocate_money_splits_euros_into_cents(cents: int, weights: list[int | Decimal]) -> None:
    assume(any(weights))
    rules = _rules("EUR")
    total = from_minor(cents, "EUR", rules)
    parts = allocate_money(total, weights, rules)
    assert sum(to_minor(part, rules) for part in parts) == cents
    for part, share in zip(parts, _exact_shares(cents, weights), strict=True):
        assert abs(to_minor(part, rules) - share) < 1


def test_allocate_money_splits_an_idr_voucher_in_whole_rupiah(make_rules: RulesFactory) -> None:
    parts = allocate_money(money(10_000, "IDR"), [1, 1, 1], make_rules("IDR"))
    assert [part.amount for part in parts] == [Decimal(3334), Decimal(3333), Decimal(3333)]
    assert all(part.currency.code == "IDR" for part in parts)


def test_allocate_money_refuses_a_total_finer_than_the_display_precision(
    make_rules: RulesFactory,
) -> None:
    with pytest.raises(ValueError, match="10000.50 IDR"):
        allocate_money(money("10000.50", "IDR"), [1, 1], make_rules("IDR"))


def test_allocate_money_refuses_rules_for_another_currency(make_rules: RulesFactory) -> None:
    with pytest.raises(ValueError, match="rules are for IDR, not EUR"):
        allocate_money(money(10, "EUR"), [1, 1], make_rules("IDR"))


# ---------------------------------------------------------------------------------------------
# Storage: to_minor / from_minor
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "amount", "minor"),
    [
        ("IDR", "1234567", 123456700),
        ("IDR", "1234.50", 123450),
        ("VND", "1234567", 1234567),
        ("VND", "1234567.00", 1234567),
        ("EUR", "12.34", 1234),
        ("EUR", "-0.05", -5),
        ("EUR", "0", 0),
    ],
)
def test_to_minor_stores_the_iso_exponent(
    make_rules: RulesFactory, currency: str, amount: str, minor: int
) -> None:
    assert to_minor(money(amount, currency), make_rules(currency)) == minor


@settings(max_examples=1000, deadline=None)
@given(
    currency=st.sampled_from(["IDR", "VND", "EUR"]),
    minor=st.integers(min_value=-(10**30), max_value=10**30),
)
def test_minor_units_round_trip_exactly(currency: str, minor: int) -> None:
    rules = _rules(currency)
    restored = from_minor(minor, currency, rules)
    assert restored.currency.code == currency
    assert to_minor(restored, rules) == minor


def test_from_minor_gives_major_units_at_the_iso_exponent(make_rules: RulesFactory) -> None:
    assert from_minor(123450, "IDR", make_rules("IDR")).amount == Decimal("1234.50")
    assert from_minor(5, "EUR", make_rules("EUR")).amount == Decimal("0.05")
    assert from_minor(1234567, "VND", make_rules("VND")).amount == Decimal(1234567)


@pytest.mark.parametrize(
    ("currency", "amount"), [("EUR", "1.005"), ("VND", "1.5"), ("IDR", "0.001")]
)
def test_to_minor_refuses_more_precision_than_storage_naming_the_amount(
    make_rules: RulesFactory, currency: str, amount: str
) -> None:
    with pytest.raises(ValueError, match=f"{amount} {currency}"):
        to_minor(money(amount, currency), make_rules(currency))


def test_to_minor_refuses_rules_for_another_currency(make_rules: RulesFactory) -> None:
    with pytest.raises(ValueError, match="rules are for VND, not EUR"):
        to_minor(money("1.50", "EUR"), make_rules("VND"))


def test_from_minor_refuses_rules_for_another_currency(make_rules: RulesFactory) -> None:
    with pytest.raises(ValueError, match="rules are for VND, not EUR"):
        from_minor(150, "EUR", make_rules("VND"))


# ---------------------------------------------------------------------------------------------
# Rounding
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "half_up", "half_even"),
    [("0.125", "0.13", "0.12"), ("2.665", "2.67", "2.66"), ("1.005", "1.01", "1.00")],
)
def test_quantize_rounds_with_the_named_mode(amount: str, half_up: str, half_even: str) -> None:
    assert quantize(Decimal(amount), 2, "ROUND_HALF_UP") == Decimal(half_up)
    assert quantize(Decimal(amount), 2, "ROUND_HALF_EVEN") == Decimal(half_even)


def test_quantize_keeps_the_requested_exponent() -> None:
    assert str(quantize(Decimal(5), 2, "ROUND_HALF_UP")) == "5.00"
    assert str(quantize(Decimal("1234.5"), 0, "ROUND_HALF_UP")) == "1235"
    assert quantize(Decimal("-2.665"), 2, "ROUND_HALF_UP") == Decimal("-2.67")
    assert quantize(Decimal("2.669"), 2, "ROUND_DOWN") == Decimal("2.66")


@pytest.mark.parametrize("mode", ["HALF_UP", "round_half_up", "ROUND_NEAREST", ""])
def test_quantize_refuses_an_unknown_mode(mode: str) -> None:
    with pytest.raises(ValueError, match="unknown rounding mode"):
        quantize(Decimal("1.005"), 2, mode)


def test_quantize_refuses_non_finite_amounts() -> None:
    with pytest.raises(ValueError, match="finite"):
        quantize(Decimal("NaN"), 2, "ROUND_HALF_UP")


def test_round_display_rounds_rupiah_to_whole_rupiah_half_up(make_rules: RulesFactory) -> None:
    rules = make_rules("IDR")
    assert round_display(money("1234.50", "IDR"), rules).amount == Decimal(1235)
    assert round_display(money("1234.49", "IDR"), rules).amount == Decimal(1234)


def test_round_display_uses_an_explicit_mode_over_the_rules(make_rules: RulesFactory) -> None:
    rules = make_rules("IDR")
    assert round_display(money("1234.50", "IDR"), rules, "ROUND_HALF_EVEN").amount == 1234
    assert round_display(money("2.665", "EUR"), make_rules("EUR")).amount == Decimal("2.67")


# ---------------------------------------------------------------------------------------------
# Cash rounding
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "cash"),
    [
        ("1.00", "1.00"),
        ("1.01", "1.00"),
        ("1.02", "1.00"),
        ("1.03", "1.05"),
        ("1.04", "1.05"),
        ("1.05", "1.05"),
        ("1.06", "1.05"),
        ("1.07", "1.05"),
        ("1.08", "1.10"),
        ("1.09", "1.10"),
        ("99.99", "100.00"),
        ("-1.03", "-1.05"),
    ],
)
def test_cash_round_rounds_a_myr_total_to_5_sen(
    make_rules: RulesFactory, total: str, cash: str
) -> None:
    assert cash_round(money(total, "MYR"), make_rules("MYR")) == money(cash, "MYR")


@pytest.mark.parametrize(
    ("total", "cash"),
    [("10.01", "10.00"), ("10.02", "10.00"), ("10.03", "10.05"), ("10.04", "10.05"),
     ("10.06", "10.05"), ("10.07", "10.05"), ("10.08", "10.10"), ("10.09", "10.10")],
)
def test_cash_round_rounds_a_dutch_euro_total_to_5_cents(
    make_rules: RulesFactory, total: str, cash: str
) -> None:
    # NL: 5-cent rounding of the cash bill total, 1,2,6,7 down and 3,4,8,9 up [S9][S10].
    rules = make_rules("EUR", cash_increment=5, source=("S9", "S10"))
    assert cash_round(money(total, "EUR"), rules) == money(cash, "EUR")


def test_cash_round_decides_an_exact_half_increment_with_the_named_mode(
    make_rules: RulesFactory,
) -> None:
    half_up = make_rules("MYR")
    half_down = make_rules("MYR", cash_rounding="ROUND_HALF_DOWN")
    assert cash_round(money("1.025", "MYR"), half_up) == money("1.05", "MYR")
    assert cash_round(money("1.025", "MYR"), half_down) == money("1.00", "MYR")


def test_cash_round_is_a_no_op_without_an_increment(make_rules: RulesFactory) -> None:
    # DE has no cash rounding [S9][S10].
    total = money("10.03", "EUR")
    assert cash_round(total, make_rules("EUR")) is total


def test_cash_round_refuses_an_unknown_mode(make_rules: RulesFactory) -> None:
    with pytest.raises(ValueError, match="unknown rounding mode"):
        cash_round(money("1.03", "MYR"), make_rules("MYR", cash_rounding="HALF_UP"))


# ---------------------------------------------------------------------------------------------
# parse_amount
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "text", "value"),
    [
        ("EUR", "1234.50", Decimal("1234.50")),
        ("EUR", "1234", Decimal(1234)),
        ("EUR", "0.5", Decimal("0.5")),
        ("EUR", "-12.30", Decimal("-12.30")),
        ("IDR", "150000", Decimal(150000)),
        ("IDR", "150000.25", Decimal("150000.25")),
        ("VND", "1234567", Decimal(1234567)),
    ],
)
def test_parse_amount_reads_plain_decimals(
    make_rules: RulesFactory, currency: str, text: str, value: Decimal
) -> None:
    parsed = parse_amount(text, currency, make_rules(currency))
    assert parsed == value
    assert str(parsed) == text


@pytest.mark.parametrize(
    "text",
    ["1,234.50", "1.234,50", "1 234", "1e3", "1E3", "NaN", "Infinity", "inf", "", " 12", "12 ",
     ".5", "5.", "+5", "--5", "1_000", "\u0e51\u0e52", "12\n", "EUR 12"],
)
def test_parse_amount_refuses_anything_but_a_plain_decimal(
    make_rules: RulesFactory, text: str
) -> None:
    with pytest.raises(ValueError, match="not a plain decimal amount"):
        parse_amount(text, "EUR", make_rules("EUR"))


@pytest.mark.parametrize(("currency", "text"), [("EUR", "1.005"), ("VND", "1.5"), ("VND", "1.0")])
def test_parse_amount_refuses_more_places_than_storage_naming_value_and_limit(
    make_rules: RulesFactory, currency: str, text: str
) -> None:
    limit = make_rules(currency).iso_minor_units
    with pytest.raises(ValueError, match=rf"'{text}'.*{currency} allows at most {limit}"):
        parse_amount(text, currency, make_rules(currency))


def test_parse_amount_refuses_rules_for_another_currency(make_rules: RulesFactory) -> None:
    with pytest.raises(ValueError, match="rules are for VND, not EUR"):
        parse_amount("1.50", "EUR", make_rules("VND"))


# ---------------------------------------------------------------------------------------------
# fallback_rules and money()
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("currency", "places"), [("IDR", 2), ("VND", 0), ("EUR", 2), ("USD", 2)])
def test_fallback_rules_use_the_iso_exponent_for_storage_and_display(
    currency: str, places: int
) -> None:
    rules = fallback_rules(currency)
    assert (rules.currency, rules.iso_minor_units, rules.display_minor_units) == (
        currency,
        places,
        places,
    )
    assert rules.rounding == "ROUND_HALF_UP"
    assert rules.cash_increment == 0
    assert rules.format_pattern is None


@pytest.mark.parametrize("code", ["XYZ", "EURO", "eur", ""])
def test_fallback_rules_refuse_an_unknown_currency(code: str) -> None:
    with pytest.raises(ValueError, match="unknown ISO 4217 currency code"):
        fallback_rules(code)


def test_money_builds_exact_amounts_from_decimal_str_and_int() -> None:
    assert money("0.10", "EUR").amount == Decimal("0.10")
    assert money(Decimal("1.005"), "EUR").amount == Decimal("1.005")
    assert money(150000, "IDR").amount == Decimal(150000)
    assert money(5, "EUR").currency.code == "EUR"


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError, match="float"):
        money(0.1, "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1,5", "abc"])
def test_money_refuses_amounts_that_are_not_finite_decimals(amount: str) -> None:
    with pytest.raises(ValueError):
        money(amount, "EUR")
