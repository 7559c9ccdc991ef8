"""Computing tax quotes and withholdings from the facts in :mod:`pasar_sea.data`.

Prices in every served market are shown tax-inclusive (REGIONS pitfall 4), so the tax inside a
displayed price P at effective rate r is ``P × r / (1 + r)``. It is computed per line (unit
price × quantity) and rounded half-up to the currency's *display* precision (whole rupiah and
dong), with the rounding mode named here rather than left to babel's half-even (pitfall 3).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pasar.contracts import (
    TAX_CATEGORIES,
    LineTax,
    TaxContext,
    TaxLineInput,
    TaxQuote,
    Withholding,
    WithholdingContext,
)
from pasar_sea.data.countries import display_exponent
from pasar_sea.data.tax import MARKETPLACE_RULES, SCHEDULES, MarketplaceRule, Rate
from pasar_sea.data.withholding import WithholdingRule, rules_applying

TAX_ROUNDING = ROUND_HALF_UP


@dataclass(frozen=True)
class Treatment:
    """How one line is taxed at checkout. ``rate`` is ``None`` when the line's tax is not
    collected at checkout at all (paid at the border or reverse-charged by the buyer)."""

    rate: Rate | None
    rule: str
    source: tuple[str, ...]
    collected_by: Literal["seller", "marketplace"] = "seller"
    marketplace_rule: str | None = None


def quote(context: TaxContext) -> TaxQuote | None:
    """The tax inside each line of a basket from one seller, or ``None`` outside the region."""
    schedule = SCHEDULES.get(context.country)
    if schedule is None:
        return None
    rates = schedule.rates_on(context.on)
    treatments = [treat(line, context, rates[_category(line)]) for line in context.lines]
    step = _step(context.currency)
    lines = tuple(_line_tax(line, t, step) for line, t in zip(context.lines, treatments))
    marketplace = next((t.marketplace_rule for t in treatments if t.marketplace_rule), None)
    return TaxQuote(
        currency=context.currency,
        inclusive=True,
        lines=lines,
        collected_by="seller" if marketplace is None else "marketplace",
        marketplace_rule=marketplace,
        rounding="line",
    )


def treat(line: TaxLineInput, context: TaxContext, domestic: Rate) -> Treatment:
    """The line's treatment: the domestic rate, unless a cross-border rule takes it over."""
    rule = _cross_border_rule(line, context)
    if rule is None:
        text = _describe(context.country, domestic, line.category)
        return Treatment(domestic, text, domestic.source)
    rate = domestic if rule.rate is None else rule.rate
    if not _collected_at_checkout(rule, line, context, rate):
        return Treatment(None, f"{rule.outside_rule} ({line.category})", rule.source)
    text = f"{rule.name}: {rate.describe()} ({line.category})"
    source = tuple(dict.fromkeys(rule.source + rate.source))
    return Treatment(rate, text, source, "marketplace", rule.name)


def withhold(context: WithholdingContext) -> list[Withholding]:
    """What the marketplace withholds from this settlement (empty when nothing applies)."""
    step = _step(context.currency)
    return [_withholding(rule, context, step) for rule in rules_applying(context)]


def _category(line: TaxLineInput) -> str:
    if line.category not in TAX_CATEGORIES:
        raise ValueError(
            f"line {line.ref!r}: unknown tax category {line.category!r} "
            f"(expected one of {', '.join(TAX_CATEGORIES)})"
        )
    return line.category


def _cross_border_rule(line: TaxLineInput, context: TaxContext) -> MarketplaceRule | None:
    return next(
        (
            rule
            for rule in MARKETPLACE_RULES
            if rule.country == context.country
            and rule.in_force(context.on)
            and _in_scope(rule, line, context)
        ),
        None,
    )


def _in_scope(rule: MarketplaceRule, line: TaxLineInput, context: TaxContext) -> bool:
    if line.category in rule.excluded_categories:
        return False
    if rule.scope == "foreign_digital":
        foreign = context.seller_country not in (None, context.country)
        return line.category == "digital" and foreign
    imported = context.ships_from not in (None, context.country)
    return line.category != "digital" and imported


def _collected_at_checkout(
    rule: MarketplaceRule, line: TaxLineInput, context: TaxContext, rate: Rate
) -> bool:
    """B2C-only rules skip business buyers; a per-item threshold compares the item's value
    without the tax (the displayed price includes it) — REGIONS pitfall 7."""
    if rule.b2c_only and context.buyer_is_business:
        return False
    if rule.max_unit_price is None:
        return True
    return line.unit_price / (1 + rate.effective) <= rule.max_unit_price


def _line_tax(line: TaxLineInput, treatment: Treatment, step: Decimal) -> LineTax:
    gross = line.unit_price * line.quantity
    rate = Decimal(0) if treatment.rate is None else treatment.rate.effective
    tax = (gross * rate / (1 + rate)).quantize(step, rounding=TAX_ROUNDING)
    return LineTax(
        ref=line.ref,
        tax=tax,
        rate=rate,
        taxable_base=gross - tax,
        rule=treatment.rule,
        source=treatment.source,
    )


def _withholding(rule: WithholdingRule, context: WithholdingContext, step: Decimal) -> Withholding:
    amount = (context.gross * rule.rate).quantize(step, rounding=TAX_ROUNDING)
    return Withholding(
        name=rule.name, rate=rule.rate, amount=amount, rule=rule.rule, source=rule.source
    )


def _describe(country: str, rate: Rate, category: str) -> str:
    """E.g. ``"TH VAT 7%, reduced by royal decree (standard)"``."""
    return f"{country} {rate.describe()}, {rate.treatment} ({category})"


def _step(currency: str) -> Decimal:
    """The smallest displayed amount: 1 for IDR and VND, 0.01 otherwise."""
    return Decimal(1).scaleb(-display_exponent(currency))
