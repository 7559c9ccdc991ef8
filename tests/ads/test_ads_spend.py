"""What ads cost: CPM impressions and CPC clicks are charged to the shop's prepaid balance
within the campaign's daily budget (reset at the tenant's local midnight); top-ups come out of
earnings, once per Idempotency-Key; the ledger receives spend in batches and always balances."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from moneyed import Money
from sqlalchemy import func, select

from pasar import clock
from pasar.ads import tasks
from pasar.ads.models import AdClick, Impression
from pasar.ledger import service as ledger
from pasar.ledger.models import LedgerEntry, LedgerTransaction
from pasar.money import from_minor

TOPUPS = "/api/v1/seller/ads/account/topups"
ACCOUNT = "/api/v1/seller/ads/account"


def funded_campaign(ads: Any, amount: str = "50.00", **terms: Any) -> tuple[Any, int]:
    shop = ads.seller()
    ads.fund(shop, amount)
    product = ads.product(shop)
    return shop, int(ads.campaign(shop, product_id=product.id, **terms)["id"])


def owed(ads: Any, seller: Any, code: str) -> Money:
    """What the platform owes on ``code`` (a liability's or revenue's credit balance)."""
    tenant = ads.tenant(seller.tenant)
    with ads.session(seller.tenant, write=False) as session:
        return -ledger.balance(session, tenant, code, tenant.currency)


def roll_up(at: Any = None) -> dict[str, Any]:
    return tasks.roll_up.delay((at or clock.now()).isoformat()).get()


# --- charges ------------------------------------------------------------------------------------
def test_each_cpm_impression_costs_its_second_price(ads: Any) -> None:
    shop, campaign = funded_campaign(ads, bid="8.00")

    served = [ads.serve(ads.auction(slots=1)) for _ in range(3)]

    assert [len(s) for s in served] == [1, 1, 1]
    assert len({token for s in served for _award, token in s}) == 3  # every slot its own token
    assert ads.day(campaign) == (3 * 1_000, 3, 0)  # the reserve, 0.001 GBP, three times
    assert ads.account(shop)[1] == 3_000
    with ads.session(write=False) as session:
        prices = session.scalars(select(Impression.price_micros).where(Impression.campaign_id == campaign)).all()
    assert prices == [1_000] * 3


def test_a_cpc_ad_costs_nothing_to_show_and_its_price_once_per_clicked_token(ads: Any) -> None:
    shop, campaign = funded_campaign(ads, billing="cpc", bid="0.30")
    (award, token), = ads.serve(ads.auction(slots=1))
    shown = ads.account(shop)[1]

    first = ads.click(token)
    again = ads.click(token)

    assert shown == 0
    assert (first.charged, first.repeated, first.counted) == (award.price, False, True)
    assert (again.charged, again.repeated, again.counted) == (Decimal(0), True, False)
    assert ads.account(shop)[1] == int(award.price * 1_000_000)
    assert ads.day(campaign) == (int(award.price * 1_000_000), 1, 1)
    assert (first.kind, first.target_id, first.product_id) == ("product", award.target_id, award.product_id)


def test_a_click_on_a_cpm_ad_is_counted_but_already_paid(ads: Any) -> None:
    shop, campaign = funded_campaign(ads)
    (_award, token), = ads.serve(ads.auction(slots=1))

    click = ads.click(token)

    assert (click.charged, click.counted) == (Decimal(0), True)
    assert ads.day(campaign) == (1_000, 1, 1)


def test_a_click_comes_back_through_the_api_and_leads_to_the_ad(ads: Any) -> None:
    shop, campaign = funded_campaign(ads, billing="cpc", bid="0.30")
    (award, token), = ads.serve(ads.auction(slots=1))
    buyer_id, buyer = ads.buyer()

    answer = ads.client.post("/api/v1/ads/clicks", json={"token": token}, headers=buyer)
    unknown = ads.client.post("/api/v1/ads/clicks", json={"token": "nope"}, headers=buyer)

    assert answer.status_code == 200, answer.json
    assert answer.json == {"kind": "product", "target_id": award.target_id, "product_id": award.product_id,
                           "location": f"/api/v1/products/{award.target_id}"}
    assert unknown.status_code == 404
    with ads.session(write=False) as session:
        assert session.scalars(select(AdClick.buyer_id).where(AdClick.campaign_id == campaign)).all() == [buyer_id]


def test_a_click_long_after_its_impression_is_not_counted(ads: Any) -> None:
    shop, campaign = funded_campaign(ads, billing="cpc", bid="0.30")
    (_award, token), = ads.serve(ads.auction(slots=1))

    late = ads.click(token, at=clock.now() + timedelta(days=2))

    assert (late.counted, late.charged) == (False, Decimal(0))
    assert ads.account(shop)[1] == 0


# --- stopping and resuming ----------------------------------------------------------------------
def test_delivery_stops_when_the_daily_budget_is_spent_and_resumes_the_next_day(ads: Any) -> None:
    # 0.01 GBP a day at the reserve price of 0.001 an impression: ten impressions a day.
    shop, campaign = funded_campaign(ads, daily_budget="0.01", bid="5.00")
    today = clock.now()

    shown_today = 0
    while awards := ads.auction(slots=1, at=today):
        shown_today += len(ads.serve(awards, at=today))
    state = ads.client.get(f"/api/v1/seller/ads/campaigns/{campaign}", headers=shop.headers).json
    tomorrow = today + timedelta(days=1)
    shown_tomorrow = len(ads.serve(ads.auction(slots=1, at=tomorrow), at=tomorrow))

    assert shown_today == 10
    assert ads.day(campaign, today) == (10_000, 10, 0)
    assert (state["delivery"], state["today"]["spent"]) == ("budget_exhausted", "0.01")
    assert shown_tomorrow == 1
    assert ads.day(campaign, tomorrow) == (1_000, 1, 0)


def test_an_award_whose_budget_was_spent_meanwhile_is_not_shown(ads: Any) -> None:
    shop, campaign = funded_campaign(ads, daily_budget="0.01", bid="5.00")
    stale = [ads.auction(slots=1) for _ in range(11)]  # all won before any was served

    served = [len(ads.serve(awards)) for awards in stale]

    assert served == [1] * 10 + [0]
    assert ads.day(campaign) == (10_000, 10, 0)


def test_delivery_stops_when_the_balance_is_spent_and_resumes_after_a_top_up(ads: Any) -> None:
    shop, campaign = funded_campaign(ads, amount="0.01", daily_budget="5.00")

    shown = 0
    while awards := ads.auction(slots=1):
        shown += len(ads.serve(awards))
    state = ads.client.get(f"/api/v1/seller/ads/campaigns/{campaign}", headers=shop.headers).json
    spent_out = ads.account(shop)[:2]
    ads.fund(shop, "0.01")
    resumed = ads.serve(ads.auction(slots=1))

    assert shown == 10 and spent_out == (10_000, 10_000)
    assert state["delivery"] == "no_balance"
    assert len(resumed) == 1


def test_a_cpc_ad_is_not_shown_when_one_click_could_not_be_paid(ads: Any) -> None:
    # Alone in the auction, a click costs the reserve's worth: 0.001 / the 1 % prior CTR = 0.10.
    shop, campaign = funded_campaign(ads, amount="0.05", billing="cpc", bid="1.00", daily_budget="5.00")

    assert ads.auction(slots=1) == []
    ads.fund(shop, "1.00")
    (award,) = ads.auction(slots=1)
    (_award, token), = ads.serve([award])
    click = ads.click(token)
    assert click.charged == award.price and ads.account(shop)[1] == int(award.price * 1_000_000)


def test_a_click_the_budget_cannot_pay_is_counted_but_free(ads: Any) -> None:
    shop, campaign = funded_campaign(ads, billing="cpc", bid="0.10", daily_budget="0.10")
    awards = ads.auction(slots=1)
    tokens = [token for _ in range(3) for _award, token in ads.serve(awards)]  # shown while one click is affordable

    clicks = [ads.click(token) for token in tokens]

    assert [c.charged for c in clicks] == [awards[0].price, Decimal(0), Decimal(0)]
    assert ads.day(campaign)[0] == int(awards[0].price * 1_000_000) and ads.day(campaign)[2] == 3


# --- top-ups ------------------------------------------------------------------------------------
def test_a_top_up_moves_earnings_into_the_ad_balance_once_per_key(ads: Any) -> None:
    shop = ads.seller()
    ads.earn(shop, "30.00")

    first = ads.top_up(shop, "20.00", key="topup-1")
    retry = ads.top_up(shop, "20.00", key="topup-1")
    other_amount = ads.top_up(shop, "5.00", key="topup-1")
    too_much = ads.top_up(shop, "10.01", key="topup-2")
    account = ads.client.get(ACCOUNT, headers=shop.headers).json

    assert first.status_code == 201 and first.headers.get("Idempotent-Replayed") is None
    assert retry.status_code == 200 and retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json["id"] == first.json["id"]
    assert other_amount.status_code == 409 and "Idempotency-Key" in other_amount.json["errors"]
    assert too_much.status_code == 422 and too_much.json["errors"] == {"amount": ["more than your available earnings"]}
    assert (account["balance"], account["funded"], account["spent"], account["available_earnings"]) == \
        ("20.00", "20.00", "0.00", "10.00")
    assert owed(ads, shop, f"seller_payable:{shop.id}").amount == Decimal("10.00")
    assert owed(ads, shop, f"ad_balance:{shop.id}").amount == Decimal("20.00")


def test_a_top_up_needs_a_key_and_a_payable_amount(ads: Any) -> None:
    shop = ads.seller()
    ads.earn(shop, "30.00")

    keyless = ads.client.post(TOPUPS, json={"amount": "5.00"}, headers=shop.headers)
    fractional = ads.top_up(shop, "5.001")
    negative = ads.top_up(shop, "-5")

    assert keyless.status_code == 400 and "Idempotency-Key" in keyless.json["errors"]
    assert fractional.status_code == negative.status_code == 422
    assert set(fractional.json["errors"]) == set(negative.json["errors"]) == {"amount"}
    assert ads.account(shop)[0] == 0


# --- the books ----------------------------------------------------------------------------------
def test_spend_reaches_the_ledger_in_batches_and_the_books_balance(ads: Any) -> None:
    shop, campaign = funded_campaign(ads, amount="20.00", bid="5.00")
    for _ in range(25):  # 25 × 0.001 = 0.025 GBP: 2 whole pence now, half a penny waits
        ads.serve(ads.auction(slots=1))

    first = roll_up()
    again = roll_up()

    assert first["uk"]["posted_micros"] >= 20_000 and again["uk"]["posted_micros"] == 0
    funded, spent, posted = ads.account(shop)
    assert (funded, spent, posted) == (20_000_000, 25_000, 20_000)
    assert owed(ads, shop, f"ad_balance:{shop.id}").amount == Decimal("19.98")  # top-ups minus posted spend
    assert _ad_spend_of(ads, shop) == Decimal("0.02")
    for _ in range(5):
        ads.serve(ads.auction(slots=1))
    roll_up()
    assert ads.account(shop) == (20_000_000, 30_000, 30_000)
    assert owed(ads, shop, f"ad_balance:{shop.id}").amount == Decimal("19.97")  # exactly top-ups minus spend
    assert _ad_spend_of(ads, shop) == Decimal("0.03")
    _assert_every_transaction_balances(ads)


def test_spend_in_a_currency_without_cents_is_posted_in_whole_units(ads: Any) -> None:
    shop = ads.seller("id")
    ads.fund(shop, "10000")
    product = ads.product(shop)
    campaign = ads.campaign(shop, product_id=product.id, bid="1000", daily_budget="5000")
    for _ in range(15):  # at the reserve of 100 IDR per 1000 impressions: 0.1 IDR each
        ads.serve(ads.auction(slots=1, country="ID", code="id"), code="id")

    roll_up()

    assert ads.day(campaign["id"], code="id")[:2] == (1_500_000, 15)  # 1.5 IDR
    assert ads.account(shop) == (10_000_000_000, 1_500_000, 1_000_000)  # 1 IDR posted, 0.5 waits
    assert owed(ads, shop, f"ad_balance:{shop.id}").amount == Decimal("9999")


def test_the_rollup_ends_campaigns_whose_schedule_is_over(ads: Any) -> None:
    shop, campaign = funded_campaign(ads, ends_at=(clock.now() + timedelta(hours=1)).isoformat())

    done = roll_up(clock.now() + timedelta(hours=2))

    assert done["uk"]["ended"] >= 1
    answer = ads.client.get(f"/api/v1/seller/ads/campaigns/{campaign}", headers=shop.headers).json
    assert answer["status"] == "ended"


def _ad_spend_of(ads: Any, shop: Any) -> Decimal:
    """The shop's ad spend as the ledger has it: its ``ad_spend`` postings' ad revenue."""
    tenant = ads.tenant(shop.tenant)
    with ads.session(shop.tenant, write=False) as session:
        spends = session.scalars(select(LedgerTransaction).where(LedgerTransaction.kind == "ad_spend")).all()
        mine = [t for t in spends if t.meta.get("seller_id") == shop.id]
        minor = -sum(ledger.stored_legs(t).get(("ad_revenue", tenant.currency), 0) for t in mine)
    return from_minor(minor, tenant.currency, tenant.currency_rules()).amount


def _assert_every_transaction_balances(ads: Any) -> None:
    with ads.session(write=False) as session:
        off = session.execute(
            select(LedgerEntry.transaction_id, LedgerEntry.currency).group_by(LedgerEntry.transaction_id, LedgerEntry.currency)
            .having(func.sum(LedgerEntry.amount_minor) != 0)
        ).all()
    assert off == []
