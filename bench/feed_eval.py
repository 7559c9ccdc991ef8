"""Offline evaluation of the For You ranker against a popularity baseline.

A generated marketplace with *planted* preferences: every buyer has a favourite category and a
favourite shop and buys mostly there, the rest at random from a popularity-skewed catalogue.
Each buyer's last purchase is held out; the ranker sees the earlier ones (as affinities, the way
``pasar.discovery.feed`` derives them) and everyone's purchases (as popularity), and we count
how often the held-out product is in its top 10 — hit-rate@10 — next to the same count for
"most popular first". The ranker should beat the baseline because it can see the planted taste.

    .venv/bin/python bench/feed_eval.py [--buyers 300] [--products 400] [--seed 7]

No database and no timing: the point is ranking quality, not speed.
"""
from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pasar.contracts import FeedCandidate, FeedContext
from pasar.discovery import signals
from pasar.discovery.ranking import rank

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
K = 10


@dataclass(frozen=True)
class Market:
    products: list[FeedCandidate]
    histories: dict[int, list[int]]  # buyer → product ids bought, oldest first
    held_out: dict[int, int]  # buyer → the product bought last


def generate(buyers: int, products: int, seed: int, *, categories: int = 12, sellers: int = 40,
             purchases: int = 6, loyalty: float = 0.8) -> Market:
    """A catalogue and purchase histories where each buyer's taste is planted."""
    rng = random.Random(seed)
    catalogue = [
        FeedCandidate(kind="product", id=pid, seller_id=rng.randrange(sellers), product_id=pid,
                      category_id=rng.randrange(categories), created_at=NOW - timedelta(days=rng.uniform(0, 60)))
        for pid in range(1, products + 1)
    ]
    weights = [1.0 / (rank_ + 1) ** 0.8 for rank_ in range(products)]  # a long tail of popularity
    by_taste: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_category: dict[int, list[int]] = defaultdict(list)
    for product in catalogue:
        by_taste[(product.category_id, product.seller_id)].append(product.id)  # type: ignore[index]
        by_category[product.category_id].append(product.id)  # type: ignore[index]
    histories: dict[int, list[int]] = {}
    for buyer in range(buyers):
        favourite = rng.choice(catalogue)
        taste = by_taste[(favourite.category_id, favourite.seller_id)] + by_category[favourite.category_id]  # type: ignore[index]
        histories[buyer] = [
            rng.choice(taste) if rng.random() < loyalty else rng.choices(catalogue, weights)[0].id
            for _ in range(purchases)
        ]
    held_out = {buyer: bought.pop() for buyer, bought in histories.items()}
    return Market(catalogue, histories, held_out)


def with_popularity(market: Market) -> list[FeedCandidate]:
    """Candidates carrying how often everyone bought them (the held-out purchases excluded)."""
    counts = Counter(pid for bought in market.histories.values() for pid in bought)
    return [FeedCandidate(**{**c.__dict__, "popularity": float(counts[c.id])}) for c in market.products]


def context_for(buyer: int, bought: Sequence[int], catalogue: dict[int, FeedCandidate]) -> FeedContext:
    """Affinities as the feed derives them (``pasar.discovery.signals``): each unit bought
    weighs ``ORDER_WEIGHT`` toward its category and shop, the largest interest = 1. (Purchases
    here carry no dates, so no time decay; the buyers watch no videos.)"""
    categories: dict[int, float] = defaultdict(float)
    sellers: dict[int, float] = defaultdict(float)
    for pid in bought:
        categories[catalogue[pid].category_id] += signals.ORDER_WEIGHT  # type: ignore[index]
        sellers[catalogue[pid].seller_id] += signals.ORDER_WEIGHT  # type: ignore[index]
    return FeedContext(tenant="bench", country="GB", now=NOW, buyer_id=buyer,
                       category_affinity=signals.scaled(categories), seller_affinity=signals.scaled(sellers))


def hit_rates(market: Market) -> tuple[float, float]:
    """(ranker, popularity baseline) hit-rate@K over every buyer."""
    candidates = with_popularity(market)
    catalogue = {c.id: c for c in candidates}
    popular = [c.id for c in sorted(candidates, key=lambda c: (-c.popularity, c.id))]
    ranker_hits = baseline_hits = 0
    for buyer, bought in market.histories.items():
        seen = set(bought)
        ranked = [item.candidate.id for item in rank(context_for(buyer, bought, catalogue), candidates)]
        target = market.held_out[buyer]
        ranker_hits += target in [pid for pid in ranked if pid not in seen][:K]
        baseline_hits += target in [pid for pid in popular if pid not in seen][:K]
    return ranker_hits / len(market.histories), baseline_hits / len(market.histories)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buyers", type=int, default=300)
    parser.add_argument("--products", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    market = generate(args.buyers, args.products, args.seed)
    ranker, baseline = hit_rates(market)
    print(f"buyers={args.buyers} products={args.products} seed={args.seed}")
    print(f"{'':<22}{'ranker':>10}{'popularity':>12}")
    print(f"{f'hit-rate@{K}':<22}{ranker:>10.3f}{baseline:>12.3f}")


if __name__ == "__main__":
    main()
