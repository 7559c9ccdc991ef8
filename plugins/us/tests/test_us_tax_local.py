"""Local add-ons, their components, and rates by date."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pasar.contracts import TAX_CATEGORIES, TaxContext, TaxLineInput, TaxQuote

from pasar_us import tax

QuoteFn = Callable[..., TaxQuote]  # the ``quote`` fixture of conftest.py


def parts(result: TaxQuote, index: int = 0) -> list[tuple[str, Decimal, Decimal]]:
    return [(c.name, c.rate, c.amount) for c in result.lines[index].components]


def test_new_york_city_adds_city_tax_and_mctd_to_8_875_percent(quote: QuoteFn) -> None:
    result = quote("NY", ("standard", "100.00", 1), city="New York City")
    assert result.lines[0].rate == Decimal("0.08875")
    assert result.lines[0].tax == Decimal("8.88")
    assert parts(result) == [
        ("New York State sales tax", Decimal("0.04"), Decimal("4.00")),
        ("New York City sales tax", Decimal("0.045"), Decimal("4.50")),
        ("Metropolitan Commuter Transportation District surcharge", Decimal("0.00375"),
         Decimal("0.38")),
    ]  # fmt: skip


def test_components_round_each_levy_half_up(quote: QuoteFn) -> None:
    # 10.00 × 8.875% = 0.8875 -> 0.89 = 0.40 + 0.45 + 0.04 (0.0375 half up).
    result = quote("NY", ("standard", "10.00", 1), city="NYC")
    assert result.lines[0].tax == Decimal("0.89")
    assert [amount for _, _, amount in parts(result)] == [
        Decimal("0.40"), Decimal("0.45"), Decimal("0.04")
    ]


def test_components_add_up_to_the_line_tax_when_their_roundings_disagree(quote: QuoteFn) -> None:
    # 0.13 × 8.875% = 0.0115 -> 0.01, but the state's 0.0052 and the city's 0.00585 each round
    # up to 0.01: the state's share, rounded up furthest, gives the cent back.
    result = quote("NY", ("standard", "0.13", 1), city="NYC")
    assert result.lines[0].tax == Decimal("0.01")
    assert [amount for _, _, amount in parts(result)] == [
        Decimal("0.00"), Decimal("0.01"), Decimal("0.00")
    ]


@pytest.mark.parametrize("borough", ["Manhattan", "brooklyn", "QUEENS", "The Bronx",
                                     "Staten  Island", "N.Y.C.", "new york"])  # fmt: skip
def test_boroughs_and_spellings_of_new_york_city_find_the_city_rate(
    quote: QuoteFn, borough: str
) -> None:
    assert quote("NY", ("standard", "100.00", 1), city=borough).lines[0].tax == Decimal("8.88")


def test_new_york_city_exempts_cheap_clothing_from_every_levy(quote: QuoteFn) -> None:
    cheap, dear = quote("NY", ("clothing", "50.00", 2), ("clothing", "120.00", 1),
                        city="Brooklyn").lines
    assert cheap.tax == Decimal("0.00")
    assert [c.amount for c in cheap.components] == [Decimal("0.00")] * 3
    assert dear.tax == Decimal("10.65")  # 120.00 × 8.875% = 10.65
    assert dear.rate == Decimal("0.08875")


@pytest.mark.parametrize(
    ("state", "city", "tax", "local"),
    [
        ("TX", "Houston", "8.25", "Texas local sales tax"),
        ("TX", "Austin", "8.25", "Texas local sales tax"),
        ("TX", "Dallas", "8.25", "Texas local sales tax"),
        ("PA", "Philadelphia", "8.00", "Philadelphia local sales tax"),
        ("PA", "Pittsburgh", "7.00", "Allegheny County local sales tax"),
        ("WA", "Seattle", "10.35", "Washington local sales tax"),
        ("CA", "Los Angeles", "9.75", "California district taxes"),
    ],
)
def test_well_known_local_rates_add_to_the_state_rate(
    quote: QuoteFn, state: str, city: str, tax: str, local: str
) -> None:
    result = quote(state, ("standard", "100.00", 1), city=city)
    assert result.lines[0].tax == Decimal(tax)
    assert [name for name, _, _ in parts(result)][1:] == [local]
    assert city.split()[0] in result.lines[0].rule


def test_houston_splits_0_83_into_state_and_local_parts(quote: QuoteFn) -> None:
    result = quote("TX", ("standard", "10.00", 1), city="Houston")
    assert result.lines[0].tax == Decimal("0.83")  # 10.00 × 8.25% = 0.825, half up
    assert parts(result) == [
        ("Texas state sales tax", Decimal("0.0625"), Decimal("0.63")),
        ("Texas local sales tax", Decimal("0.02"), Decimal("0.20")),
    ]


def test_philadelphia_follows_pennsylvania_clothing_exemption(quote: QuoteFn) -> None:
    assert quote("PA", ("clothing", "80.00", 1), city="Philadelphia").lines[0].tax == Decimal(
        "0.00"
    )


def test_city_is_matched_only_within_its_own_state(quote: QuoteFn) -> None:
    line = quote("CA", ("standard", "100.00", 1), city="Houston").lines[0]
    assert line.tax == Decimal("7.25")
    assert "no local rate on file for 'Houston': state rate only" in line.rule


def test_missing_city_is_said_in_the_rule_where_the_state_has_local_taxes(quote: QuoteFn) -> None:
    assert "no city given: state rate only" in quote("NY", ("standard", "1.00", 1)).lines[0].rule
    assert "no city given" not in quote("NJ", ("standard", "1.00", 1)).lines[0].rule


@pytest.mark.parametrize(
    ("on", "tax"),
    [(date(2025, 3, 31), "9.50"), (date(2025, 4, 1), "9.75"), (date(2026, 6, 1), "9.75")],
)
def test_los_angeles_rate_rose_on_1_april_2025(quote: QuoteFn, on: date, tax: str) -> None:
    line = quote("CA", ("standard", "100.00", 1), city="Los Angeles", on=on).lines[0]
    assert line.tax == Decimal(tax)
    assert "no rate on file" not in line.rule


def test_date_before_the_tables_gets_the_earliest_rate_and_says_so(quote: QuoteFn) -> None:
    line = quote("CA", ("standard", "100.00", 1), city="Los Angeles", on=date(2024, 1, 1)).lines[0]
    assert line.tax == Decimal("9.50")
    assert "no rate on file for 2024-01-01: nearest rate on file applied" in line.rule


def test_date_far_ahead_gets_the_latest_rate(quote: QuoteFn) -> None:
    line = quote("CA", ("standard", "100.00", 1), city="Los Angeles", on=date(2040, 1, 1)).lines[0]
    assert line.tax == Decimal("9.75")
    assert "no rate on file" not in line.rule  # the latest period is open-ended


@given(
    state_city=st.sampled_from([("NY", "NYC"), ("TX", "Dallas"), ("CA", "Los Angeles"),
                                ("WA", "Seattle"), ("PA", "Philadelphia"), ("MN", None),
                                ("NJ", None), ("OR", None)]),
    category=st.sampled_from(TAX_CATEGORIES),
    cents=st.integers(min_value=0, max_value=5_000_000),
    quantity=st.integers(min_value=1, max_value=50),
)  # fmt: skip
def test_line_tax_is_base_times_rate_half_up_and_components_sum_to_it(
    state_city: tuple[str, str | None], category: str, cents: int, quantity: int
) -> None:
    state, city = state_city
    price = Decimal(cents).scaleb(-2)
    context = TaxContext(country="US", currency="USD", on=date(2026, 5, 4), subdivision=state,
                         city=city, lines=(TaxLineInput("x", category, price, quantity),))
    result = tax.quote(context)
    assert result is not None
    line = result.lines[0]
    expected = (price * quantity * line.rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert line.tax == expected
    assert sum((c.amount for c in line.components), Decimal(0)) == line.tax
    assert all(c.amount >= 0 for c in line.components)
    assert sum((c.rate for c in line.components), Decimal(0)) == line.rate
