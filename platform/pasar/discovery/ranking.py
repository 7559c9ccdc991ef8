"""The kernel's For You ranker: pure functions over ``pasar.contracts`` values.

Registered ``trylast`` behind ``pasar_rank_feed`` (``pasar.defaults``), so a plugin may replace
it. Score of a candidate, every part in ``[0, 1]`` before its weight:

* affinity — the buyer's interest in its category, seller and creator (0 on a cold start),
  learnt from orders, the cart and what the buyer watched, liked, shared and clicked;
* popularity — its time-decayed popularity relative to the most popular candidate (the kernel
  hands it in already scaled per kind: see ``pasar.discovery.signals``);
* freshness — ``exp(-age / 3 days)``: new things get a chance before they have a history;
* live — a session on air now is worth more now than ever again;
* sponsored — a paid slot gets a small lift; where it is placed is the auction's business.

Then diversity: no more than ``MAX_RUN`` items in a row from one seller, taking the best item
of another seller instead when one is left. Each item says why it is there: its largest part.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from pasar.contracts import FeedCandidate, FeedContext, RankedItem

WEIGHTS: dict[str, float] = {
    "category": 3.0, "seller": 2.0, "creator": 2.0, "popularity": 1.5, "freshness": 0.75,
    "live": 2.0, "sponsored": 0.5,
}
FRESHNESS_DAYS = 3.0
MAX_RUN = 2
#: Reason → the English explanation (the contract's text; ``pasar.discovery.explain`` turns it
#: into the buyer's language, with the category's, shop's or creator's name).
EXPLANATIONS: dict[str, str] = {
    "category": "Because you like this category",
    "seller": "Because you like this shop",
    "creator": "Because you watched this creator",
    "popularity": "Popular right now",
    "freshness": "New arrival",
    "live": "Live now",
    "sponsored": "Sponsored",
}


def rank(context: FeedContext, candidates: Sequence[FeedCandidate]) -> list[RankedItem]:
    """Every candidate, scored, best first, with the seller diversity rule applied.

    The same arithmetic as ``parts`` and the same reason as ``_score``, inlined: this runs on
    every feed request over the whole pool, so it avoids a dict and a ``max`` per candidate."""
    top = max((c.popularity for c in candidates), default=0.0)
    # Plain dicts (the context's are read-only proxies, slower to look up in).
    categories, sellers, creators = (dict(context.category_affinity), dict(context.seller_affinity),
                                     dict(context.creator_affinity))
    now, explain, exp = context.now, EXPLANATIONS, math.exp
    w_category, w_seller, w_creator = WEIGHTS["category"], WEIGHTS["seller"], WEIGHTS["creator"]
    w_popularity, w_freshness, w_live, w_sponsored = (WEIGHTS["popularity"], WEIGHTS["freshness"], WEIGHTS["live"],
                                                      WEIGHTS["sponsored"])
    scored: list[RankedItem] = []
    for c in candidates:
        category = w_category * categories.get(c.category_id, 0.0) if categories and c.category_id else 0.0
        seller = w_seller * sellers.get(c.seller_id, 0.0) if sellers and c.seller_id else 0.0
        creator = w_creator * creators.get(c.creator_id, 0.0) if creators and c.creator_id else 0.0
        popularity = w_popularity * (c.popularity / top) if top > 0 else 0.0
        if c.created_at is None:
            fresh = 0.0
        else:
            age = (now - c.created_at).total_seconds()
            fresh = w_freshness * exp(-((age if age > 0.0 else 0.0) / 86400) / FRESHNESS_DAYS)
        live = w_live if c.live else 0.0
        sponsored = w_sponsored if c.sponsored else 0.0
        if c.sponsored:
            reason = "sponsored"
        elif c.live:
            reason = "live"
        else:  # the first largest in REASON_ORDER
            best, reason = creator, "creator"
            if seller > best:
                best, reason = seller, "seller"
            if category > best:
                best, reason = category, "category"
            if popularity > best:
                best, reason = popularity, "popularity"
            if fresh > best:
                reason = "freshness"
        total = category + seller + creator + popularity + fresh + live + sponsored
        scored.append(RankedItem(c, total, explain[reason]))
    scored.sort(key=lambda item: (-item.score, item.candidate.kind, item.candidate.id))
    return diversify(scored)


def parts(context: FeedContext, candidate: FeedCandidate, top_popularity: float) -> dict[str, float]:
    """The weighted parts of a candidate's score, by name."""
    raw = {
        "category": context.category_affinity.get(candidate.category_id, 0.0) if candidate.category_id else 0.0,
        "seller": context.seller_affinity.get(candidate.seller_id, 0.0) if candidate.seller_id else 0.0,
        "creator": context.creator_affinity.get(candidate.creator_id, 0.0) if candidate.creator_id else 0.0,
        "popularity": candidate.popularity / top_popularity if top_popularity > 0 else 0.0,
        "freshness": freshness(candidate.created_at, context.now),
        "live": 1.0 if candidate.live else 0.0,
        "sponsored": 1.0 if candidate.sponsored else 0.0,
    }
    return {name: WEIGHTS[name] * value for name, value in raw.items()}


def freshness(created_at: datetime | None, now: datetime) -> float:
    """1 for something made now, halving roughly every two days."""
    if created_at is None:
        return 0.0
    age_days = max((now - created_at).total_seconds(), 0.0) / 86400
    return math.exp(-age_days / FRESHNESS_DAYS)


#: Which reason explains an item when two parts weigh the same: the most personal first.
REASON_ORDER: tuple[str, ...] = ("creator", "seller", "category", "popularity", "freshness", "live", "sponsored")


def _score(context: FeedContext, candidate: FeedCandidate, top: float) -> RankedItem:
    weighted = parts(context, candidate, top)
    reason = "sponsored" if candidate.sponsored else "live" if candidate.live else max(REASON_ORDER, key=weighted.__getitem__)
    return RankedItem(candidate, sum(weighted.values()), EXPLANATIONS[reason])


def diversify(items: Sequence[RankedItem], max_run: int = MAX_RUN) -> list[RankedItem]:
    """Keep the order, except that a seller's ``max_run + 1``-th item in a row is pushed back
    behind the best item of another seller (when any is left)."""
    pending = list(items)
    pending.reverse()  # the next item is the last: popping it is cheap
    placed: list[RankedItem] = []
    last: int | None = None
    run = 0  # how many of the last placed items in a row are ``last``'s
    while pending:
        if last is not None and run >= max_run:
            index = len(pending) - 1
            while index >= 0 and pending[index].candidate.seller_id == last:
                index -= 1
            item = pending.pop(index if index >= 0 else -1)
        else:
            item = pending.pop()
        seller = item.candidate.seller_id
        if seller == last:
            run += 1
        else:
            last, run = seller, 1
        placed.append(item)
    return placed
