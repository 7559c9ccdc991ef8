"""Checks of the tax hooks: a consistent quote for every category, subdivision and date, and
withholding answered as a list."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pluggy

from pasar.contracts import (
    TAX_CATEGORIES,
    ConsumerRules,
    CountryInfo,
    LineTax,
    TaxContext,
    TaxLineInput,
    TaxQuote,
    Withholding,
    WithholdingContext,
)
from pasar.testing.conformance._support import (
    currency_rules,
    expect,
    is_whole_units,
    resolve,
    unit,
)

#: The dates every tax quote is asked for: a past one, today and a future one. A rate table
#: with effective-date ranges must still answer outside its ranges (the statutory fallback).
TAX_DATES: tuple[date | None, ...] = (date(2024, 1, 1), None, date(2030, 12, 31))
#: Where a foreign seller is established and ships from (another if a plugin serves it).
FOREIGN_SELLERS = ("CN", "JP")


@dataclass(frozen=True)
class TaxCase:
    """One tax question: a country (and subdivision), a category and a date."""

    country: CountryInfo
    subdivision: str | None
    category: str
    on: date | None  # None: today
    seller_country: str | None = None  # None: a seller established in the country

    @property
    def place(self) -> str:
        return "-".join(part for part in (self.country.code, self.subdivision) if part)

    @property
    def id(self) -> str:
        seller = f"-from-{self.seller_country}" if self.seller_country else ""
        return f"{self.place}-{self.category}-{self.on or 'today'}{seller}"


def tax_cases(countries: Iterable[CountryInfo]) -> list[TaxCase]:
    """Every category on every tax date, per subdivision where the country has them."""
    return [
        TaxCase(country, subdivision, category, on)
        for country in countries
        for subdivision in (country.subdivisions or (None,))
        for category in TAX_CATEGORIES
        for on in TAX_DATES
    ]


def foreign_seller_cases(countries: Iterable[CountryInfo]) -> list[TaxCase]:
    """A basket from a seller abroad, shipped from abroad, per country and subdivision: the
    import, deemed-supplier and facilitator rules answer with the same invariants."""
    countries = list(countries)
    served = {country.code for country in countries}
    seller = next(code for code in FOREIGN_SELLERS if code not in served)
    return [
        TaxCase(country, subdivision, "standard", None, seller)
        for country in countries
        for subdivision in (country.subdivisions or (None,))
    ]


def sample_lines(category: str, digits: int) -> tuple[TaxLineInput, ...]:
    """Two lines with awkward prices, one of quantity 3, priced in whole display units."""
    prices = (Decimal(19990), Decimal(125000)) if digits == 0 else (Decimal("19.99"), Decimal(125))
    return (
        TaxLineInput("line-1", category, prices[0].quantize(unit(digits)), 1),
        TaxLineInput("line-2", category, prices[1].quantize(unit(digits)), 3),
    )


def check_tax_quote(pm: pluggy.PluginManager, case: TaxCase) -> None:
    """A quote per line whose tax matches its rate, rounded to display precision."""
    on = resolve(case.on)
    seller = f" from a seller in {case.seller_country}" if case.seller_country else ""
    where = f"{case.place} {case.category} on {on}{seller}"
    digits = currency_rules(pm, case.country).display_minor_units
    lines = sample_lines(case.category, digits)
    context = TaxContext(
        country=case.country.code,
        currency=case.country.currency,
        on=on,
        lines=lines,
        subdivision=case.subdivision,
        seller_country=case.seller_country,
        ships_from=case.seller_country,
    )
    quote = pm.hook.pasar_tax_quote(context=context)
    expect(isinstance(quote, TaxQuote), f"pasar_tax_quote for {where} answered {quote!r}")
    _check_quote_shape(quote, context, where)
    for line_input, line in zip(lines, quote.lines):
        check_line_tax(line_input, line, quote, digits, f"{where}, {line_input.ref}")
    _check_display_agrees(pm, quote, context, where)


def _check_quote_shape(quote: TaxQuote, context: TaxContext, where: str) -> None:
    expect(quote.currency == context.currency, f"{where}: quote currency {quote.currency}")
    refs = [line.ref for line in quote.lines]
    wanted = [line.ref for line in context.lines]
    expect(refs == wanted, f"{where}: quote lines {refs}, expected one per input line {wanted}")
    expect(quote.collected_by in ("seller", "marketplace"), f"{where}: {quote.collected_by!r}")
    expect(
        quote.collected_by == "seller" or bool(quote.marketplace_rule),
        f"{where}: collected by the marketplace without a marketplace_rule",
    )
    expect(quote.rounding in ("line", "unit"), f"{where}: rounding {quote.rounding!r}")


def check_line_tax(
    line_input: TaxLineInput, line: LineTax, quote: TaxQuote, digits: int, where: str
) -> None:
    """Rate in [0, 1), tax ≥ 0 in whole display units, and the tax the rate implies:
    ``price × rate`` on exclusive prices, ``price × rate / (1 + rate)`` on inclusive ones,
    within half a display unit per rounding."""
    total = line_input.unit_price * line_input.quantity
    expect(isinstance(line, LineTax), f"{where}: {line!r} is not a LineTax")
    expect(Decimal(0) <= line.rate < 1, f"{where}: rate {line.rate} is not within [0, 1)")
    expect(line.tax >= 0, f"{where}: negative tax {line.tax}")
    expect(
        is_whole_units(line.tax, digits),
        f"{where}: tax {line.tax} has more decimals than display_minor_units={digits}",
    )
    expect(line.taxable_base >= 0, f"{where}: negative taxable_base {line.taxable_base}")
    expect(bool(line.rule), f"{where}: the line names no rule")
    if quote.inclusive:
        expect(total == 0 or line.tax < total, f"{where}: inclusive tax {line.tax} ≥ price {total}")
        expected = total * line.rate / (1 + line.rate)
    else:
        expected = total * line.rate
    per_unit = line_input.quantity if quote.rounding == "unit" else 1
    roundings = per_unit * max(1, len(line.components))
    tolerance = unit(digits) / 2 * roundings
    expect(
        abs(line.tax - expected) <= tolerance,
        f"{where}: tax {line.tax} on {total} at rate {line.rate} "
        f"({'inclusive' if quote.inclusive else 'exclusive'}) should be about {expected:.4f}",
    )
    if line.components:
        parts = sum((component.amount for component in line.components), Decimal(0))
        expect(parts == line.tax, f"{where}: components add up to {parts}, not {line.tax}")


def _check_display_agrees(
    pm: pluggy.PluginManager, quote: TaxQuote, context: TaxContext, where: str
) -> None:
    """Prices are tax-inclusive exactly where consumer rules say they are displayed so."""
    rules = pm.hook.pasar_consumer_rules(country=context.country, on=context.on)
    if isinstance(rules, ConsumerRules):
        expect(
            quote.inclusive == (rules.price_display == "inclusive"),
            f"{where}: quote.inclusive={quote.inclusive} but prices display {rules.price_display}",
        )


def check_withholding(pm: pluggy.PluginManager, country: CountryInfo) -> None:
    """For every kind of seller, a list of ``Withholding`` whose amount matches its rate."""
    digits = currency_rules(pm, country).display_minor_units
    gross = Decimal(10_000_000) if digits == 0 else Decimal("10000.00")
    for kind in ("business", "household", "individual"):
        context = WithholdingContext(
            country=country.code,
            currency=country.currency,
            on=date.today(),
            gross=gross,
            seller_kind=kind,
            annual_turnover=gross * 100,
        )
        answers = pm.hook.pasar_marketplace_withholding(context=context)
        where = f"{country.code}, {kind} seller"
        expect(
            len(answers) == 1 and isinstance(answers[0], list),
            f"pasar_marketplace_withholding for {where} answered {answers!r}; return a list "
            "(empty when nothing applies), never None",
        )
        for item in answers[0]:
            _check_withholding_item(item, gross, digits, where)


def _check_withholding_item(item: Withholding, gross: Decimal, digits: int, where: str) -> None:
    expect(isinstance(item, Withholding), f"{where}: {item!r} is not a Withholding")
    expect(Decimal(0) <= item.rate < 1, f"{where}: {item.name} rate {item.rate} not in [0, 1)")
    expect(item.amount >= 0, f"{where}: {item.name} amount {item.amount} is negative")
    expect(is_whole_units(item.amount, digits), f"{where}: {item.name} amount {item.amount}")
    expect(
        abs(item.amount - gross * item.rate) <= unit(digits) / 2,
        f"{where}: {item.name} amount {item.amount} is not rate {item.rate} × gross {gross}",
    )
