"""Tax vectors from REGIONS.md, asked the way checkout and `pasar tax quote` ask: through the
tenant's own region plugin, on a given date."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from pasar.tax.service import TaxQuestionError, quote_item
from pasar.tenancy import service as tenancy


def tenant(app: Any, code: str) -> tenancy.TenantContext:
    db, host = app.extensions["pasar.db"], app.extensions["pasar.plugins"]
    with db.session(all_tenants=True) as session:
        return tenancy.context_for(tenancy.get_tenant(session, code), host)


VECTORS = [
    # tenant, category, displayed price, date, state, city, tax, effective rate, inclusive
    ("th", "standard", "107.00", "2026-09-30", None, None, "7.00", "0.07", True),
    ("th", "standard", "110.00", "2026-10-01", None, None, "10.00", "0.10", True),
    ("vn", "standard", "108000", "2026-06-15", None, None, "8000", "0.08", True),
    ("vn", "standard", "110000", "2027-01-01", None, None, "10000", "0.10", True),
    ("id", "standard", "111000", "2026-03-01", None, None, "11000", "0.11", True),
    ("id", "luxury", "112000", "2026-03-01", None, None, "12000", "0.12", True),
    ("uk", "childrens_clothing", "12.00", "2026-03-01", None, None, "0.00", "0", True),
    ("uk", "books", "9.99", "2026-03-01", None, None, "0.00", "0", True),
    ("uk", "standard", "120.00", "2026-03-01", None, None, "20.00", "0.20", True),
    ("de", "standard", "119.00", "2026-03-01", None, None, "19.00", "0.19", True),
    ("de", "books", "10.70", "2026-03-01", None, None, "0.70", "0.07", True),
    ("de", "food", "10.70", "2026-03-01", None, None, "0.70", "0.07", True),
    ("sg", "standard", "109.00", "2026-03-01", None, None, "9.00", "0.09", True),
    ("us", "clothing", "80.00", "2026-03-01", "NY", None, "0.00", "0", False),
    ("us", "clothing", "120.00", "2026-03-01", "NY", None, "4.80", "0.04", False),
    ("us", "standard", "100.00", "2026-03-01", "OR", None, "0.00", "0", False),
    ("us", "standard", "100.00", "2026-03-01", "CA", None, "7.25", "0.0725", False),
    ("us", "standard", "100.00", "2026-03-01", "TX", None, "6.25", "0.0625", False),
]


@pytest.mark.parametrize(("code", "category", "price", "on", "state", "city", "tax", "rate", "inclusive"), VECTORS)
def test_region_tax_vectors(app: Any, code: str, category: str, price: str, on: str, state: str | None,
                            city: str | None, tax: str, rate: str, inclusive: bool) -> None:
    quote = quote_item(tenant(app, code), category=category, price=Decimal(price), on=date.fromisoformat(on),
                       state=state, city=city)
    line = quote.lines[0]
    assert (line.tax, quote.inclusive) == (Decimal(tax), inclusive)
    assert line.rate == Decimal(rate)
    assert line.source, "every rule carries its REGIONS.md source"


def test_id_vat_is_twelve_percent_on_an_eleven_twelfths_base(app: Any) -> None:
    """PMK 131/2024: 12% nominal on DPP = 11/12 of the price before tax, not a hard-coded 11%."""
    line = quote_item(tenant(app, "id"), category="standard", price=Decimal("111000"), on=date(2026, 3, 1)).lines[0]
    assert "12%" in line.rule and "11/12" in line.rule
    assert line.tax == Decimal("11000") and line.taxable_base in (Decimal("100000"), Decimal("91667"))


def test_new_york_city_adds_local_tax_but_exempts_cheap_clothing(app: Any) -> None:
    ny = tenant(app, "us")
    general = quote_item(ny, category="standard", price=Decimal("100.00"), on=date(2026, 3, 1),
                         state="NY", city="New York City")
    clothing = quote_item(ny, category="clothing", price=Decimal("80.00"), on=date(2026, 3, 1),
                          state="NY", city="New York City")
    assert general.lines[0].tax == Decimal("8.88") and len(general.lines[0].components) >= 2
    assert clothing.lines[0].tax == Decimal("0.00")


def test_us_prices_are_exclusive_and_the_marketplace_collects(app: Any) -> None:
    quote = quote_item(tenant(app, "us"), category="standard", price=Decimal("100.00"), on=date(2026, 3, 1), state="WA")
    assert not quote.inclusive and quote.collected_by == "marketplace" and quote.marketplace_rule


def test_uk_import_of_at_most_135_pounds_moves_vat_to_the_marketplace(app: Any) -> None:
    quote = quote_item(tenant(app, "uk"), category="standard", price=Decimal("120.00"), on=date(2026, 3, 1),
                       seller_country="CN", ships_from="CN")
    assert quote.collected_by == "marketplace" and "135" in (quote.marketplace_rule or "")


def test_a_us_quote_without_a_state_is_a_clear_question_error(app: Any) -> None:
    with pytest.raises(TaxQuestionError, match="state"):
        quote_item(tenant(app, "us"), category="standard", price=Decimal("10"), on=date(2026, 3, 1))


def test_an_unknown_category_is_refused_with_the_allowed_ones(app: Any) -> None:
    with pytest.raises(TaxQuestionError, match="allowed: standard, books"):
        quote_item(tenant(app, "uk"), category="toys", price=Decimal("10"), on=date(2026, 3, 1))
