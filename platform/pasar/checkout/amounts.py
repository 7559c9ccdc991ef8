"""Money as cart and checkout answers carry it, and the unit conversions pricing needs.

Stored amounts are integer minor units at the ISO exponent; vouchers and per-unit discounts
are split in units of the *display* precision (whole rupiah, never sen nobody can pay), so
this module converts between the two explicitly instead of guessing.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from moneyed import Money

from pasar.contracts import CurrencyRules
from pasar.money import format_money, from_minor, quantize, round_display, to_minor
from pasar.tenancy.service import TenantContext


@dataclass(frozen=True)
class Amounts:
    """The tenant's currency rules and the reader's locale, with conversions around them."""

    currency: str
    rules: CurrencyRules
    locale: str

    @classmethod
    def of(cls, tenant: TenantContext, locale: str | None = None) -> Amounts:
        return cls(tenant.currency, tenant.currency_rules(), locale or tenant.default_locale)

    @property
    def step(self) -> int:
        """Minor units per display unit (IDR: 100 stored sen per shown rupiah)."""
        return 10 ** (self.rules.iso_minor_units - self.rules.display_minor_units)

    def money(self, minor: int) -> Money:
        return from_minor(minor, self.currency, self.rules)

    def decimal(self, minor: int) -> Decimal:
        return self.money(minor).amount

    def minor(self, amount: Decimal) -> int:
        """``amount`` (major units) rounded to the display precision, as stored minor units."""
        return to_minor(round_display(Money(amount, self.currency), self.rules), self.rules)

    def minor_exact(self, amount: Decimal) -> int:
        """``amount`` as minor units; ValueError if it is finer than the currency allows."""
        return to_minor(Money(amount, self.currency), self.rules)

    def display_units(self, minor: int) -> int:
        """``minor`` in display units; it must be at display precision (it always is when it
        came from prices, which are refused finer than that)."""
        units, rest = divmod(minor, self.step)
        if rest:
            raise ValueError(f"{minor} minor units are finer than {self.currency}'s display precision")
        return units

    def percent_of(self, minor: int, percent: Decimal) -> int:
        """``percent`` % of ``minor``, rounded with the currency's rule to what can be paid."""
        exact = self.decimal(minor) * percent / 100
        return self.minor_exact(quantize(exact, self.rules.display_minor_units, self.rules.rounding))

    def json(self, minor: int) -> dict[str, Any]:
        """``{"minor", "amount", "currency", "formatted"}`` — exact and readable at once."""
        money = self.money(minor)
        return {
            "minor": minor,
            "amount": format(money.amount, "f"),
            "currency": self.currency,
            "formatted": format_money(money, self.locale, self.rules),
        }
