"""US sales tax on a basket: destination state plus a well-known local rate, added on top of
the tax-exclusive price.

Per line: tax = unit price × quantity × (state rate + local rates), rounded ROUND_HALF_UP to the
cent. The line's components show each levy, rounded so that they add up to the line's tax.

Not modelled (the ``TaxContext`` carries no origin address or exemption certificate): origin
sourcing of local tax for in-state Texas sellers [S62], California's hybrid sourcing
(unverified), and resale certificates of business buyers.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pasar.contracts import LineTax, TaxComponent, TaxContext, TaxLineInput, TaxQuote

from pasar_us.data.states import state_code
from pasar_us.data.tax_rates import LOCALITIES, STATES, normalise_city
from pasar_us.data.tax_types import CategoryRule, Levy, Locality, RatePeriod, StateTax

COUNTRY = "US"
CURRENCY = "USD"
_CENT = Decimal("0.01")


def quote(context: TaxContext) -> TaxQuote | None:
    """The sales tax on ``context``'s basket, or ``None`` outside the United States.

    Raises ``ValueError`` when the destination state is missing or has no data here: a US rate
    depends on the state, and a silent 0% would under-collect.
    """
    if context.country != COUNTRY:
        return None
    if context.currency != CURRENCY:
        raise ValueError(f"US tax is quoted in USD, not {context.currency}")
    state = destination_state(context.subdivision)
    locality = find_locality(state, context.city)
    lines = tuple(_line_tax(state, locality, line, context) for line in context.lines)
    collects = state.levy is not None
    return TaxQuote(
        currency=CURRENCY,
        inclusive=False,
        lines=lines,
        collected_by="marketplace" if collects else "seller",
        marketplace_rule=_marketplace_rule(state) if collects else None,
        rounding="line",
    )


def destination_state(subdivision: str | None) -> StateTax:
    """The tax facts of the destination state named by ``subdivision``."""
    if not subdivision:
        raise ValueError("US tax needs the destination state (subdivision)")
    code = state_code(subdivision)
    if code is None or code not in STATES:
        supported = ", ".join(sorted(STATES))
        raise ValueError(f"no US sales tax data for state {subdivision!r}; supported: {supported}")
    return STATES[code]


def find_locality(state: StateTax, city: str | None) -> Locality | None:
    """The local add-ons for ``city`` in ``state``; ``None`` when the table has none (the state
    rate alone applies and the rule says so)."""
    if not city:
        return None
    return LOCALITIES.get((state.code, normalise_city(city)))


def _line_tax(
    state: StateTax, locality: Locality | None, line: TaxLineInput, context: TaxContext
) -> LineTax:
    _check_line(line)
    try:
        category = state.categories[line.category]
    except KeyError:
        raise ValueError(f"line {line.ref!r}: unknown tax category {line.category!r}") from None
    base = line.unit_price * line.quantity
    levies = _levies(state, locality)
    dated = [levy.period_on(context.on) for levy in levies]
    exempt = category.exempts(line.unit_price)
    rates = [Decimal(0) if exempt else period.rate for period, _ in dated]
    rate = sum(rates, Decimal(0))
    tax = round_cents(base * rate)
    return LineTax(
        ref=line.ref,
        tax=tax,
        rate=rate,
        taxable_base=base,
        rule=_rule(state, locality, line, context, rate, category, all(ok for _, ok in dated)),
        source=_sources(state, category, [period for period, _ in dated]),
        components=_components(levies, rates, base, tax),
    )


def _check_line(line: TaxLineInput) -> None:
    if line.quantity < 1:
        raise ValueError(f"line {line.ref!r}: quantity must be at least 1")
    if line.unit_price < 0:
        raise ValueError(f"line {line.ref!r}: unit price must not be negative")


def _levies(state: StateTax, locality: Locality | None) -> tuple[Levy, ...]:
    own = () if state.levy is None else (state.levy,)
    return own + (locality.levies if locality else ())


def round_cents(amount: Decimal) -> Decimal:
    """Cents, half up: the rounding US states prescribe for sales tax."""
    return amount.quantize(_CENT, rounding=ROUND_HALF_UP)


def _components(
    levies: tuple[Levy, ...], rates: list[Decimal], base: Decimal, tax: Decimal
) -> tuple[TaxComponent, ...]:
    """Each levy's share of ``tax``, rounded to the cent so that the shares add up to it."""
    exact = [base * rate for rate in rates]
    amounts = _allocate(exact, tax)
    return tuple(
        TaxComponent(name=levy.name, rate=rate, amount=amount)
        for levy, rate, amount in zip(levies, rates, amounts, strict=True)
    )


def _allocate(exact: list[Decimal], total: Decimal) -> list[Decimal]:
    """Round each share half up; if they then miss ``total`` by a cent, move that cent to
    the share its own rounding pushed furthest the wrong way. (A line has at most three levies
    here; three shares rounded apart differ from the rounded whole by at most one cent, and the
    share that rounded up the most is at least a cent, so no share turns negative.)"""
    amounts = [round_cents(share) for share in exact]
    difference = total - sum(amounts, Decimal(0))
    if difference and amounts:
        errors = [amount - share for amount, share in zip(amounts, exact, strict=True)]
        sign = -1 if difference < 0 else 1
        pick = min(range(len(amounts)), key=lambda i: sign * errors[i])
        amounts[pick] += difference
    return amounts


def _marketplace_rule(state: StateTax) -> str:
    """Why the platform collects: the state's marketplace-facilitator law."""
    rule = (
        f"{state.marketplace_law}: the marketplace collects and remits {state.name} sales tax "
        "on its third-party sellers' sales"
    )
    return f"{rule}; {state.marketplace_note}" if state.marketplace_note else rule


def _rule(
    state: StateTax,
    locality: Locality | None,
    line: TaxLineInput,
    context: TaxContext,
    rate: Decimal,
    category: CategoryRule,
    rates_on_file: bool,
) -> str:
    """E.g. ``"US-NY sales tax 8.875% (clothing, New York City): ..."``."""
    place = f", {locality.name}" if locality else ""
    notes = [category.note_for(line.unit_price), *_place_notes(state, locality, context.city)]
    if not rates_on_file:
        notes.append(f"no rate on file for {context.on.isoformat()}: nearest rate on file applied")
    head = f"US-{state.code} sales tax {percent(rate)}% ({line.category}{place})"
    notes = [note for note in notes if note]
    return f"{head}: {'; '.join(notes)}" if notes else head


def _place_notes(state: StateTax, locality: Locality | None, city: str | None) -> list[str]:
    """What the rule must say about local tax: the locality's caveat, or that only the state
    rate was applied where the state has local taxes the table lacks."""
    if locality is not None:
        return [locality.note]
    if state.levy is None or not state.has_local_taxes:
        return [state.note]
    missing = f"no local rate on file for {city!r}" if city else "no city given"
    return [f"{missing}: state rate only", state.note]


def percent(rate: Decimal) -> str:
    """``Decimal("0.08875")`` -> ``"8.875"``; ``Decimal("0.06")`` -> ``"6"``."""
    return format((rate * 100).normalize(), "f")


def _sources(
    state: StateTax, category: CategoryRule, periods: list[RatePeriod]
) -> tuple[str, ...]:
    """Every REGIONS ID behind the line, in first-seen order without repeats."""
    ids = [*state.source, *category.source, *(i for period in periods for i in period.source)]
    if state.levy is not None:
        ids.extend(state.marketplace_source)
    return tuple(dict.fromkeys(ids))
