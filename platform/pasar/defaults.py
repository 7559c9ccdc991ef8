"""The kernel's own hook implementations: fallbacks registered ``trylast`` so any plugin's
answer wins over them."""
from __future__ import annotations

from collections.abc import Sequence

from pasar.contracts import CurrencyRules, FeedCandidate, FeedContext, RankedItem
from pasar.hookspecs import hookimpl
from pasar.money import fallback_rules


@hookimpl(trylast=True)
def pasar_currency_rules(currency: str, country: str) -> CurrencyRules:
    """ISO 4217 exponent, ``ROUND_HALF_UP``, no cash rounding: right for most currencies."""
    return fallback_rules(currency)


@hookimpl(trylast=True)
def pasar_rank_feed(context: FeedContext, candidates: Sequence[FeedCandidate]) -> list[RankedItem]:
    """Affinity, decayed popularity, freshness and live boost, ≤ 2 in a row per seller."""
    from pasar.discovery.ranking import rank

    return rank(context, candidates)
