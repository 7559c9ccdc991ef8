"""Campaigns through the seller's endpoints: every bad field is named, Spark campaigns need a
valid code their creator issued, status moves once, and nobody reaches another's campaign."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from pasar import clock
from pasar.testing.ads_factories import campaign_body

CAMPAIGNS = "/api/v1/seller/ads/campaigns"
CODES = "/api/v1/creator/ads/spark-codes"


def post_campaign(ads: Any, seller: Any, **fields: Any) -> Any:
    return ads.client.post(CAMPAIGNS, json=campaign_body(**fields), headers=seller.headers)


def spark_setup(ads: Any) -> tuple[Any, Any, Any, Any]:
    """A shop, its product, a creator promoting it and the creator's approved video of it."""
    shop = ads.seller()
    product = ads.product(shop)
    creator = ads.creator()
    ads.collaborate(shop, product, creator)
    return shop, product, creator, ads.video(creator, [product])


def issue(ads: Any, creator: Any, video_id: int, **fields: Any) -> Any:
    return ads.client.post(CODES, json={"video_id": video_id, **fields}, headers=creator.headers)


# --- validation ---------------------------------------------------------------------------------
def test_a_campaign_with_bad_terms_is_refused_naming_every_field_at_fault(ads: Any) -> None:
    shop = ads.seller()
    ends = (clock.now() - timedelta(hours=1)).isoformat()
    answer = post_campaign(ads, shop, product_id=999_999, bid="-1", daily_budget="lots", ends_at=ends,
                           categories=[999_999], countries=["GB", "XX"], name="  ")

    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert set(answer.json["errors"]) == {"name", "product_id", "bid", "daily_budget", "ends_at", "categories.0",
                                          "countries.1"}
    assert answer.json["errors"]["product_id"] == ["no such product of your shop"]
    assert answer.json["errors"]["countries.1"] == ["not an ISO 3166 country code"]


def test_bids_must_reach_the_reserve_and_a_cpc_budget_must_pay_for_one_click(ads: Any) -> None:
    shop = ads.seller()
    product = ads.product(shop)

    cpm = post_campaign(ads, shop, product_id=product.id, billing="cpm", bid="0.50")
    cpc = post_campaign(ads, shop, product_id=product.id, billing="cpc", bid="2.00", daily_budget="1.00")
    fine = post_campaign(ads, shop, product_id=product.id, billing="cpc", bid="0.01", daily_budget="1.00")

    assert cpm.status_code == 422 and cpm.json["errors"] == {"bid": ["at least 1 GBP per 1000 impressions"]}
    assert cpc.status_code == 422 and set(cpc.json["errors"]) == {"daily_budget"}
    assert fine.status_code == 201, fine.json


def test_an_in_feed_campaign_shows_exactly_one_thing_of_the_sellers_own(ads: Any) -> None:
    shop, stranger = ads.seller(), ads.seller()
    theirs = ads.product(stranger)
    mine = ads.product(shop)
    their_video = ads.video(stranger, [theirs])

    both = post_campaign(ads, shop, product_id=mine.id, video_id=their_video.id)
    neither = post_campaign(ads, shop)
    foreign_product = post_campaign(ads, shop, product_id=theirs.id)
    foreign_video = post_campaign(ads, shop, video_id=their_video.id)
    with_code = post_campaign(ads, shop, product_id=mine.id, spark_code="ABCDEFGHJKLM")
    draft = ads.product(shop, status="draft")
    unsellable = post_campaign(ads, shop, product_id=draft.id)

    assert both.status_code == neither.status_code == 422
    assert "video_id" in both.json["errors"] and "product_id" in neither.json["errors"]
    assert foreign_product.json["errors"] == {"product_id": ["no such product of your shop"]}
    assert foreign_video.json["errors"] == {"video_id": ["no such video of your shop"]}
    assert with_code.json["errors"] == {"spark_code": ["only Spark campaigns take a code"]}
    assert unsellable.json["errors"] == {"product_id": ["the product is not for sale"]}


def test_a_body_may_not_set_what_only_the_platform_sets(ads: Any) -> None:
    shop = ads.seller()
    product = ads.product(shop)

    answer = post_campaign(ads, shop, product_id=product.id, seller_id=shop.id, status="paused")

    assert answer.status_code == 422
    assert set(answer.json["errors"]) == {"seller_id", "status"}


def test_a_campaign_answers_its_terms_and_delivery(ads: Any) -> None:
    shop = ads.seller()
    category = ads.category("garden")
    product = ads.product(shop, category_id=category)

    made = ads.campaign(shop, product_id=product.id, billing="cpc", bid="0.25", daily_budget="5.00",
                        categories=[category], countries=["gb"])

    assert made["kind"] == "in_feed" and made["product_id"] == product.id
    assert (made["billing"], made["bid"], made["daily_budget"], made["currency"]) == ("cpc", "0.25", "5.00", "GBP")
    assert (made["categories"], made["countries"]) == ([category], ["GB"])
    assert made["status"] == "active" and made["delivery"] == "no_balance"  # nothing topped up yet
    assert made["today"] == {"spent": "0.00", "impressions": 0, "clicks": 0}


# --- Spark codes --------------------------------------------------------------------------------
def test_a_spark_campaign_boosts_the_creators_video_with_the_code_the_creator_issued(ads: Any) -> None:
    shop, product, creator, video = spark_setup(ads)
    code = issue(ads, creator, video.id, days=30)
    assert code.status_code == 201, code.json
    assert code.json["state"] == "active" and code.json["reusable"] is False

    made = post_campaign(ads, shop, kind="spark", spark_code=code.json["code"].lower())

    assert made.status_code == 201, made.json
    assert (made.json["video_id"], made.json["creator_id"]) == (video.id, creator.id)
    listed = ads.client.get(CODES, headers=creator.headers).json
    assert [(c["code"], c["uses"], c["state"]) for c in listed] == [(code.json["code"], 1, "used")]


def test_a_wrong_used_revoked_or_expired_spark_code_is_refused(ads: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    shop, product, creator, video = spark_setup(ads)
    once = issue(ads, creator, video.id).json["code"]
    revoked = issue(ads, creator, video.id).json
    short = issue(ads, creator, video.id, days=1).json["code"]
    ads.client.post(f"{CODES}/{revoked['id']}/revoke", headers=creator.headers)

    assert post_campaign(ads, shop, kind="spark", spark_code=once).status_code == 201
    used = post_campaign(ads, shop, kind="spark", spark_code=once)
    wrong = post_campaign(ads, shop, kind="spark", spark_code="NOTACODE2345")
    missing = post_campaign(ads, shop, kind="spark")
    withdrawn = post_campaign(ads, shop, kind="spark", spark_code=revoked["code"])
    later = clock.now() + timedelta(days=2)
    monkeypatch.setattr(clock, "now", lambda: later)
    expired = post_campaign(ads, shop, kind="spark", spark_code=short)

    assert used.json["errors"] == {"spark_code": ["this code was already used"]}
    assert wrong.json["errors"] == {"spark_code": ["no such Spark code"]}
    assert missing.json["errors"] == {"spark_code": ["a Spark campaign needs the code the creator issued"]}
    assert withdrawn.json["errors"] == {"spark_code": ["the creator revoked this code"]}
    assert expired.json["errors"] == {"spark_code": ["this code has expired"]}
    assert {used.status_code, wrong.status_code, missing.status_code, withdrawn.status_code, expired.status_code} == {422}


def test_a_reusable_code_authorises_several_campaigns(ads: Any) -> None:
    shop, product, creator, video = spark_setup(ads)
    code = issue(ads, creator, video.id, reusable=True).json["code"]

    first = post_campaign(ads, shop, kind="spark", spark_code=code)
    second = post_campaign(ads, shop, kind="spark", spark_code=code)

    assert (first.status_code, second.status_code) == (201, 201)


def test_a_spark_video_must_sell_the_shops_own_products(ads: Any) -> None:
    shop, product, creator, video = spark_setup(ads)
    other_shop = ads.seller()
    code = issue(ads, creator, video.id, reusable=True).json["code"]

    answer = post_campaign(ads, other_shop, kind="spark", spark_code=code)

    assert answer.status_code == 422
    assert answer.json["errors"] == {"spark_code": ["the video links none of your products"]}


def test_only_the_videos_creator_may_issue_its_code(ads: Any) -> None:
    shop, product, creator, video = spark_setup(ads)
    someone_else = ads.creator()
    own_shop_video = ads.video(shop, [product])

    not_theirs = issue(ads, someone_else, video.id)
    shops_video = issue(ads, creator, own_shop_video.id)
    not_a_creator = issue(ads, shop, video.id)
    too_long = issue(ads, creator, video.id, days=400)

    assert not_theirs.status_code == shops_video.status_code == 422
    assert not_theirs.json["errors"] == {"video_id": ["no such video of yours"]}
    assert not_a_creator.status_code == 403
    assert too_long.status_code == 422 and "days" in too_long.json["errors"]


# --- lifecycle ----------------------------------------------------------------------------------
def test_pause_resume_and_end_each_move_once(ads: Any) -> None:
    shop = ads.seller()
    made = ads.campaign(shop, product_id=ads.product(shop).id)
    url = f"{CAMPAIGNS}/{made['id']}"

    paused = ads.client.post(f"{url}/pause", headers=shop.headers)
    paused_again = ads.client.post(f"{url}/pause", headers=shop.headers)
    resumed = ads.client.post(f"{url}/resume", headers=shop.headers)
    ended = ads.client.post(f"{url}/end", headers=shop.headers)
    resumed_after_end = ads.client.post(f"{url}/resume", headers=shop.headers)
    changed_after_end = ads.client.patch(url, json={"daily_budget": "9.00"}, headers=shop.headers)

    assert (paused.status_code, paused.json["status"], paused.json["delivery"]) == (200, "paused", "paused")
    assert paused_again.status_code == 409 and "status" in paused_again.json["errors"]
    assert resumed.json["status"] == "active"
    assert ended.json["status"] == ended.json["delivery"] == "ended"
    assert resumed_after_end.status_code == changed_after_end.status_code == 409


def test_a_draft_waits_until_it_is_launched(ads: Any) -> None:
    shop = ads.seller()
    made = ads.campaign(shop, product_id=ads.product(shop).id, status="draft")

    launched = ads.client.post(f"{CAMPAIGNS}/{made['id']}/resume", headers=shop.headers)

    assert made["delivery"] == "draft"
    assert launched.json["status"] == "active"


def test_a_seller_changes_budget_bid_end_and_targeting(ads: Any) -> None:
    shop = ads.seller()
    made = ads.campaign(shop, product_id=ads.product(shop).id)
    ends = (clock.now() + timedelta(days=3)).isoformat()
    url = f"{CAMPAIGNS}/{made['id']}"

    changed = ads.client.patch(url, json={"daily_budget": "7.50", "bid": "12.00", "ends_at": ends,
                                          "countries": ["IE"], "name": "Summer"}, headers=shop.headers)
    bad = ads.client.patch(url, json={"bid": "0.10"}, headers=shop.headers)
    frozen = ads.client.patch(url, json={"billing": "cpc"}, headers=shop.headers)

    assert changed.status_code == 200, changed.json
    assert (changed.json["daily_budget"], changed.json["bid"], changed.json["countries"], changed.json["name"]) == \
        ("7.50", "12.00", ["IE"], "Summer")
    assert changed.json["ends_at"] is not None
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"bid"}
    assert frozen.status_code == 422 and set(frozen.json["errors"]) == {"billing"}
    assert ads.client.get(url, headers=shop.headers).json["daily_budget"] == "7.50"


# --- who may see what ---------------------------------------------------------------------------
def test_another_sellers_or_tenants_campaign_is_not_found(ads: Any) -> None:
    shop, other = ads.seller(), ads.seller()
    made = ads.campaign(shop, product_id=ads.product(shop).id)
    german = ads.seller("de")
    url = f"{CAMPAIGNS}/{made['id']}"

    by_other = ads.client.get(url, headers=other.headers)
    paused_by_other = ads.client.post(f"{url}/pause", headers=other.headers)
    from_germany = ads.client.get(url, headers=german.headers)

    assert by_other.status_code == paused_by_other.status_code == from_germany.status_code == 404
    assert ads.client.get(url, headers=shop.headers).json["status"] == "active"
    assert [c["id"] for c in ads.client.get(CAMPAIGNS, headers=other.headers).json] == []


def test_ads_exist_only_where_the_marketplace_offers_them(ads: Any) -> None:
    dutch = ads.seller("nl")

    answer = ads.client.get(CAMPAIGNS, headers=dutch.headers)

    assert answer.status_code == 404 and answer.json["feature"] == "ads"


def test_a_buyer_cannot_run_campaigns(ads: Any) -> None:
    _, buyer = ads.buyer()

    assert ads.client.get(CAMPAIGNS, headers=buyer).status_code == 403
    assert ads.client.get(CAMPAIGNS, headers={"X-Pasar-Tenant": "uk"}).status_code == 401
