"""An operator in Chromium: signs in to the console, opens a marketplace's KYC queue and
approves a shop whose documents are all there; the shop may sell from then on."""
from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from pasar.demo.data import DEMO_PASSWORD, OPERATOR_EMAIL
from pasar.testing.browser import Backstage, Site

pytestmark = pytest.mark.browser


def test_an_operator_approves_a_seller_s_kyc_from_the_review_queue(page: Any, site: Site) -> None:
    from pasar.sellers.models import Seller

    shop_id = Backstage(site).pending_shop("th", "Browser KYC Shop")

    page.goto(f"{site.server.root}/console/signin")
    page.locator("#email").fill(OPERATOR_EMAIL)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("[data-test=console-signin]").click()
    page.wait_for_url(lambda url: "/signin" not in url)
    page.goto(f"{site.server.root}/console/tenants/th/kyc")
    review = page.locator(f"[data-test=kyc-seller-{shop_id}]")
    expect(review).to_contain_text("Browser KYC Shop")
    expect(review.locator("[data-test^=kyc-document-]")).not_to_have_count(0)
    review.locator("[data-test=kyc-approve]").click()

    expect(page.locator(f"[data-test=kyc-seller-{shop_id}]")).to_have_count(0)
    with site.session("th") as session:
        seller = session.get_one(Seller, shop_id)
        assert (seller.status, seller.reviewed_by is not None) == ("approved", True)
