"""VAT quotes of the UK/EU plugin: rates per country and category (REGIONS §2a), rounding,
dates, and the UK and EU deemed-supplier rules (§2a UK row, §2c, pitfall 7)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pluggy
import pytest

from pasar.contracts import TAX_CATEGORIES, TaxContext, TaxLineInput, TaxQuote, WithholdingContext

CURRENCY = {
    "GB": "GBP", "DE": "EUR", "FR": "EUR", "ES": "EUR", "IT": "EUR", "IE": "EUR", "NL": "EUR",
}
ON = date(2026, 3, 1)


def ask(
    pm: pluggy.PluginManager,
    country: str,
    *lines: tuple[str, str, int],
    on: date = ON,
    **context: object,
) -> TaxQuote:
    """A quote for ``(category, displayed unit price, quantity)`` lines."""
    inputs = tuple(
        TaxLineInput(f"line-{n}", category, Decimal(price), quantity)
        for n, (category, price, quantity) in enumerate(lines, start=1)
    )
    tax_context = TaxContext(
        country, CURRENCY[country], on, inputs, **context  # type: ignore[arg-type]
    )
    quote = pm.hook.pasar_tax_quote(context=tax_context)
    assert isinstance(quote, TaxQuote)
    return quote


VECTORS = [
    # country, category, displayed price, tax, rate
    ("GB", "standard", "120.00", "20.00", "0.20"),
    ("GB", "books", "9.99", "0.00", "0"),
    ("GB", "food", "3.50", "0.00", "0"),
    ("GB", "childrens_clothing", "12.00", "0.00", "0"),
    ("GB", "clothing", "24.00", "4.00", "0.20"),
    ("GB", "medicine", "6.00", "1.00", "0.20"),
    ("GB", "digital", "4.99", "0.83", "0.20"),
    ("GB", "luxury", "600.00", "100.00", "0.20"),
    ("DE", "standard", "119.00", "19.00", "0.19"),
    ("DE", "books", "10.70", "0.70", "0.07"),
    ("DE", "food", "10.70", "0.70", "0.07"),
    ("DE", "childrens_clothing", "11.90", "1.90", "0.19"),
    ("DE", "digital", "11.90", "1.90", "0.19"),
    ("FR", "standard", "120.00", "20.00", "0.20"),
    ("FR", "books", "10.55", "0.55", "0.055"),
    ("FR", "food", "10.55", "0.55", "0.055"),
    ("FR", "medicine", "12.00", "2.00", "0.20"),
    ("ES", "standard", "121.00", "21.00", "0.21"),
    ("ES", "food", "11.00", "1.00", "0.10"),
    ("ES", "books", "10.40", "0.40", "0.04"),
    ("IT", "standard", "122.00", "22.00", "0.22"),
    ("IT", "food", "10.40", "0.40", "0.04"),
    ("IT", "books", "10.40", "0.40", "0.04"),
    ("IE", "standard", "123.00", "23.00", "0.23"),
    ("IE", "childrens_clothing", "20.00", "0.00", "0"),
    ("IE", "food", "5.00", "0.00", "0"),
    ("IE", "books", "15.00", "0.00", "0"),
    ("IE", "clothing", "123.00", "23.00", "0.23"),
    ("NL", "standard", "121.00", "21.00", "0.21"),
    ("NL", "food", "10.90", "0.90", "0.09"),
    ("NL", "books", "21.80", "1.80", "0.09"),
    ("NL", "luxury", "1210.00", "210.00", "0.21"),
]


@pytest.mark.parametrize(("country", "category", "price", "tax", "rate"), VECTORS)
def test_vat_inside_a_displayed_price_matches_regions(
    ukeu_pm: pluggy.PluginManager, country: str, category: str, price: str, tax: str, rate: str
) -> None:
    quote = ask(ukeu_pm, country, (category, price, 1))
    (line,) = quote.lines
    assert (line.tax, line.rate) == (Decimal(tax), Decimal(rate))
    assert line.taxable_base == Decimal(price) - Decimal(tax)
    assert quote.inclusive and quote.currency == CURRENCY[country]
    assert line.source and quote.collected_by == "seller"


@pytest.mark.parametrize("country", sorted(CURRENCY))
@pytest.mark.parametrize("category", ["digital", "luxury", "clothing"])
def test_digital_luxury_and_clothing_pay_the_standard_rate(
    ukeu_pm: pluggy.PluginManager, country: str, category: str
) -> None:
    quote = ask(ukeu_pm, country, ("standard", "100.00", 1), (category, "100.00", 1))
    standard, other = quote.lines
    assert other.rate == standard.rate and other.tax == standard.tax


@pytest.mark.parametrize("country", sorted(CURRENCY))
def test_every_kernel_category_is_answered(ukeu_pm: pluggy.PluginManager, country: str) -> None:
    quote = ask(ukeu_pm, country, *((category, "10.00", 1) for category in TAX_CATEGORIES))
    assert [line.ref for line in quote.lines] == [f"line-{n}" for n in range(1, 9)]
    assert all(category in line.rule for category, line in zip(TAX_CATEGORIES, quote.lines))


def test_the_rule_names_the_tax_its_band_and_the_category(ukeu_pm: pluggy.PluginManager) -> None:
    (line,) = ask(ukeu_pm, "DE", ("books", "10.70", 1)).lines
    assert line.rule.startswith("DE USt ermäßigt 7% (books")
    assert line.source == ("S53", "S54")


def test_irish_zero_rates_are_flagged_unverified(ukeu_pm: pluggy.PluginManager) -> None:
    quote = ask(ukeu_pm, "IE", ("childrens_clothing", "20.00", 1), ("standard", "20.00", 1))
    assert "unverified" in quote.lines[0].rule and "unverified" not in quote.lines[1].rule


@pytest.mark.parametrize(
    ("price", "tax"),
    [("0.03", "0.01"), ("0.15", "0.03"), ("0.09", "0.02")],
)
def test_half_a_penny_of_vat_rounds_up_not_to_even(
    ukeu_pm: pluggy.PluginManager, price: str, tax: str
) -> None:
    """At 20% inclusive the VAT is price / 6: 0.005 and 0.025 are exact halves, which
    banker's rounding would send down to 0.00 and 0.02."""
    (line,) = ask(ukeu_pm, "GB", ("standard", price, 1)).lines
    assert line.tax == Decimal(tax)


def test_tax_is_computed_on_the_whole_line_and_rounded_once(ukeu_pm: pluggy.PluginManager) -> None:
    quote = ask(ukeu_pm, "DE", ("standard", "19.99", 3))
    (line,) = quote.lines
    assert quote.rounding == "line"
    assert (line.tax, line.taxable_base) == (Decimal("9.58"), Decimal("50.39"))


def test_a_date_before_the_verified_period_falls_back_to_the_statutory_rate(
    ukeu_pm: pluggy.PluginManager,
) -> None:
    (old,) = ask(ukeu_pm, "NL", ("food", "10.90", 1), on=date(2020, 1, 1)).lines
    (future,) = ask(ukeu_pm, "NL", ("food", "10.90", 1), on=date(2030, 12, 31)).lines
    assert old.rate == future.rate == Decimal("0.09")
    assert "statutory rate, no dated period covers 2020-01-01" in old.rule
    assert "statutory" not in future.rule


def test_an_unknown_category_is_refused(ukeu_pm: pluggy.PluginManager) -> None:
    with pytest.raises(ValueError, match="toys"):
        ask(ukeu_pm, "FR", ("toys", "10.00", 1))


def test_a_quote_in_the_wrong_currency_is_refused(ukeu_pm: pluggy.PluginManager) -> None:
    lines = (TaxLineInput("line-1", "standard", Decimal("10.00")),)
    with pytest.raises(ValueError, match="GBP, not EUR"):
        ukeu_pm.hook.pasar_tax_quote(context=TaxContext("GB", "EUR", ON, lines))


def test_a_country_not_served_gets_no_quote(ukeu_pm: pluggy.PluginManager) -> None:
    lines = (TaxLineInput("line-1", "standard", Decimal("10.00")),)
    assert ukeu_pm.hook.pasar_tax_quote(context=TaxContext("US", "USD", ON, lines)) is None


# -- UK online-marketplace rules [S48][S49][S50] -------------------------------------------


def test_uk_import_of_at_most_135_pounds_is_owed_by_the_marketplace(
    ukeu_pm: pluggy.PluginManager,
) -> None:
    quote = ask(ukeu_pm, "GB", ("standard", "120.00", 1), seller_country="CN", ships_from="CN")
    assert quote.collected_by == "marketplace"
    assert "£135" in (quote.marketplace_rule or "")
    assert quote.lines[0].tax == Decimal("20.00")
    assert {"S48", "S49", "S50"} <= set(quote.lines[0].source)


def test_uk_threshold_is_per_consignment_not_per_item(ukeu_pm: pluggy.PluginManager) -> None:
    at_limit = ask(ukeu_pm, "GB", ("standard", "67.50", 2), ships_from="CN", seller_country="CN")
    over = ask(
        ukeu_pm, "GB", ("standard", "100.00", 1), ("books", "35.01", 1),
        ships_from="CN", seller_country="CN",
    )
    assert at_limit.collected_by == "marketplace"
    assert over.collected_by == "seller" and over.marketplace_rule is None


def test_uk_goods_already_in_the_uk_from_an_overseas_seller_are_owed_by_the_marketplace(
    ukeu_pm: pluggy.PluginManager,
) -> None:
    quote = ask(ukeu_pm, "GB", ("luxury", "2400.00", 1), seller_country="US", ships_from="GB")
    assert quote.collected_by == "marketplace"
    assert "overseas seller" in (quote.marketplace_rule or "")


def test_a_uk_seller_collects_its_own_vat(ukeu_pm: pluggy.PluginManager) -> None:
    quote = ask(ukeu_pm, "GB", ("standard", "60.00", 1), seller_country="GB")
    assert quote.collected_by == "seller" and quote.marketplace_rule is None


def test_a_uk_business_buyer_self_accounts_under_the_reverse_charge(
    ukeu_pm: pluggy.PluginManager,
) -> None:
    quote = ask(
        ukeu_pm, "GB", ("standard", "120.00", 1),
        ships_from="CN", seller_country="CN", buyer_is_business=True,
    )
    (line,) = quote.lines
    assert quote.collected_by == "seller" and quote.total == Decimal("0.00")
    assert line.taxable_base == Decimal("120.00") and "reverse charge" in line.rule


# -- EU deemed supplier (Art. 14a) and the €3 duty [S64][S65][S66] --------------------------


def test_eu_import_of_at_most_150_euros_is_owed_by_the_marketplace(
    ukeu_pm: pluggy.PluginManager,
) -> None:
    quote = ask(ukeu_pm, "FR", ("standard", "150.00", 1), ships_from="CN", seller_country="CN")
    assert quote.collected_by == "marketplace"
    rule = quote.marketplace_rule or ""
    assert "Art. 14a(1)" in rule and "€150" in rule and "€3" not in rule


def test_eu_import_above_150_euros_pays_import_vat_not_through_the_marketplace(
    ukeu_pm: pluggy.PluginManager,
) -> None:
    quote = ask(ukeu_pm, "IT", ("standard", "100.00", 2), ships_from="CN", seller_country="CN")
    assert quote.collected_by == "seller" and quote.marketplace_rule is None


def test_the_three_euro_duty_is_named_from_july_2026_but_never_added_to_vat(
    ukeu_pm: pluggy.PluginManager,
) -> None:
    before = ask(ukeu_pm, "DE", ("standard", "59.50", 1), ships_from="CN", on=date(2026, 6, 30))
    after = ask(ukeu_pm, "DE", ("standard", "59.50", 1), ships_from="CN", on=date(2026, 7, 1))
    assert "€3" not in (before.marketplace_rule or "")
    assert "€3 EU customs duty" in (after.marketplace_rule or "")
    assert "not VAT" in (after.marketplace_rule or "")
    assert before.total == after.total == Decimal("9.50")
    assert "S64" in after.lines[0].source


def test_goods_shipped_from_the_uk_are_imports_into_the_eu(ukeu_pm: pluggy.PluginManager) -> None:
    quote = ask(ukeu_pm, "IE", ("clothing", "49.20", 1), ships_from="GB", seller_country="GB")
    assert quote.collected_by == "marketplace" and quote.lines[0].tax == Decimal("9.20")


def test_a_non_eu_seller_with_stock_in_the_eu_is_covered_by_the_marketplace(
    ukeu_pm: pluggy.PluginManager,
) -> None:
    quote = ask(ukeu_pm, "NL", ("standard", "1210.00", 1), seller_country="US", ships_from="DE")
    assert quote.collected_by == "marketplace" and "Art. 14a(2)" in (quote.marketplace_rule or "")


def test_an_eu_seller_shipping_from_another_member_state_charges_destination_vat(
    ukeu_pm: pluggy.PluginManager,
) -> None:
    quote = ask(ukeu_pm, "ES", ("standard", "121.00", 1), seller_country="DE", ships_from="DE")
    assert quote.collected_by == "seller" and quote.lines[0].rate == Decimal("0.21")


def test_eu_deemed_supplier_rules_do_not_apply_to_business_buyers(
    ukeu_pm: pluggy.PluginManager,
) -> None:
    quote = ask(
        ukeu_pm, "FR", ("standard", "120.00", 1),
        ships_from="CN", seller_country="CN", buyer_is_business=True,
    )
    assert quote.collected_by == "seller" and quote.lines[0].tax == Decimal("20.00")


# -- withholding ---------------------------------------------------------------------------


@pytest.mark.parametrize("country", [*sorted(CURRENCY), "ID"])
def test_no_marketplace_withholding_is_due(ukeu_pm: pluggy.PluginManager, country: str) -> None:
    context = WithholdingContext(country, CURRENCY.get(country, "IDR"), ON, Decimal("10000.00"))
    assert ukeu_pm.hook.pasar_marketplace_withholding(context=context) == [[]]
