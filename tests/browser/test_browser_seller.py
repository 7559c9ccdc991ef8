"""A seller in Chromium: a paid order arrives in the seller center, the seller accepts it and
buys the label; the buyer then sees the parcel's tracking number on their order."""
from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from pasar.demo.data import seller_email
from pasar.testing.browser import Backstage, Site, sign_in

pytestmark = pytest.mark.browser


def test_a_seller_accepts_a_paid_order_and_ships_it_with_a_label(page: Any, site: Site, browser: Any) -> None:
    backstage = Backstage(site)
    buyer = backstage.buyer("uk")
    seller = seller_email("uk", 2)
    order_id = backstage.paid_order(buyer, backstage.shop_variant("uk", seller), method="paypal")

    sign_in(page, site, "uk", seller, next_path="/seller/orders?status=paid")
    row = page.locator(f"[data-test=order-row-{order_id}]")
    expect(row).to_be_visible()
    row.locator("a").click()
    page.locator("[data-test=order-accept]").click()
    page.locator("[data-test=buy-label]").click()
    tracking = page.locator("#shipment [data-test=tracking-number]")
    expect(tracking).not_to_be_empty()
    expect(page.locator("[data-test=label-print]")).to_have_attribute("href", re.compile(r"^https?://"))
    number = tracking.inner_text()

    shipments = backstage.client.get(f"/api/v1/orders/{order_id}", headers=buyer.headers).get_json()
    assert shipments["status"] in ("ready_to_ship", "shipped"), shipments
    buyer_view = browser.new_context()
    try:
        buyer_page = buyer_view.new_page()
        sign_in(buyer_page, site, "uk", buyer.email, buyer.password, next_path=f"/orders/{order_id}")
        expect(buyer_page.locator("[data-test=tracking-number]")).to_have_text(number)
    finally:
        buyer_view.close()
