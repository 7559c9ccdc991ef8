"""Campaign reports: per local day, what the counters charged — impressions, clicks, CTR,
spend — and the paid orders the ad's clicks led to."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from pasar import clock
from pasar.ads import budget, service
from pasar.ads.models import Campaign
from pasar.testing.commerce_factories import Commerce

CAMPAIGNS = "/api/v1/seller/ads/campaigns"


def report(ads: Any, shop: Any, url: str, first: Any, last: Any) -> Any:
    return ads.client.get(url, query_string={"from": first.isoformat(), "to": last.isoformat()}, headers=shop.headers)


def test_a_campaign_report_counts_each_local_day(ads: Any) -> None:
    shop = ads.seller()
    ads.fund(shop, "50.00")
    product = ads.product(shop)
    campaign = ads.campaign(shop, product_id=product.id, billing="cpc", bid="0.50")["id"]
    now, tomorrow = clock.now(), clock.now() + timedelta(days=1)
    today_tokens = [token for _ in range(4) for _a, token in ads.serve(ads.auction(slots=1, at=now), at=now)]
    for token in today_tokens[:2]:
        ads.click(token, at=now)  # 0.10 a click: alone, the reserve's worth at the prior CTR
    (later, later_token), = ads.serve(ads.auction(slots=1, at=tomorrow), at=tomorrow)
    ads.click(later_token, at=tomorrow)
    # Two clicks in four impressions raised the CTR estimate to 3/104: a click now costs less.
    assert later.price == Decimal("0.034667")
    today = budget.local_day(ads.tenant(), now)

    answer = report(ads, shop, f"{CAMPAIGNS}/{campaign}/report", today - timedelta(days=1), today + timedelta(days=1))

    assert answer.status_code == 200, answer.json
    rows = [(d["day"], d["impressions"], d["clicks"], d["ctr"], d["spend"]) for d in answer.json["days"]]
    assert rows == [
        ((today - timedelta(days=1)).isoformat(), 0, 0, "0.0000", "0.00"),
        (today.isoformat(), 4, 2, "0.5000", "0.20"),
        ((today + timedelta(days=1)).isoformat(), 1, 1, "1.0000", "0.03"),
    ]
    totals = answer.json["totals"]
    assert (totals["impressions"], totals["clicks"], totals["ctr"], totals["spend"]) == (5, 3, "0.6000", "0.23")
    assert answer.json["campaign_id"] == campaign and answer.json["currency"] == "GBP"


def test_orders_count_when_the_buyer_clicked_the_ad_for_that_product_before(ads: Any) -> None:
    shop = ads.seller()
    ads.fund(shop, "50.00")
    advertised, other = ads.product(shop), ads.product(shop)
    campaign = ads.campaign(shop, product_id=advertised.id)["id"]
    clicker_id, clicker = ads.buyer()
    _, stranger = ads.buyer()
    (_award, token), = ads.serve(ads.auction(slots=1, buyer_id=clicker_id), buyer_id=clicker_id)
    ads.click(token, buyer_id=clicker_id)
    commerce = Commerce(ads.app)

    commerce.place_order(clicker, advertised, quantity=2)  # led to by the click
    commerce.place_order(clicker, other)  # not the advertised product
    commerce.place_order(stranger, advertised)  # never clicked
    today = budget.local_day(ads.tenant(), clock.now())
    answer = report(ads, shop, f"{CAMPAIGNS}/{campaign}/report", today, today)

    (day,) = answer.json["days"]
    assert (day["impressions"], day["clicks"], day["orders"], day["gmv"]) == (1, 1, 1, "20.00")


def test_the_shop_report_adds_up_its_campaigns(ads: Any) -> None:
    shop = ads.seller()
    ads.fund(shop, "50.00")
    first = ads.campaign(shop, product_id=ads.product(shop).id)["id"]
    second = ads.campaign(shop, product_id=ads.product(shop).id, bid="20.00")["id"]
    for _ in range(3):
        ads.serve(ads.auction(slots=1))  # the higher bid wins each time
    tenant = ads.tenant()
    with ads.session() as session:
        service.pause_campaign(session, tenant, session.get_one(Campaign, second), clock.now())
    ads.serve(ads.auction(slots=1))
    today = budget.local_day(tenant, clock.now())

    answer = report(ads, shop, "/api/v1/seller/ads/report", today, today)

    assert answer.json["campaign_id"] is None
    assert answer.json["totals"]["impressions"] == 4
    assert (ads.day(first)[1], ads.day(second)[1]) == (1, 3)


def test_a_report_range_is_checked(ads: Any) -> None:
    shop = ads.seller()
    campaign = ads.campaign(shop, product_id=ads.product(shop).id)["id"]
    today = budget.local_day(ads.tenant(), clock.now())
    url = f"{CAMPAIGNS}/{campaign}/report"

    backwards = report(ads, shop, url, today, today - timedelta(days=1))
    too_long = report(ads, shop, url, today - timedelta(days=100), today)
    default = ads.client.get(url, headers=shop.headers)
    someone_elses = report(ads, ads.seller(), url, today, today)

    assert backwards.status_code == too_long.status_code == 422
    assert "from" in backwards.json["errors"] and "from" in too_long.json["errors"]
    assert len(default.json["days"]) == 7 and default.json["days"][-1]["day"] == today.isoformat()
    assert someone_elses.status_code == 404
