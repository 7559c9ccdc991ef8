"""Tax quotes: rates by date and category, inclusive arithmetic, rounding and the cross-border
rules that make the marketplace collect (REGIONS §2a, pitfalls 3-7)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pluggy
import pytest

from pasar.contracts import TAX_CATEGORIES, TaxContext, TaxLineInput, TaxQuote
from pasar_sea.data.tax import ID_SCHEDULE

CURRENCY = {"ID": "IDR", "MY": "MYR", "TH": "THB", "VN": "VND", "PH": "PHP", "SG": "SGD"}


def quote_of(
    pm: pluggy.PluginManager,
    country: str,
    on: date,
    *lines: tuple[str, str] | tuple[str, str, int],
    **context: object,
) -> TaxQuote:
    """Quote lines given as (category, price[, quantity])."""
    inputs = tuple(
        TaxLineInput(
            ref=f"line{i}",
            category=line[0],
            unit_price=Decimal(line[1]),
            quantity=line[2] if len(line) == 3 else 1,  # type: ignore[misc]
        )
        for i, line in enumerate(lines)
    )
    result = pm.hook.pasar_tax_quote(
        context=TaxContext(
            country=country, currency=CURRENCY[country], on=on, lines=inputs, **context
        )
    )
    assert result is not None
    return result


# --- Indonesia --------------------------------------------------------------------------------


def test_id_ppn_is_encoded_as_12_percent_on_a_base_of_eleven_twelfths() -> None:
    standard = ID_SCHEDULE.rates_on(date(2025, 3, 1))["standard"]
    assert standard.nominal == Decimal("0.12")
    assert standard.dpp_factor == Fraction(11, 12)
    assert standard.effective == Decimal("0.11")


def test_id_standard_goods_pay_11_percent_effective_in_whole_rupiah(
    pm: pluggy.PluginManager,
) -> None:
    line = quote_of(pm, "ID", date(2025, 3, 1), ("standard", "1110000")).lines[0]
    assert (line.tax, line.rate, line.taxable_base) == (
        Decimal(110000),
        Decimal("0.11"),
        Decimal(1000000),
    )
    assert line.rule == "ID PPN 12% × DPP 11/12, standard (standard)"
    assert line.source == ("S11", "S12", "S13")


def test_id_tax_rounds_half_up_to_the_rupiah(pm: pluggy.PluginManager) -> None:
    # 150,000 × 0.11 / 1.11 = 14,864.86...
    line = quote_of(pm, "ID", date(2025, 3, 1), ("standard", "150000")).lines[0]
    assert line.tax == Decimal(14865)
    assert line.tax.as_tuple().exponent == 0


def test_id_luxury_goods_pay_12_percent_on_the_full_base(pm: pluggy.PluginManager) -> None:
    line = quote_of(pm, "ID", date(2025, 3, 1), ("luxury", "1120000")).lines[0]
    assert (line.tax, line.rate) == (Decimal(120000), Decimal("0.12"))


def test_id_food_as_basic_necessities_is_exempt(pm: pluggy.PluginManager) -> None:
    line = quote_of(pm, "ID", date(2025, 3, 1), ("food", "50000")).lines[0]
    assert (line.tax, line.rate, line.taxable_base) == (Decimal(0), Decimal(0), Decimal(50000))
    assert "exempt" in line.rule


def test_id_quantity_multiplies_the_line(pm: pluggy.PluginManager) -> None:
    line = quote_of(pm, "ID", date(2025, 3, 1), ("standard", "111000", 3)).lines[0]
    assert line.tax == Decimal(33000)


def test_id_consignment_imports_make_the_marketplace_the_importer(
    pm: pluggy.PluginManager,
) -> None:
    result = quote_of(pm, "ID", date(2025, 3, 1), ("standard", "111000"), ships_from="CN")
    assert result.collected_by == "marketplace"
    assert result.marketplace_rule is not None and "PMK 96/2023" in result.marketplace_rule
    assert result.lines[0].tax == Decimal(11000)


# --- Thailand ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "price", "tax", "rate"),
    [
        (date(2025, 1, 1), "107.00", "7.00", "0.07"),
        (date(2026, 9, 30), "107.00", "7.00", "0.07"),  # the decree's last day, inclusive
        (date(2026, 10, 1), "110.00", "10.00", "0.10"),  # statutory rate from then
        (date(2026, 10, 1), "107.00", "9.73", "0.10"),
        (date(2030, 1, 1), "110.00", "10.00", "0.10"),
    ],
)
def test_th_vat_is_7_percent_until_the_decree_lapses_then_10(
    pm: pluggy.PluginManager, on: date, price: str, tax: str, rate: str
) -> None:
    line = quote_of(pm, "TH", on, ("standard", price)).lines[0]
    assert (line.tax, line.rate) == (Decimal(tax), Decimal(rate))
    assert line.source == ("S24", "S25")


# --- Vietnam ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "category", "price", "tax"),
    [
        (date(2025, 6, 30), "standard", "110000", "10000"),
        (date(2025, 7, 1), "standard", "108000", "8000"),
        (date(2026, 12, 31), "clothing", "108000", "8000"),
        (date(2027, 1, 1), "standard", "110000", "10000"),
        (date(2025, 8, 1), "luxury", "110000", "10000"),  # SCT goods keep 10%
    ],
)
def test_vn_vat_cut_to_8_percent_from_july_2025_to_end_2026(
    pm: pluggy.PluginManager, on: date, category: str, price: str, tax: str
) -> None:
    line = quote_of(pm, "VN", on, (category, price)).lines[0]
    assert line.tax == Decimal(tax)
    assert line.tax.as_tuple().exponent == 0


# --- Malaysia ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "price", "tax"),
    [
        ("standard", "110.00", "10.00"),
        ("books", "50.00", "0.00"),
        ("medicine", "50.00", "0.00"),
        ("food", "50.00", "0.00"),
        ("digital", "108.00", "8.00"),  # service tax
    ],
)
def test_my_sales_tax_by_category(
    pm: pluggy.PluginManager, category: str, price: str, tax: str
) -> None:
    result = quote_of(pm, "MY", date(2025, 8, 1), (category, price))
    assert result.lines[0].tax == Decimal(tax)
    assert result.collected_by == "seller"


@pytest.mark.parametrize(
    ("price", "tax"),
    [("55.00", "5.00"), ("550.00", "50.00")],  # 550 incl. 10% = RM 500 of goods: still LVG
)
def test_my_lvg_on_imported_items_up_to_rm500_is_collected_by_the_marketplace(
    pm: pluggy.PluginManager, price: str, tax: str
) -> None:
    result = quote_of(pm, "MY", date(2025, 8, 1), ("books", price), ships_from="CN")
    assert result.collected_by == "marketplace"
    assert result.marketplace_rule == "MY LVG sales tax 10% on imported goods ≤ RM 500 per item"
    assert (result.lines[0].tax, result.lines[0].rate) == (Decimal(tax), Decimal("0.10"))
    assert result.lines[0].source == ("S21", "S22", "S23")


def test_my_imported_item_above_rm500_is_taxed_at_customs_not_checkout(
    pm: pluggy.PluginManager,
) -> None:
    result = quote_of(pm, "MY", date(2025, 8, 1), ("standard", "550.01"), ships_from="CN")
    assert result.collected_by == "seller"
    assert result.lines[0].tax == Decimal("0.00")
    assert "customs" in result.lines[0].rule


def test_my_lvg_threshold_is_per_item_not_per_basket(pm: pluggy.PluginManager) -> None:
    result = quote_of(
        pm, "MY", date(2025, 8, 1), ("standard", "440.00", 3), ships_from="CN"
    )
    assert result.collected_by == "marketplace"
    assert result.lines[0].tax == Decimal("120.00")


def test_my_lvg_does_not_apply_before_2024(pm: pluggy.PluginManager) -> None:
    result = quote_of(pm, "MY", date(2023, 12, 31), ("standard", "110.00"), ships_from="CN")
    assert result.collected_by == "seller"
    assert result.marketplace_rule is None


# --- Singapore --------------------------------------------------------------------------------


def test_sg_gst_is_9_percent_inside_the_price(pm: pluggy.PluginManager) -> None:
    result = quote_of(pm, "SG", date(2025, 1, 1), ("standard", "109.00"), ("food", "10.90"))
    assert result.inclusive is True
    assert [line.tax for line in result.lines] == [Decimal("9.00"), Decimal("0.90")]
    assert result.collected_by == "seller"


def test_sg_ovr_makes_the_marketplace_deemed_supplier_per_item_up_to_s400(
    pm: pluggy.PluginManager,
) -> None:
    result = quote_of(
        pm,
        "SG",
        date(2025, 1, 1),
        ("standard", "436.00"),  # S$400 + GST: in scope
        ("standard", "436.01"),  # above S$400 of goods: import GST at the border
        seller_country="CN",
        ships_from="CN",
    )
    assert result.collected_by == "marketplace"
    assert result.marketplace_rule is not None and result.marketplace_rule.startswith("SG OVR")
    assert [line.tax for line in result.lines] == [Decimal("36.00"), Decimal("0.00")]
    assert "border" in result.lines[1].rule


def test_sg_ovr_is_b2c_only(pm: pluggy.PluginManager) -> None:
    result = quote_of(
        pm, "SG", date(2025, 1, 1), ("standard", "109.00"), ships_from="CN", buyer_is_business=True
    )
    assert result.collected_by == "seller"
    assert result.lines[0].tax == Decimal("0.00")


def test_sg_foreign_digital_products_are_taxed_by_the_marketplace(
    pm: pluggy.PluginManager,
) -> None:
    result = quote_of(pm, "SG", date(2025, 1, 1), ("digital", "10.90"), seller_country="US")
    assert result.collected_by == "marketplace"
    assert result.lines[0].tax == Decimal("0.90")


# --- Philippines ------------------------------------------------------------------------------


def test_ph_vat_rounds_a_half_cent_up(pm: pluggy.PluginManager) -> None:
    # 9.38 × 12 / 112 = 1.005 exactly: half-up gives 1.01 where banker's rounding gives 1.00.
    line = quote_of(pm, "PH", date(2025, 1, 1), ("standard", "9.38")).lines[0]
    assert (line.tax, line.taxable_base) == (Decimal("1.01"), Decimal("8.37"))


def test_ph_books_are_exempt(pm: pluggy.PluginManager) -> None:
    line = quote_of(pm, "PH", date(2025, 1, 1), ("books", "112.00")).lines[0]
    assert line.tax == Decimal("0.00")


@pytest.mark.parametrize(
    ("on", "collected_by"),
    [(date(2025, 5, 31), "seller"), (date(2025, 6, 1), "marketplace")],
)
def test_ph_marketplace_owes_vat_on_non_resident_digital_services_from_june_2025(
    pm: pluggy.PluginManager, on: date, collected_by: str
) -> None:
    result = quote_of(pm, "PH", on, ("digital", "112.00"), seller_country="US")
    assert result.collected_by == collected_by
    assert result.lines[0].tax == Decimal("12.00")


# --- Every country --------------------------------------------------------------------------


@pytest.mark.parametrize("country", sorted(CURRENCY))
@pytest.mark.parametrize(
    "on", [date(2020, 1, 1), date(2025, 7, 1), date(2026, 10, 1), date(2031, 1, 1)]
)
def test_every_category_gets_an_answer_on_any_date(
    pm: pluggy.PluginManager, country: str, on: date
) -> None:
    lines = tuple((category, "1000") for category in TAX_CATEGORIES)
    result = quote_of(pm, country, on, *lines)
    assert [line.ref for line in result.lines] == [f"line{i}" for i in range(len(lines))]
    for line in result.lines:
        assert Decimal(0) <= line.rate < Decimal(1)
        assert line.tax + line.taxable_base == Decimal(1000)
        assert line.rule


def test_a_country_outside_the_region_gets_no_answer(pm: pluggy.PluginManager) -> None:
    context = TaxContext(
        country="DE",
        currency="EUR",
        on=date(2025, 1, 1),
        lines=(TaxLineInput("a", "standard", Decimal("119.00")),),
    )
    assert pm.hook.pasar_tax_quote(context=context) is None


def test_an_unknown_category_is_refused_with_its_name(pm: pluggy.PluginManager) -> None:
    with pytest.raises(ValueError, match="'toys'"):
        quote_of(pm, "TH", date(2025, 1, 1), ("toys", "100"))
