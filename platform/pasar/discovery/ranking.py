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
from operator import attrgetter
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
    every feed request over the whole pool. What does not depend on the buyer or the moment
    (popularity, the live and sponsored lifts, dates as numbers, the tie order) is worked out
    once per candidate tuple (``_prepared``): the feed hands the same tuple for a minute."""
    categories, sellers, creators = (dict(context.category_affinity), dict(context.seller_affinity),
                                     dict(context.creator_affinity))
    now, explain, exp = context.now.timestamp(), EXPLANATIONS, math.exp
    w_category, w_seller, w_creator, w_freshness = (WEIGHTS["category"], WEIGHTS["seller"], WEIGHTS["creator"],
                                                    WEIGHTS["freshness"])
    day = 86400 * FRESHNESS_DAYS
    scored: list[RankedItem] = []
    for c, created, popularity, lift, fixed, category_id, seller_id, creator_id in _prepared(candidates):
        category = w_category * categories.get(category_id, 0.0) if categories and category_id else 0.0
        seller = w_seller * sellers.get(seller_id, 0.0) if sellers and seller_id else 0.0
        creator = w_creator * creators.get(creator_id, 0.0) if creators and creator_id else 0.0
        if created is None:
            fresh = 0.0
        else:
            age = now - created
            fresh = w_freshness * exp(-(age if age > 0.0 else 0.0) / day)
        if fixed is not None:
            reason = fixed
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
        scored.append(RankedItem(c, category + seller + creator + popularity + fresh + lift, explain[reason]))
    scored.sort(key=_score_of, reverse=True)  # stable: ties stay in (kind, id) order
    return diversify(scored)


_score_of = attrgetter("score")
_Row = tuple[FeedCandidate, float | None, float, float, str | None, int | None, int | None, int | None]
_PREPARED: dict[int, tuple[Sequence[FeedCandidate], list[_Row]]] = {}
_PREPARED_KEEP = 16


def _prepared(candidates: Sequence[FeedCandidate]) -> list[_Row]:
    """Per candidate, in (kind, id) order: (candidate, created as a timestamp, weighted
    popularity, live + sponsored lifts, fixed reason, category, seller, creator). Kept for the
    last few tuples seen (a tuple cannot change; the entry holds it, so its id is not reused)."""
    key = id(candidates)
    held = _PREPARED.get(key)
    if held is not None and held[0] is candidates:
        return held[1]
    top = max((c.popularity for c in candidates), default=0.0)
    w_popularity, w_live, w_sponsored = WEIGHTS["popularity"], WEIGHTS["live"], WEIGHTS["sponsored"]
    rows: list[_Row] = [
        (c, c.created_at.timestamp() if c.created_at is not None else None,
         w_popularity * (c.popularity / top) if top > 0 else 0.0,
         (w_live if c.live else 0.0) + (w_sponsored if c.sponsored else 0.0),
         "sponsored" if c.sponsored else "live" if c.live else None, c.category_id, c.seller_id, c.creator_id)
        for c in sorted(candidates, key=lambda c: (c.kind, c.id))
    ]
    if isinstance(candidates, tuple):
        if len(_PREPARED) >= _PREPARED_KEEP:
            _PREPARED.clear()  # a few tenants' pools: forgetting them all now and then is cheap
        _PREPARED[key] = (candidates, rows)
    return rows


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
