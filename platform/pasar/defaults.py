"""The kernel's own hook implementations: fallbacks registered ``trylast`` so any plugin's
answer wins over them."""
from __future__ import annotations

from pasar.contracts import CurrencyRules
from pasar.hookspecs import hookimpl
from pasar.money import fallback_rules


@hookimpl(trylast=True)
def pasar_currency_rules(currency: str, country: str) -> CurrencyRules:
    """ISO 4217 exponent, ``ROUND_HALF_UP``, no cash rounding: right for most currencies."""
    return fallback_rules(currency)
