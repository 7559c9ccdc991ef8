"""The For You feed: personalised by what the buyer shops, never more than two items in a row
from one shop, an explanation on every item, cursor pages without repeats, and a ranker a
plugin can replace through ``pasar_rank_feed``."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pasar import hookimpl
from pasar.contracts import FeedCandidate, FeedContext, RankedItem
from pasar.discovery.ranking import EXPLANATIONS, REASON_ORDER, diversify, parts, rank


def whole_feed(client: Any, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every page of the feed, following the cursor."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        args = {"limit": 50, **({"cursor": cursor} if cursor else {})}
        answer = client.get("/api/v1/feed", query_string=args, headers=headers)
        assert answer.status_code == 200, answer.json
        items += answer.json["items"]
        cursor = answer.json["next_cursor"]
        if cursor is None:
            return items


def position(items: list[dict[str, Any]], product_id: int) -> int:
    return [item["id"] for item in items].index(product_id)


def test_a_buyers_cart_lifts_that_shops_products_above_newer_ones(client, login, make_seller, make_product, commerce) -> None:
    liked, other = make_seller("ph"), make_seller("ph")
    in_cart = make_product(liked)
    older = make_product(liked)
    newer = make_product(other)
    _, buyer = login("ph", "buyer")
    commerce.add_to_cart(buyer, in_cart.variant_id)
    cold = whole_feed(client, {"X-Pasar-Tenant": "ph"})
    warm = whole_feed(client, buyer)
    assert position(cold, newer.id) < position(cold, older.id)
    assert position(warm, older.id) < position(warm, newer.id)
    explained = warm[position(warm, older.id)]
    shop_name = explained["product"]["seller_name"]
    assert (explained["explanation_code"], explained["explanation_params"]) == ("seller", {"seller": shop_name})
    assert explained["explanation"] == f"Dahil gusto mo ang {shop_name}"  # in the buyer's Filipino


def test_no_shop_fills_more_than_two_places_in_a_row(client, make_seller, make_product) -> None:
    busy, quiet = make_seller("sg"), make_seller("sg")
    make_product(quiet)
    for _ in range(5):
        make_product(busy)
    sellers = [item["seller_id"] for item in whole_feed(client, {"X-Pasar-Tenant": "sg"})]
    for index in range(2, len(sellers)):
        if sellers[index] == sellers[index - 1] == sellers[index - 2]:
            assert set(sellers[index:]) == {sellers[index]}, "a run of three while another shop was left"


def test_every_item_explains_itself_and_pages_never_repeat(client, make_seller, make_product) -> None:
    seller = make_seller("my")
    made = {make_product(seller).id for _ in range(3)}
    first = client.get("/api/v1/feed", query_string={"limit": 2}, headers={"X-Pasar-Tenant": "my"}).json
    items = whole_feed(client, {"X-Pasar-Tenant": "my"})
    keys = [(item["kind"], item["id"]) for item in items]  # the shared app may hold other tests' lives
    assert len(keys) == len(set(keys)) and made <= {i for kind, i in keys if kind == "product"}
    assert all(item["explanation"] for item in items)
    assert all(item["product"]["id"] == item["id"] for item in items if item["kind"] == "product")
    assert len(first["items"]) == 2 and first["next_cursor"]


def test_a_broken_cursor_is_a_problem_naming_it(client) -> None:
    answer = client.get("/api/v1/feed", query_string={"cursor": "not-a-cursor"}, headers={"X-Pasar-Tenant": "uk"})
    assert answer.status_code == 422 and "cursor" in answer.json["errors"]


class ReverseRanker:
    """A test plugin: newest id first, with its own explanation."""

    @hookimpl
    def pasar_rank_feed(self, context: FeedContext, candidates: list[FeedCandidate]) -> list[RankedItem]:
        ordered = sorted(candidates, key=lambda c: c.id)
        return [RankedItem(c, float(i), "chosen by the test ranker") for i, c in enumerate(ordered)]


@contextmanager
def plugin(app: Any, obj: object) -> Iterator[None]:
    pm = app.extensions["pasar.plugins"].pm
    pm.register(obj, name="test-feed-ranker")
    try:
        yield
    finally:
        pm.unregister(name="test-feed-ranker")


def test_a_plugin_ranker_replaces_the_kernels(app, client, make_seller, make_product) -> None:
    seller = make_seller("uk")
    make_product(seller)
    with plugin(app, ReverseRanker()):
        items = whole_feed(client, {"X-Pasar-Tenant": "uk"})
    ids = [item["id"] for item in items]
    assert ids == sorted(ids)
    assert {item["explanation"] for item in items} == {"chosen by the test ranker"}


def candidate(ident: int, seller: int, **fields: Any) -> FeedCandidate:
    return FeedCandidate(kind="product", id=ident, seller_id=seller, product_id=ident, **fields)


def test_diversify_pushes_the_third_in_a_row_behind_another_shop() -> None:
    items = [RankedItem(candidate(i, seller), 10.0 - i, "x") for i, seller in enumerate([1, 1, 1, 1, 2, 2])]
    assert [item.candidate.seller_id for item in diversify(items)] == [1, 1, 2, 1, 1, 2]


def test_a_cold_start_ranks_popular_and_fresh_and_lives_get_a_boost() -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    context = FeedContext(tenant="uk", country="GB", now=now)
    stale_hit = candidate(1, 1, created_at=now - timedelta(days=60), popularity=9.0)
    fresh = candidate(2, 2, created_at=now)
    old = candidate(3, 3, created_at=now - timedelta(days=60))
    live = FeedCandidate(kind="live", id=4, seller_id=4, created_at=now - timedelta(days=60), live=True)
    ranked = rank(context, [old, fresh, stale_hit, live])
    assert context.cold_start
    assert [item.candidate.id for item in ranked] == [4, 1, 2, 3]
    assert [item.explanation for item in ranked[:3]] == ["Live now", "Popular right now", "New arrival"]


def test_each_ranked_item_scores_its_parts_and_is_explained_by_the_largest() -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    context = FeedContext(tenant="uk", country="GB", now=now, buyer_id=7, category_affinity={10: 1.0, 11: 0.4},
                          seller_affinity={1: 0.5}, creator_affinity={30: 1.0})
    candidates = [
        candidate(i, 1 + i % 3, category_id=10 + i % 4, created_at=now - timedelta(days=i % 9),
                  popularity=(i % 5) / 4, creator_id=30 if i % 7 == 0 else None)
        for i in range(1, 40)
    ] + [FeedCandidate(kind="live", id=99, seller_id=2, created_at=now, live=True)]
    ranked = rank(context, candidates)
    top = max(c.popularity for c in candidates)

    assert sorted(item.candidate.id for item in ranked) == sorted(c.id for c in candidates)
    for item in ranked:
        weighted = parts(context, item.candidate, top)
        expected = "live" if item.candidate.live else max(REASON_ORDER, key=weighted.__getitem__)
        assert item.score == pytest.approx(sum(weighted.values()), rel=1e-9)
        assert item.explanation == EXPLANATIONS[expected]
    assert diversify(sorted(ranked, key=lambda i: (-i.score, i.candidate.kind, i.candidate.id))) == ranked
    assert rank(context, tuple(candidates)) == rank(context, tuple(candidates)) == ranked  # kept or not, the same
