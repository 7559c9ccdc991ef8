"""Tax questions answered through the tenant's region plugin."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pasar.contracts import TAX_CATEGORIES, TaxContext, TaxLineInput, TaxQuote
from pasar.tenancy.service import TenantContext


class TaxQuestionError(ValueError):
    """The question cannot be answered as asked (unknown category, missing state, ...)."""


def quote_item(
    tenant: TenantContext,
    *,
    category: str,
    price: Decimal,
    on: date,
    state: str | None = None,
    city: str | None = None,
    seller_country: str | None = None,
    ships_from: str | None = None,
) -> TaxQuote:
    """The tax a buyer of ``tenant`` pays on one item displayed at ``price`` on ``on``."""
    if category not in TAX_CATEGORIES:
        raise TaxQuestionError(f"unknown tax category {category!r}; allowed: {', '.join(TAX_CATEGORIES)}")
    context = TaxContext(
        country=tenant.country,
        currency=tenant.currency,
        on=on,
        lines=(TaxLineInput(ref="item", category=category, unit_price=price, quantity=1),),
        subdivision=state.upper() if state else None,
        city=city,
        seller_country=seller_country,
        ships_from=ships_from,
    )
    try:
        quote = tenant.hooks.tax_quote(context)
    except ValueError as exc:  # the plugin says the question is incomplete (e.g. no state)
        raise TaxQuestionError(str(exc)) from exc
    if quote is None:
        raise TaxQuestionError(f"no plugin of tenant {tenant.code!r} answers tax for {tenant.country}")
    return quote


def quote_json(quote: TaxQuote, price: Decimal, on: date, category: str) -> dict[str, Any]:
    """A one-line quote as plain JSON (decimals as strings)."""
    line = quote.lines[0]
    total = price if quote.inclusive else price + line.tax
    return {
        "currency": quote.currency,
        "category": category,
        "date": on.isoformat(),
        "price": str(price),
        "tax": str(line.tax),
        "rate": str(line.rate),
        "inclusive": quote.inclusive,
        "total": str(total),
        "taxable_base": str(line.taxable_base),
        "rule": line.rule,
        "source": list(line.source),
        "collected_by": quote.collected_by,
        "marketplace_rule": quote.marketplace_rule,
        "components": [
            {"name": comp.name, "rate": str(comp.rate), "amount": str(comp.amount)} for comp in line.components
        ],
    }
