"""The shapes of the US sales-tax facts: levies with dated rates, category rules, states and
localities. The facts themselves are in ``pasar_us.data.tax_rates``."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class RatePeriod:
    """A rate and the days it is in force (``valid_to`` inclusive; ``None``: until changed)."""

    rate: Decimal
    valid_from: date
    valid_to: date | None
    source: tuple[str, ...]

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Levy:
    """One tax inside a line's total: a state's sales tax or a local add-on.

    ``name`` is shown on receipts (it is in the plugin's catalog); ``periods`` are ordered by
    date and do not overlap.
    """

    name: str
    periods: tuple[RatePeriod, ...]

    def period_on(self, day: date) -> tuple[RatePeriod, bool]:
        """The period in force on ``day`` and ``True``; for a day outside every period, the
        nearest period and ``False`` — a checkout must still get an answer, and the rule says
        that the rate was not on file for that day."""
        for period in self.periods:
            if period.covers(day):
                return period, True
        if day < self.periods[0].valid_from:
            return self.periods[0], False
        return self.periods[-1], False


@dataclass(frozen=True)
class CategoryRule:
    """How a state treats one kernel tax category.

    ``exempt_below``: the exemption covers only items whose unit price is strictly below it
    (New York's clothing exemption is per item under $110 [S61]); ``taxed_note`` explains the
    rule for an item at or above that price.
    """

    taxable: bool
    note: str = ""
    source: tuple[str, ...] = ()
    exempt_below: Decimal | None = None
    taxed_note: str = ""

    def exempts(self, unit_price: Decimal) -> bool:
        if self.taxable:
            return False
        return self.exempt_below is None or unit_price < self.exempt_below

    def note_for(self, unit_price: Decimal) -> str:
        """The note that explains this item's treatment."""
        if not self.taxable and not self.exempts(unit_price):
            return self.taxed_note
        return self.note


@dataclass(frozen=True)
class StateTax:
    """A state's sales tax: its levy (``None`` where there is no state sales tax), its rules
    per kernel category, and the marketplace-facilitator law that makes the platform collect."""

    code: str
    name: str
    levy: Levy | None
    categories: Mapping[str, CategoryRule]
    source: tuple[str, ...]
    marketplace_law: str | None = None
    marketplace_source: tuple[str, ...] = ()
    marketplace_note: str = ""
    has_local_taxes: bool = True  # whether cities or counties add their own sales tax
    note: str = ""


@dataclass(frozen=True)
class Locality:
    """A city with a well-known local add-on. Local levies follow the state's category
    exemptions: true of every locality in the table (NYC exempts clothing under $110 [S61])."""

    state: str
    name: str
    aliases: tuple[str, ...]
    levies: tuple[Levy, ...]
    note: str = ""
