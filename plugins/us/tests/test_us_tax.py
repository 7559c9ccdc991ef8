"""US sales tax by destination state: base rates, rounding, categories, who collects."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pluggy
import pytest

from pasar.contracts import TAX_CATEGORIES, TaxContext, TaxLineInput, TaxQuote

QuoteFn = Callable[..., TaxQuote]  # the ``quote`` fixture of conftest.py

TAXING_STATES = ("CA", "NY", "TX", "WA", "FL", "PA", "NJ", "MN")
NO_SALES_TAX_STATES = ("OR", "DE", "MT", "NH", "AK")


@pytest.mark.parametrize(
    ("state", "rate", "tax"),
    [
        ("CA", "0.0725", "7.25"),
        ("NY", "0.04", "4.00"),
        ("TX", "0.0625", "6.25"),
        ("WA", "0.065", "6.50"),
        ("FL", "0.06", "6.00"),
        ("PA", "0.06", "6.00"),
        ("NJ", "0.06625", "6.63"),
        ("MN", "0.06875", "6.88"),
    ],
)
def test_state_base_rate_is_added_to_the_exclusive_price(
    quote: QuoteFn, state: str, rate: str, tax: str
) -> None:
    result = quote(state, ("standard", "100.00", 1))
    line = result.lines[0]
    assert result.inclusive is False
    assert line.rate == Decimal(rate)
    assert line.tax == Decimal(tax)
    assert line.taxable_base == Decimal("100.00")


def test_tax_rounds_half_up_not_half_even(quote: QuoteFn) -> None:
    # 10.00 × 6.25% = 0.625: half-even would give 0.62.
    assert quote("TX", ("standard", "10.00", 1)).lines[0].tax == Decimal("0.63")
    # 100.00 × 6.625% = 6.625: half-even would give 6.62.
    assert quote("NJ", ("standard", "100.00", 1)).lines[0].tax == Decimal("6.63")


def test_tax_is_rounded_once_per_line_not_per_unit(quote: QuoteFn) -> None:
    # 3 × 19.99 = 59.97; × 7.25% = 4.347825 -> 4.35.
    result = quote("CA", ("standard", "19.99", 3))
    assert result.rounding == "line"
    assert result.lines[0].taxable_base == Decimal("59.97")
    assert result.lines[0].tax == Decimal("4.35")
    # 3 × 0.10 = 0.30; × 6.25% = 0.01875 -> 0.02, where rounding each unit (0.00625 -> 0.01)
    # would charge 0.03.
    assert quote("TX", ("standard", "0.10", 3)).lines[0].tax == Decimal("0.02")


@pytest.mark.parametrize("state", TAXING_STATES)
def test_marketplace_collects_under_the_state_facilitator_law(quote: QuoteFn, state: str) -> None:
    result = quote(state, ("standard", "25.00", 1))
    assert result.collected_by == "marketplace"
    assert result.marketplace_rule is not None
    assert "marketplace" in result.marketplace_rule.casefold()


def test_texas_rule_forbids_the_single_local_use_rate(quote: QuoteFn) -> None:
    result = quote("TX", ("standard", "25.00", 1))
    assert result.marketplace_rule is not None
    assert "1.75%" in result.marketplace_rule
    assert {"S62", "S63"} <= set(result.lines[0].source)


@pytest.mark.parametrize("state", NO_SALES_TAX_STATES)
@pytest.mark.parametrize("category", TAX_CATEGORIES)
def test_no_sales_tax_states_charge_nothing_and_the_seller_keeps_liability(
    quote: QuoteFn, state: str, category: str
) -> None:
    result = quote(state, (category, "250.00", 2), city="Anytown")
    line = result.lines[0]
    assert (line.tax, line.rate, line.components) == (Decimal("0.00"), Decimal(0), ())
    assert result.collected_by == "seller"
    assert result.marketplace_rule is None
    assert "no" in line.rule and "sales tax" in line.rule


def test_alaska_rule_names_the_local_arsstc_taxes_it_leaves_out(quote: QuoteFn) -> None:
    line = quote("AK", ("standard", "10.00", 1)).lines[0]
    assert "ARSSTC" in line.rule
    assert line.source == ("S56",)


def test_quote_without_destination_state_is_refused(quote: QuoteFn) -> None:
    with pytest.raises(ValueError, match=r"destination state \(subdivision\)"):
        quote(None, ("standard", "10.00", 1))


def test_state_without_data_is_refused_naming_the_supported_ones(quote: QuoteFn) -> None:
    with pytest.raises(ValueError, match=r"'OH'.*supported: AK, CA, DE"):
        quote("OH", ("standard", "10.00", 1))


@pytest.mark.parametrize("spelling", ["CA", "ca", " US-CA ", "California", "california"])
def test_state_may_be_given_as_code_iso_subdivision_or_name(quote: QuoteFn, spelling: str) -> None:
    assert quote(spelling, ("standard", "100.00", 1)).lines[0].tax == Decimal("7.25")


def test_other_countries_get_no_answer_from_this_plugin(pm: pluggy.PluginManager) -> None:
    lines = (TaxLineInput("line-1", "standard", Decimal("10.00")),)
    context = TaxContext(country="CA", currency="CAD", on=date(2026, 1, 5), lines=lines,
                         subdivision="ON")
    assert pm.hook.pasar_tax_quote(context=context) is None


def test_quote_in_another_currency_is_refused(pm: pluggy.PluginManager) -> None:
    lines = (TaxLineInput("line-1", "standard", Decimal("10.00")),)
    context = TaxContext(country="US", currency="EUR", on=date(2026, 1, 5), lines=lines,
                         subdivision="NY")
    with pytest.raises(ValueError, match="USD, not EUR"):
        pm.hook.pasar_tax_quote(context=context)


def test_unknown_category_and_bad_lines_are_refused(quote: QuoteFn) -> None:
    with pytest.raises(ValueError, match="unknown tax category 'jewellery'"):
        quote("CA", ("jewellery", "10.00", 1))
    with pytest.raises(ValueError, match="quantity must be at least 1"):
        quote("CA", ("standard", "10.00", 0))
    with pytest.raises(ValueError, match="must not be negative"):
        quote("CA", ("standard", "-1.00", 1))


# -- categories -----------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["clothing", "childrens_clothing"])
@pytest.mark.parametrize(
    ("price", "tax"),
    [("50.00", "0.00"), ("109.99", "0.00"), ("110.00", "4.40"), ("120.00", "4.80")],
)
def test_new_york_exempts_clothing_only_under_110_dollars_per_item(
    quote: QuoteFn, category: str, price: str, tax: str
) -> None:
    line = quote("NY", (category, price, 1)).lines[0]
    assert line.tax == Decimal(tax)
    assert "S61" in line.source


def test_new_york_clothing_limit_is_per_item_not_per_line(quote: QuoteFn) -> None:
    # Three shirts at 60.00 make a 180.00 line, but each item is under 110.00.
    assert quote("NY", ("clothing", "60.00", 3)).lines[0].tax == Decimal("0.00")


def test_new_york_clothing_rule_explains_why_a_dear_item_is_taxed(quote: QuoteFn) -> None:
    cheap, dear = quote("NY", ("clothing", "50.00", 1), ("clothing", "150.00", 1)).lines
    assert "under $110 per item exempt" in cheap.rule
    assert "$110 or more per item fully taxable" in dear.rule


@pytest.mark.parametrize(
    ("state", "tax"),
    [("PA", "0.00"), ("NJ", "0.00"), ("MN", "0.00"), ("CA", "3.63"), ("TX", "3.13"),
     ("WA", "3.25"), ("FL", "3.00")],
)  # fmt: skip
@pytest.mark.parametrize("category", ["clothing", "childrens_clothing"])
def test_clothing_is_exempt_in_pa_nj_mn_and_taxed_in_ca_tx_wa_fl(
    quote: QuoteFn, state: str, tax: str, category: str
) -> None:
    assert quote(state, (category, "50.00", 1)).lines[0].tax == Decimal(tax)


@pytest.mark.parametrize("state", TAXING_STATES)
def test_grocery_food_is_exempt_in_every_taxing_state(quote: QuoteFn, state: str) -> None:
    line = quote(state, ("food", "40.00", 1)).lines[0]
    assert (line.tax, line.rate) == (Decimal("0.00"), Decimal(0))
    assert "unverified" in line.rule


@pytest.mark.parametrize(
    ("state", "taxed"),
    [("CA", True), ("WA", True), ("NY", False), ("TX", False), ("FL", False), ("PA", False),
     ("NJ", False), ("MN", False)],
)  # fmt: skip
def test_over_the_counter_medicine_is_taxed_only_in_ca_and_wa(
    quote: QuoteFn, state: str, taxed: bool
) -> None:
    line = quote(state, ("medicine", "20.00", 1)).lines[0]
    assert (line.tax > 0) is taxed
    assert "over-the-counter" in line.rule


@pytest.mark.parametrize(
    ("state", "taxed"),
    [("TX", True), ("WA", True), ("PA", True), ("NJ", True), ("MN", True), ("CA", False),
     ("NY", False), ("FL", False)],
)  # fmt: skip
def test_digital_products_are_taxed_where_the_state_taxes_downloads(
    quote: QuoteFn, state: str, taxed: bool
) -> None:
    assert (quote(state, ("digital", "9.99", 1)).lines[0].tax > 0) is taxed


@pytest.mark.parametrize("state", TAXING_STATES)
@pytest.mark.parametrize("category", ["books", "luxury"])
def test_books_and_luxury_goods_pay_the_general_rate(
    quote: QuoteFn, state: str, category: str
) -> None:
    general, line = quote(state, ("standard", "80.00", 1), (category, "80.00", 1)).lines
    assert (line.tax, line.rate) == (general.tax, general.rate)


def test_rule_names_state_rate_and_category(quote: QuoteFn) -> None:
    line = quote("WA", ("books", "12.00", 1)).lines[0]
    assert line.rule.startswith("US-WA sales tax 6.5% (books)")
    assert "S59" in line.source
