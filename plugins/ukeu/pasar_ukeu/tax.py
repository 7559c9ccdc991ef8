"""The VAT engine: a basket from one seller in, a tax-inclusive ``TaxQuote`` out.

Prices in the UK and the EU are displayed with VAT included (REGIONS pitfall 4; EU Price
Indication Directive [S55]), so the VAT inside a line is ``gross × r / (1 + r)``, rounded per
line half up to the cent: tax authorities round the VAT on an invoice line commercially, and
the amount must never depend on babel's half-even display rounding (REGIONS pitfall 3).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pasar.contracts import LineTax, TaxContext, TaxLineInput, TaxQuote

from pasar_ukeu.data.countries import CURRENCY_OF
from pasar_ukeu.data.marketplace import (
    EU_LOW_VALUE_DUTY,
    EU_RULE,
    UK_RULE,
    DeemedSupplierRule,
    LowValueDuty,
)
from pasar_ukeu.data.vat import VAT, CountryVat

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Liability:
    """Who owes the VAT on a basket, and why."""

    collected_by: Literal["seller", "marketplace"] = "seller"
    rule: str | None = None  # the marketplace rule that moved the liability
    reverse_charge: str | None = None  # set when the business buyer self-accounts
    source: tuple[str, ...] = ()


def quote(context: TaxContext) -> TaxQuote | None:
    """The VAT quote for a served country, ``None`` for any other country."""
    vat = VAT.get(context.country)
    if vat is None:
        return None
    _check_currency(context)
    liability = liability_for(context)
    return TaxQuote(
        currency=context.currency,
        inclusive=True,
        lines=tuple(_line_tax(vat, line, context.on, liability) for line in context.lines),
        collected_by=liability.collected_by,
        marketplace_rule=liability.rule,
        rounding="line",
    )


def consignment_value(context: TaxContext) -> Decimal:
    """The value the £135 / €150 thresholds compare: the sum of the basket's lines, because
    both thresholds are per consignment, not per item (REGIONS pitfall 7)."""
    return sum((line.unit_price * line.quantity for line in context.lines), Decimal(0))


def liability_for(context: TaxContext) -> Liability:
    """Apply the UK or the EU deemed-supplier rule to the basket."""
    if context.country == "GB":
        return _liability(context, UK_RULE, duty=None)
    return _liability(context, EU_RULE, duty=EU_LOW_VALUE_DUTY)


def _liability(
    context: TaxContext, rule: DeemedSupplierRule, duty: LowValueDuty | None
) -> Liability:
    value = consignment_value(context)
    imported = context.ships_from is not None and context.ships_from not in rule.area
    overseas_seller = context.seller_country is not None and context.seller_country not in rule.area
    if imported:
        if value > rule.consignment_threshold:
            return Liability()  # import VAT is paid at the border by the importer
        text, source = _import_rule(context.on, value, rule, duty)
    elif overseas_seller:
        text, source = rule.overseas_seller_rule, rule.source
    else:
        return Liability()
    if context.buyer_is_business:
        return _business_buyer(rule)
    return Liability("marketplace", text, source=source)


def _import_rule(
    on: date, value: Decimal, rule: DeemedSupplierRule, duty: LowValueDuty | None
) -> tuple[str, tuple[str, ...]]:
    """The import rule's text, naming the low-value customs duty once it is in force."""
    if duty is not None and duty.applies(on, value):
        return f"{rule.import_rule}; {duty.note}", rule.source + duty.source
    return rule.import_rule, rule.source


def _business_buyer(rule: DeemedSupplierRule) -> Liability:
    """UK: the business buyer self-accounts (reverse charge). EU: Art. 14a covers supplies to
    consumers only, so the seller charges VAT as usual."""
    if rule.business_buyer_reverse_charge is None:
        return Liability()
    return Liability(reverse_charge=rule.business_buyer_reverse_charge, source=rule.source)


def _line_tax(vat: CountryVat, line: TaxLineInput, on: date, liability: Liability) -> LineTax:
    category = vat.categories.get(line.category)
    if category is None:
        raise ValueError(f"unknown tax category {line.category!r} for {vat.country}")
    gross = line.unit_price * line.quantity
    source = vat.source + liability.source
    if liability.reverse_charge is not None:
        rule = f"{liability.reverse_charge} ({line.category})"
        return LineTax(line.ref, Decimal("0.00"), Decimal(0), gross, rule, source)
    band = vat.bands[category.band]
    rate, dated = band.rate_on(on)
    tax = (gross * rate / (1 + rate)).quantize(_CENT, rounding=ROUND_HALF_UP)
    details = "; ".join(part for part in (line.category, category.note) if part)
    rule = f"{vat.tax_name} {band.label} {percent(rate)}% ({details})"
    if not dated:
        rule += f"; statutory rate, no dated period covers {on.isoformat()}"
    return LineTax(line.ref, tax, rate, gross - tax, rule, source)


def percent(rate: Decimal) -> str:
    """``Decimal("0.055")`` -> ``"5.5"``: the rate as people write it."""
    return format((rate * 100).normalize(), "f")


def _check_currency(context: TaxContext) -> None:
    expected = CURRENCY_OF[context.country]
    if context.currency != expected:
        raise ValueError(
            f"{context.country} VAT is quoted in {expected}, not {context.currency}"
        )
