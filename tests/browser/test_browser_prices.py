"""A UK buyer in Chromium: prices include VAT on the product page and at checkout, and the flash
deal's product shows the reduced price next to the prior ("was") price it reduces. (The EU's
"lowest price of the last 30 days" line is the German tenant's rule, not the UK's.)"""
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pasar.demo.data import seller_email
from pasar.testing.browser import Backstage, Site, add_to_cart, amount, sign_in, start_checkout

pytestmark = pytest.mark.browser


def flash_deal_product(site: Site, tenant: str) -> int:
    """The product of the demo's running flash deal in ``tenant``."""
    from pasar.catalog.models import Variant
    from pasar.deals.models import Deal

    with site.session(tenant) as session:
        return int(session.scalars(
            select(Variant.product_id).join(Deal, Deal.variant_id == Variant.id)
            .where(Deal.kind == "flash", Deal.status == "active")
        ).one())


def test_a_uk_buyer_sees_vat_inclusive_prices_and_the_prior_price_of_a_discounted_item(page: Any, site: Site) -> None:
    backstage = Backstage(site)
    buyer = backstage.buyer("uk")
    # On an earlier visit: a standard-rated item (the deal's food is zero-rated in the UK).
    backstage.commerce.add_to_cart(buyer.headers, backstage.shop_variant("uk", seller_email("uk", 2), tax_category="standard"))
    sign_in(page, site, "uk", buyer.email, buyer.password)
    page.goto(site.url("uk", f"/p/{flash_deal_product(site, 'uk')}"))

    expect(page.locator("[data-test=tax-display]")).to_have_text("incl. VAT")
    expect(page.locator("[data-test=tax-note]")).to_contain_text("included")
    deal = page.locator("[data-test=deal]")
    deal_price = amount(deal.locator(".price").inner_text())
    regular = amount(deal.locator(".prior").inner_text())
    assert 0 < deal_price < regular
    expect(deal.locator(".prior")).to_have_attribute("aria-label", "Regular price")  # the "was" price, struck out

    add_to_cart(page.locator("[data-test=add-to-cart]"))
    start_checkout(page, site, "uk", "GB")
    review = page.locator("[data-test=review]")
    expect(review.locator("[data-test=tax-added]")).to_have_count(0)
    vat = review.locator("[data-test=tax-included]")
    expect(vat).to_contain_text("£")
    items = amount(review.locator("tr").first.locator("td").inner_text())
    shipping = amount(review.locator("[data-test=shipping-total]").inner_text())
    total = amount(review.locator("[data-test=order-total]").inner_text())
    assert 0 < amount(vat.inner_text()) < items
    assert total == items + shipping  # VAT is inside the prices, never added on top
