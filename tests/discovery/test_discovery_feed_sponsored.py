"""Sponsored items in the For You feed: the ads auction's awards take the 3rd and 10th places of
a page, labelled sponsored with their click token and explained "Sponsored"; only the items
actually shown are charged; one the budget cannot pay for leaves its slot to the ranking; and an
ad for something already on the page is not shown twice. The ranked order under the ads — what
the cursor counts — is the same with or without them.

These run on the ads kit's own app (``ads``): each test starts with every earlier campaign ended.
"""
from __future__ import annotations

from typing import Any

from pasar.discovery.feed import SPONSORED_SLOTS


def page(ads: Any, headers: dict[str, str], limit: int = 20, cursor: str | None = None) -> dict[str, Any]:
    args = {"limit": limit, **({"cursor": cursor} if cursor else {})}
    answer = ads.client.get("/api/v1/feed", query_string=args, headers=headers)
    assert answer.status_code == 200, answer.json
    return dict(answer.json)


def advertiser(ads: Any, *, video: bool = False) -> tuple[Any, Any, dict[str, Any]]:
    """A funded shop with a product (and a video of it) and a CPM campaign for one of them."""
    shop = ads.seller()
    product = ads.product(shop)
    ads.fund(shop, "50.00")
    target = {"video_id": ads.video(shop, [product]).id} if video else {"product_id": product.id}
    return shop, product, ads.campaign(shop, billing="cpm", bid="10.00", **target)


def catalogue(ads: Any, count: int = 12) -> None:
    """``count`` products of three shops taking turns (so the diversity rule moves nothing)."""
    shops = [ads.seller() for _ in range(3)]
    for number in range(count):
        ads.product(shops[number % 3])


def test_sponsored_items_take_the_third_and_tenth_places_with_their_click_tokens(ads: Any) -> None:
    _, product, for_product = advertiser(ads)
    _, _, for_video = advertiser(ads, video=True)
    catalogue(ads, 30)  # newer: the advertised things are not on the first page by ranking
    _, buyer = ads.buyer()

    first = page(ads, buyer)
    second = page(ads, buyer, cursor=first["next_cursor"])

    items = first["items"]
    sponsored = [index for index, item in enumerate(items) if item["sponsored"]]
    assert sponsored == list(SPONSORED_SLOTS) and len(items) == 20
    shown = {(items[i]["kind"], items[i]["id"]) for i in sponsored}
    assert ("product", product.id) in shown and ("video", for_video["video_id"]) in shown
    for index in sponsored:
        item = items[index]
        assert item["click_token"] and item["explanation"] == "Sponsored" and item["explanation_code"] == "sponsored"
    video_item = next(items[i] for i in sponsored if items[i]["kind"] == "video")
    assert video_item["video"]["anchors"] and video_item["product"] is not None
    assert all(item["click_token"] is None for item in items if not item["sponsored"])
    assert [ads.day(c["id"])[1] for c in (for_product, for_video)] == [1, 1]  # one impression each, page 1
    organic = [(i["kind"], i["id"]) for p in (first, second) for i in p["items"] if not i["sponsored"]]
    assert len(organic) == len(set(organic))  # the cursor counts ranked items: no repeats across pages

    tapped = ads.client.post("/api/v1/ads/clicks", json={"token": items[sponsored[0]]["click_token"]}, headers=buyer)
    assert tapped.status_code == 200, tapped.json


def test_a_short_page_shows_and_charges_only_the_slots_it_has(ads: Any) -> None:
    campaigns = [advertiser(ads)[2] for _ in range(2)]
    catalogue(ads, 4)

    items = page(ads, {"X-Pasar-Tenant": "uk"}, limit=5)["items"]  # signed out: no buyer, still sponsored

    assert [item["sponsored"] for item in items] == [False, False, True, False, False]
    assert sum(ads.day(c["id"])[1] for c in campaigns) == 1


def test_an_award_the_budget_cannot_pay_leaves_its_slot_to_the_ranking(ads: Any, monkeypatch: Any) -> None:
    campaign = advertiser(ads)[2]
    catalogue(ads)
    _, buyer = ads.buyer()
    ranked_alone = [(i["kind"], i["id"]) for i in page(ads, buyer, limit=12)["items"] if not i["sponsored"]]
    monkeypatch.setattr("pasar.ads.service.record_impressions", lambda *args, **kwargs: [])  # every award over budget

    items = page(ads, buyer, limit=12)["items"]

    assert not any(item["sponsored"] for item in items) and len(items) == 12
    assert [(i["kind"], i["id"]) for i in items][:11] == ranked_alone[:11]
    assert ads.day(campaign["id"])[1] == 1  # only the first page's impression was charged


def test_an_ad_for_something_already_on_the_page_is_not_shown_twice(ads: Any) -> None:
    catalogue(ads, 3)
    shop, product, campaign = advertiser(ads)  # the newest product: first on a cold start

    items = page(ads, {"X-Pasar-Tenant": "uk"}, limit=20)["items"]

    assert [(i["kind"], i["id"]) for i in items].count(("product", product.id)) == 1
    assert not any(item["sponsored"] for item in items)
    assert ads.day(campaign["id"])[1] == 0
