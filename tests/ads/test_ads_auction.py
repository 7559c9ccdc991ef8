"""The auction that fills sponsored feed slots: ranked by expected value per impression, one
slot per shop, each winner paying the second price; only campaigns that may deliver, to
viewers their targeting reaches."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from pasar import clock
from pasar.ads import auction, budget
from pasar.ads.errors import AdsNotFound
from pasar.ads.models import CampaignDay, SparkCode
from pasar.catalog.models import Product
from pasar.content.models import Video


def shop_with_budget(ads: Any, amount: str = "50.00") -> Any:
    shop = ads.seller()
    ads.fund(shop, amount)
    return shop


def advertise(ads: Any, shop: Any | None = None, **terms: Any) -> int:
    """A campaign for a new product of ``shop`` (a funded new shop by default); its id."""
    shop = shop or shop_with_budget(ads)
    product = ads.product(shop, category_id=terms.pop("category_id", None))
    return int(ads.campaign(shop, product_id=product.id, **terms)["id"])


def ranking(awards: list[Any]) -> list[tuple[int, Decimal]]:
    return [(award.campaign_id, award.price) for award in awards]


# --- order and price ----------------------------------------------------------------------------
def test_the_best_bid_wins_and_each_winner_pays_the_value_of_the_one_below(ads: Any) -> None:
    low, top, middle = advertise(ads, bid="3.00"), advertise(ads, bid="10.00"), advertise(ads, bid="6.00")

    two = ads.auction(slots=2)
    three = ads.auction(slots=3)

    assert ranking(two) == [(top, Decimal("0.006")), (middle, Decimal("0.003"))]
    # The last winner has nobody below: it pays the reserve (1.00 GBP per 1000 impressions).
    assert ranking(three) == [(top, Decimal("0.006")), (middle, Decimal("0.003")), (low, Decimal("0.001"))]
    assert all(award.billing == "cpm" for award in three)


def test_a_single_bidder_pays_the_reserve(ads: Any) -> None:
    only = advertise(ads, bid="25.00")

    assert ranking(ads.auction(slots=1)) == [(only, Decimal("0.001"))]


def test_cpc_and_cpm_bids_compete_on_expected_value_per_impression(ads: Any) -> None:
    cpm = advertise(ads, bid="4.00")  # worth 0.004 an impression
    cpc = advertise(ads, billing="cpc", bid="0.50")  # 0.50 × the 1 % prior CTR = 0.005 an impression

    awards = ads.auction(slots=2)

    # The CPC winner pays per click what keeps it above the CPM bid: 0.004 / 1 % = 0.40.
    assert ranking(awards) == [(cpc, Decimal("0.4")), (cpm, Decimal("0.001"))]
    assert [a.billing for a in awards] == ["cpc", "cpm"]


def test_a_campaign_that_is_rarely_clicked_falls_behind(ads: Any) -> None:
    cpm = advertise(ads, bid="4.00")
    cpc = advertise(ads, billing="cpc", bid="0.50")
    yesterday = budget.local_day(ads.tenant(), clock.now()) - timedelta(days=1)
    with ads.session() as session:  # a history of 900 impressions and 1 click
        session.add(CampaignDay(campaign_id=cpc, day=yesterday, spent_micros=0, impressions=900, clicks=1))

    awards = ads.auction(slots=2)

    # CTR (1 + 1) / (900 + 100) = 0.2 %: 0.50 per click is worth 0.001 an impression now.
    assert [a.campaign_id for a in awards] == [cpm, cpc]
    assert awards[0].price == Decimal("0.001")


def test_a_shop_takes_one_slot_and_never_bids_against_itself(ads: Any) -> None:
    rich = shop_with_budget(ads)
    best, second_best = advertise(ads, rich, bid="10.00"), advertise(ads, rich, bid="8.00")
    other = advertise(ads, bid="5.00")

    awards = ads.auction(slots=3)

    assert ranking(awards) == [(best, Decimal("0.005")), (other, Decimal("0.001"))]
    assert second_best not in [a.campaign_id for a in awards]


def test_the_second_price_never_exceeds_the_winners_own_bid() -> None:
    bids = [auction.Bid(1, 1, "cpm", 2_000_000, Decimal("0.01")), auction.Bid(2, 2, "cpm", 2_000_000, Decimal("0.01"))]

    wins = auction.run(bids, slots=1, reserve_micros=1_000)

    assert [(w.bid.campaign_id, w.price_micros) for w in wins] == [(1, 2_000)]  # a tie: the older, at its bid


def test_a_bid_that_cannot_pay_for_its_cheapest_unit_wins_nothing() -> None:
    cpc = auction.Bid(1, 1, "cpc", 500_000, Decimal("0.01"), funds=99_999)  # a click costs at least 100,000
    cpm = auction.Bid(2, 2, "cpm", 9_000_000, Decimal("0.01"), funds=999)  # an impression at least 1,000
    able = auction.Bid(3, 3, "cpm", 2_000_000, Decimal("0.01"), funds=1_000)

    assert [w.bid.campaign_id for w in auction.run([cpc, cpm, able], slots=3, reserve_micros=1_000)] == [3]


def test_bids_worth_less_than_the_reserve_win_nothing() -> None:
    bids = [auction.Bid(1, 1, "cpc", 10_000, Decimal("0.01"))]  # 100 micros an impression

    assert auction.run(bids, slots=3, reserve_micros=1_000) == []


# --- who delivers -------------------------------------------------------------------------------
def test_only_campaigns_that_may_deliver_are_auctioned(ads: Any) -> None:
    live = advertise(ads, bid="2.00")
    paused = advertise(ads, bid="9.00")
    _pause(ads, paused)
    later = advertise(ads, bid="9.00", starts_at=(clock.now() + timedelta(hours=2)).isoformat())
    broke = advertise(ads, ads.seller(), bid="9.00")  # its shop never topped up
    withdrawn = advertise(ads, bid="9.00")
    _set_product(ads, withdrawn, status="archived")
    ending = advertise(ads, bid="9.00", ends_at=(clock.now() + timedelta(hours=1)).isoformat())

    now = [a.campaign_id for a in ads.auction(slots=10)]
    in_two_hours = [a.campaign_id for a in ads.auction(slots=10, at=clock.now() + timedelta(hours=3))]

    assert sorted(now) == sorted([live, ending])
    assert sorted(in_two_hours) == sorted([live, later])
    assert broke not in now + in_two_hours and withdrawn not in now + in_two_hours


def test_a_video_ad_waits_for_moderation_and_shows_its_first_product(ads: Any) -> None:
    shop = shop_with_budget(ads)
    category = ads.category("kitchen")
    first, second = ads.product(shop, category_id=category), ads.product(shop)
    video = ads.video(shop, [first, second], moderation="pending")
    campaign = ads.campaign(shop, video_id=video.id)["id"]

    before = ads.auction(slots=1)
    with ads.session() as session:
        session.execute(update(Video).where(Video.id == video.id).values(moderation="approved"))
    (award,) = ads.auction(slots=1)

    assert before == []
    assert (award.campaign_id, award.kind, award.target_id) == (campaign, "video", video.id)
    assert (award.product_id, award.category_id, award.seller_id, award.creator_id) == (first.id, category, shop.id, None)


def test_a_spark_ad_shows_the_creators_video_until_the_code_is_revoked(ads: Any) -> None:
    shop = shop_with_budget(ads)
    product, creator = ads.product(shop), ads.creator()
    ads.collaborate(shop, product, creator)
    video = ads.video(creator, [product])
    code = ads.client.post("/api/v1/creator/ads/spark-codes", json={"video_id": video.id, "days": 7},
                           headers=creator.headers).json
    campaign = ads.campaign(shop, kind="spark", spark_code=code["code"])["id"]

    (award,) = ads.auction(slots=1)
    after_expiry = ads.auction(slots=1, at=clock.now() + timedelta(days=8))
    ads.client.post(f"/api/v1/creator/ads/spark-codes/{code['id']}/revoke", headers=creator.headers)
    revoked = ads.auction(slots=1)

    assert (award.campaign_id, award.kind, award.target_id) == (campaign, "video", video.id)
    assert (award.creator_id, award.product_id, award.seller_id) == (creator.id, product.id, shop.id)
    assert after_expiry == [] and revoked == []
    with ads.session(write=False) as session:
        assert session.get_one(SparkCode, code["id"]).revoked_at is not None


# --- targeting ----------------------------------------------------------------------------------
def test_country_targeting_reaches_only_the_listed_countries(ads: Any) -> None:
    irish = advertise(ads, countries=["IE"])
    everywhere = advertise(ads)

    in_britain = {a.campaign_id for a in ads.auction(country="GB")}
    in_ireland = {a.campaign_id for a in ads.auction(country="ie")}

    assert in_britain == {everywhere}
    assert in_ireland == {irish, everywhere}


def test_category_targeting_reaches_buyers_interested_in_it_or_below_it(ads: Any) -> None:
    fashion = ads.category("fashion")
    shoes = ads.category("shoes", parent_id=fashion)
    garden = ads.category("garden")
    for_fashion = advertise(ads, categories=[fashion])
    for_all = advertise(ads)

    shoe_buyer = {a.campaign_id for a in ads.auction(interests=[shoes])}
    gardener = {a.campaign_id for a in ads.auction(interests=[garden])}
    stranger = {a.campaign_id for a in ads.auction(interests=[])}

    assert shoe_buyer == {for_fashion, for_all}
    assert gardener == stranger == {for_all}


def test_no_ads_where_the_marketplace_has_none(ads: Any) -> None:
    assert ads.auction(code="nl", country="NL") == []


def _pause(ads: Any, campaign_id: int) -> None:
    from pasar.ads import service
    from pasar.ads.models import Campaign

    with ads.session() as session:
        service.pause_campaign(session, ads.tenant(), session.get_one(Campaign, campaign_id), clock.now())


def _set_product(ads: Any, campaign_id: int, **values: Any) -> None:
    from pasar.ads.models import Campaign

    with ads.session() as session:
        product_id = session.get_one(Campaign, campaign_id).product_id
        session.execute(update(Product).where(Product.id == product_id).values(**values))


def test_a_marketplace_auctions_only_its_own_campaigns_and_tokens(ads: Any) -> None:
    british = advertise(ads)
    german_shop = ads.seller("de")
    ads.fund(german_shop, "50.00")
    german = ads.campaign(german_shop, product_id=ads.product(german_shop).id)["id"]

    in_uk = [a.campaign_id for a in ads.auction()]
    in_de = [a.campaign_id for a in ads.auction(code="de", country="DE")]
    (_award, token), = ads.serve(ads.auction(code="de", country="DE"), code="de")

    assert in_uk == [british] and in_de == [german]
    with pytest.raises(AdsNotFound):
        ads.click(token)  # a German token means nothing in the UK
    assert ads.click(token, code="de").counted


def test_the_auctions_reads_see_only_their_own_marketplaces_rows(ads: Any) -> None:
    """The auction reads with statements built once that bypass the session's automatic tenant
    criterion: handed another marketplace's campaigns, they find none of its videos, products,
    Spark codes or delivery history."""
    from types import SimpleNamespace

    from pasar.ads import service
    from pasar.ads.models import Campaign

    german_shop = ads.seller("de")
    ads.fund(german_shop, "50.00")
    product = ads.product(german_shop)
    video = ads.video(german_shop, [product])
    ids = [ads.campaign(german_shop, product_id=product.id)["id"], ads.campaign(german_shop, video_id=video.id)["id"]]
    served = {award.campaign_id for award, _token in ads.serve(ads.auction(code="de", country="DE"), code="de")}
    fields = ("id", "seller_id", "kind", "video_id", "product_id", "spark_code_id")
    with ads.session("de", write=False) as session:
        german = [SimpleNamespace(**{name: getattr(c, name) for name in fields}) for c in
                  session.scalars(service.select(Campaign).where(Campaign.id.in_(ids)))]

    def reads(code: str) -> tuple[set[int], set[int]]:
        tenant = ads.tenant(code)
        with ads.session(tenant=tenant, write=False) as session:
            return (set(service._targets(session, tenant, german, clock.now())),
                    set(service._history(session, tenant, ids)))

    assert served and reads("de") == (set(ids), served)
    assert reads("uk") == (set(), set())


def test_an_auction_costs_the_same_few_statements_for_any_number_of_campaigns(ads: Any) -> None:
    """The feed runs the auction on every request: its reads are one statement each (the
    eligible campaigns, their videos with anchors, their products, their history), however
    many campaigns compete."""
    from sqlalchemy import event

    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")):
            seen.append(statement)

    def statements_of_an_auction() -> tuple[int, int]:
        tenant = ads.tenant()
        with ads.session(tenant=tenant) as session:
            from pasar.ads import service

            seen.clear()
            event.listen(ads.db.engine, "before_cursor_execute", note)
            try:
                awards = service.run_auction(session, tenant, buyer_id=None, country="GB", interests=(),
                                             at=clock.now(), slots=2)
            finally:
                event.remove(ads.db.engine, "before_cursor_execute", note)
        return len(awards), len(seen)

    def video_and_product_campaigns() -> None:
        shop = shop_with_budget(ads)
        product = ads.product(shop)
        ads.campaign(shop, product_id=product.id)
        ads.campaign(shop, video_id=ads.video(shop, [product]).id)

    for _ in range(2):
        video_and_product_campaigns()
    few = statements_of_an_auction()
    for _ in range(4):
        video_and_product_campaigns()
    many = statements_of_an_auction()

    assert few == many == (2, 4)
