"""The sponsored-slot auction: rank bids by expected value per impression, one slot per shop,
each winner paying the second price.

A CPM bid is worth ``bid / 1000`` per impression; a CPC bid is worth ``bid × CTR``, where the
click-through rate is estimated from the campaign's own history shrunk towards a prior
(``PRIOR_CLICKS`` in ``PRIOR_IMPRESSIONS``, a 1 % CTR): a new campaign is neither favoured nor
buried, and a few lucky clicks do not make it unbeatable. Comparing expected value per
impression is what lets the two billings compete for one slot fairly — the platform earns what
the ranking promises.

Generalised second price: after keeping only each shop's best campaign (a shop never bids
against itself, and takes at most one slot of a page), the winner of rank ``i`` pays just enough
to keep its rank — the value of rank ``i + 1``, or the reserve when nobody is below — converted
into its own billing unit and never above its own bid. Pure functions over plain values; the
service loads the bids.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from pasar.ads.amounts import ceil_micros

PRIOR_CLICKS = 1
PRIOR_IMPRESSIONS = 100
MILLE = 1000


def estimated_ctr(impressions: int, clicks: int) -> Decimal:
    """The campaign's click-through rate with the prior mixed in (never 0, never above 1)."""
    return Decimal(clicks + PRIOR_CLICKS) / Decimal(max(impressions, clicks) + PRIOR_IMPRESSIONS)


@dataclass(frozen=True)
class Bid:
    """One eligible campaign's bid as the auction sees it (micros per mille or per click)."""

    campaign_id: int
    seller_id: int
    billing: str  # "cpm" | "cpc"
    bid_micros: int
    ctr: Decimal
    funds: int | None = None  # micros it may still spend (budget left today, balance); None: no limit

    @property
    def value(self) -> Decimal:
        """Expected micros per impression."""
        if self.billing == "cpm":
            return Decimal(self.bid_micros) / MILLE
        return Decimal(self.bid_micros) * self.ctr

    @property
    def ceiling(self) -> int:
        """The most one billed unit (an impression or a click) may cost: the bid itself."""
        return self.bid_micros // MILLE if self.billing == "cpm" else self.bid_micros


@dataclass(frozen=True)
class Win:
    """A slot won, and what one impression (CPM) or one click (CPC) of it costs."""

    bid: Bid
    price_micros: int


def rank(bids: Sequence[Bid], reserve_micros: int) -> list[Bid]:
    """Each shop's best bid worth at least the reserve and able to pay for the cheapest unit it
    could win (a campaign with less left than that would win a slot it cannot fill), best
    first (ties: the older campaign)."""
    able = (b for b in bids if b.value >= reserve_micros
            and (b.funds is None or b.funds >= second_price(b, Decimal(reserve_micros))))
    ordered = sorted(able, key=lambda b: (-b.value, b.campaign_id))
    seen: set[int] = set()
    best: list[Bid] = []
    for bid in ordered:
        if bid.seller_id not in seen:
            seen.add(bid.seller_id)
            best.append(bid)
    return best


def run(bids: Sequence[Bid], slots: int, reserve_micros: int) -> list[Win]:
    """The winners of ``slots`` slots, best first, each with its second price."""
    ranked = rank(bids, reserve_micros)
    wins = []
    for position, bid in enumerate(ranked[:max(slots, 0)]):
        below = ranked[position + 1].value if position + 1 < len(ranked) else Decimal(reserve_micros)
        wins.append(Win(bid, second_price(bid, max(below, Decimal(reserve_micros)))))
    return wins


def second_price(bid: Bid, value_to_beat: Decimal) -> int:
    """What ``bid`` pays per billed unit to be worth ``value_to_beat`` per impression."""
    per_unit = value_to_beat if bid.billing == "cpm" else value_to_beat / bid.ctr
    return max(1, min(ceil_micros(per_unit), bid.ceiling))
