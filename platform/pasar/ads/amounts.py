"""Micros: how the ads domain counts spend finer than a currency's minor unit.

One CPM impression costs a thousandth of the bid, and a second price derived from another
campaign's click-through rate has no natural precision at all, so spend is counted in integer
millionths of the major unit (``1 GBP = 1_000_000`` micros, as ad platforms do). Integers keep
the guarded UPDATEs exact on every database. Bids, budgets and top-ups a seller types stay
minor units like every price, and convert exactly (ISO exponents are at most 3). Only whole
*display* units reach the ledger: the remainder waits in the account's counter.
"""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from moneyed import Money

from pasar.contracts import CurrencyRules

MICROS = 1_000_000
_EXPONENT = 6


def per_minor(rules: CurrencyRules) -> int:
    """Micros in one stored minor unit (10,000 for GBP's penny, 1,000,000 for VND's dong)."""
    return 10 ** (_EXPONENT - rules.iso_minor_units)


def from_minor(minor: int, rules: CurrencyRules) -> int:
    """Stored minor units as micros (exact)."""
    return minor * per_minor(rules)


def display_unit(rules: CurrencyRules) -> int:
    """Micros in the smallest amount people pay in practice (1 rupiah, not 1 sen)."""
    return 10 ** (_EXPONENT - rules.display_minor_units)


def postable(micros: int, rules: CurrencyRules) -> int:
    """The largest whole number of display units in ``micros``: what the ledger can take."""
    unit = display_unit(rules)
    return micros // unit * unit


def to_decimal(micros: int) -> Decimal:
    """Micros as an exact amount in major units: 5000 → ``Decimal("0.005")``."""
    return Decimal(micros).scaleb(-_EXPONENT)


def to_money(micros: int, currency: str) -> Money:
    return Money(to_decimal(micros), currency)


def ceil_micros(amount: Decimal) -> int:
    """An amount of micros with a fraction, rounded up: a second price is never below the
    runner-up's value (rounding down could let a runner-up's bid buy a slot it lost)."""
    return int(amount.to_integral_value(rounding=ROUND_CEILING))


def shown(micros: int, rules: CurrencyRules) -> Decimal:
    """Micros rounded *down* to the display precision: a balance or spend as people read it
    (a balance never looks larger than what can be spent)."""
    return to_decimal(postable(micros, rules)).quantize(Decimal(1).scaleb(-rules.display_minor_units))
