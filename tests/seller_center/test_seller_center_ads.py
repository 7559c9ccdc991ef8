"""Seller center: ad balance top-ups from earnings, campaigns, pause/resume, the report."""
from __future__ import annotations

import re
from typing import Any

from pasar.ads import budget
from pasar.ads import service as ads
from pasar.orders import service as orders
from pasar.testing.catalog_factories import tenant_context


def earn(app: Any, make_order: Any, shop: Any, product: Any, quantity: int = 1) -> None:
    """Settle a sale so the shop has earnings to top up from."""
    order = make_order(shop, product, quantity=quantity)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        orders.settle(session, tenant, orders.get_order(session, tenant, order.id))


def ad_balance(app: Any, seller_id: int) -> int:
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        row = budget.account(session, tenant, seller_id)
        return 0 if row is None else row.funded_micros - row.spent_micros


def test_a_top_up_from_earnings_is_made_once_per_form(
    app: Any, make_seller: Any, make_product: Any, make_order: Any, seller_web: Any,
) -> None:
    shop = make_seller("uk")
    earn(app, make_order, shop, make_product(shop, price="50.00"))
    browser = seller_web(shop)
    page = browser.get("/seller/ads").get_data(as_text=True)
    key = re.search(r'<input type="hidden" name="key" value="([^"]+)">', page)
    assert key and 'data-test="topup"' in page
    for _ in range(2):  # a double click sends the same form twice
        assert browser.post("/seller/ads/topup", {"amount": "20.00", "key": key.group(1)}).status_code == 302
    assert ad_balance(app, shop.id) == 20_000_000  # micros: 20.00 GBP, once
    assert "£20.00" in browser.get("/seller/ads").get_data(as_text=True)
    too_much = browser.post("/seller/ads/topup", {"amount": "9999.00", "key": "another"})
    assert too_much.status_code == 422 and 'id="amount-error"' in too_much.get_data(as_text=True)


def test_a_campaign_is_created_paused_resumed_and_reported(
    app: Any, make_seller: Any, make_product: Any, seller_web: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop)
    browser = seller_web(shop)
    created = browser.post("/seller/ads", {"name": "Spring boots", "kind": "in_feed", "product_id": str(product.id),
                                           "billing": "cpc", "bid": "0.40", "daily_budget": "10.00"})
    assert created.status_code == 302, created.get_data(as_text=True)[:2000]
    campaign_id = int(re.search(r"/seller/ads/(\d+)$", created.headers["Location"]).group(1))  # type: ignore[union-attr]
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        campaign = ads.seller_campaign(session, tenant, shop.id, campaign_id)
        assert (campaign.product_id, campaign.billing, campaign.bid_minor, campaign.status) == (product.id, "cpc", 40, "active")
    detail = browser.get(f"/seller/ads/{campaign_id}").get_data(as_text=True)
    assert "Ad balance is empty" in detail and 'data-test="ads-report"' in detail
    assert browser.post(f"/seller/ads/{campaign_id}/pause").status_code == 302
    assert f'data-test="campaign-resume-{campaign_id}"' in browser.get("/seller/ads").get_data(as_text=True)
    assert browser.post(f"/seller/ads/{campaign_id}/resume", {"back": "https://elsewhere.example/"}).headers[
        "Location"].startswith("/t/uk/seller/ads/")


def test_a_cpm_bid_under_the_reserve_is_refused_naming_the_field(
    make_seller: Any, make_product: Any, seller_web: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop)
    response = seller_web(shop).post("/seller/ads", {
        "name": "Too cheap", "kind": "in_feed", "product_id": str(product.id), "billing": "cpm", "bid": "0.01",
        "daily_budget": "5.00"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="bid-error"' in page and 'value="Too cheap"' in page


def test_another_shops_campaign_is_not_found(make_seller: Any, make_product: Any, seller_web: Any) -> None:
    owner = make_seller("uk")
    product = make_product(owner)
    created = seller_web(owner).post("/seller/ads", {"name": "Mine", "kind": "in_feed", "product_id": str(product.id),
                                                     "billing": "cpc", "bid": "0.40", "daily_budget": "10.00"})
    campaign_id = int(re.search(r"/seller/ads/(\d+)$", created.headers["Location"]).group(1))  # type: ignore[union-attr]
    stranger = seller_web(make_seller("uk"))
    assert stranger.get(f"/seller/ads/{campaign_id}").status_code == 404
    assert stranger.post(f"/seller/ads/{campaign_id}/end").status_code == 404
