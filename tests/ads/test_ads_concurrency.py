"""Feeds racing for the last of a budget: the guarded UPDATEs let ad spend reach the daily
budget and the prepaid balance but never pass them, and a click token is charged once — on
SQLite (separate connections, writers queued) and on PostgreSQL (row locks, the WHERE re-checked
on the newest row version); run with PASAR_TEST_DATABASE_URL for the second."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from pasar import clock
from pasar.ads import service

VIEWERS = 30


def run_at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(n)`` for n in range(count) on as many threads released together."""
    start = threading.Barrier(count)
    results: list[Any] = [None] * count
    failures: list[BaseException] = []

    def run(number: int) -> None:
        start.wait()
        try:
            results[number] = work(number)
        except BaseException as exc:  # reported below, with the thread's own traceback
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


def feed_request(ads: Any, buyer_id: int) -> int:
    """What one feed page does in its own write transaction: auction, then charge and record;
    answers how many sponsored slots it showed."""
    tenant = ads.tenant()
    with ads.db.session(tenant.id, write=True) as session:
        now = clock.now()
        awards = service.run_auction(session, tenant, buyer_id=buyer_id, country="GB", interests=(), at=now, slots=2)
        return len(service.record_impressions(session, tenant, awards, buyer_id=buyer_id, at=now))


def test_concurrent_impressions_never_spend_more_than_the_daily_budget(ads: Any) -> None:
    shop = ads.seller()
    ads.fund(shop, "50.00")
    # The reserve price, 0.001 GBP an impression: a 0.01 budget pays for exactly ten.
    campaign = ads.campaign(shop, product_id=ads.product(shop).id, bid="5.00", daily_budget="0.01")["id"]

    shown = run_at_once(VIEWERS, lambda n: feed_request(ads, n + 1))

    assert sum(shown) == 10
    assert ads.day(campaign) == (10_000, 10, 0)
    assert ads.account(shop)[1] == 10_000


def test_concurrent_impressions_never_spend_more_than_the_balance(ads: Any) -> None:
    shop = ads.seller()
    ads.fund(shop, "0.01")  # ten impressions' worth for all the shop's campaigns together
    first = ads.campaign(shop, product_id=ads.product(shop).id, daily_budget="5.00")["id"]
    second = ads.campaign(shop, product_id=ads.product(shop).id, daily_budget="5.00")["id"]
    awards = {a.campaign_id: a for a in ads.auction(slots=1)}
    assert set(awards) == {first}  # one slot per shop: take the second's award from a lone auction
    tenant = ads.tenant()
    with ads.session() as session:
        service.pause_campaign(session, tenant, service.seller_campaign(session, tenant, shop.id, first), clock.now())
    (award_second,) = ads.auction(slots=1)
    pair = [awards[first], award_second]

    def show(number: int) -> int:
        return len(ads.serve([pair[number % 2]], buyer_id=number + 1))

    shown = run_at_once(VIEWERS, show)

    assert sum(shown) == 10
    assert ads.account(shop)[:2] == (10_000, 10_000)
    assert ads.day(first)[0] + ads.day(second)[0] == 10_000


def test_concurrent_clicks_pay_within_the_budget_and_a_token_is_charged_once(ads: Any) -> None:
    shop = ads.seller()
    ads.fund(shop, "50.00")
    # Alone, a click costs 0.10 (the reserve at the prior CTR): 0.30 a day pays for three.
    campaign = ads.campaign(shop, product_id=ads.product(shop).id, billing="cpc", bid="0.20",
                            daily_budget="0.30")["id"]
    awards = ads.auction(slots=1)
    tokens = [token for n in range(10) for _award, token in ads.serve(awards, buyer_id=n + 1)]
    assert len(tokens) == 10  # shown while one more click is affordable: CPC shows cost nothing

    def click(number: int) -> Any:
        answer = ads.client.post("/api/v1/ads/clicks", json={"token": tokens[number % len(tokens)]},
                                 headers={"X-Pasar-Tenant": "uk"})
        return answer.status_code

    statuses = run_at_once(VIEWERS, click)  # every token clicked three times at once

    assert set(statuses) == {200}
    spent, impressions, clicks = ads.day(campaign)
    assert (spent, clicks) == (300_000, 10)  # three paid, seven free, repeats not counted
    assert ads.account(shop)[1] == 300_000
