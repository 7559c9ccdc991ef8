"""A German buyer in Chromium withdraws from a delivered order within the 14-day statutory
period: declared, then confirmed in a second step; the shop has to take it back."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pasar.demo.data import seller_email
from pasar.testing.browser import Backstage, Site, amount, sign_in

pytestmark = pytest.mark.browser


def test_a_german_buyer_withdraws_from_a_delivered_order_within_14_days(page: Any, site: Site) -> None:
    from pasar.orders.models import Order
    from pasar.returns.models import ReturnRequest

    backstage = Backstage(site)
    buyer = backstage.buyer("de")
    seller = seller_email("de", 1)
    order_id = backstage.paid_order(buyer, backstage.shop_variant("de", seller), method="paypal")
    backstage.deliver("de", order_id, backstage.headers_of("de", seller))
    with site.session("de") as session:
        order = session.get_one(Order, order_id)
        assert order.delivered_at is not None and order.return_deadline == order.delivered_at + timedelta(days=14)
        paid = order.total_minor

    sign_in(page, site, "de", buyer.email, buyer.password, next_path=f"/orders/{order_id}")
    expect(page.locator("[data-test=order-status]")).to_have_attribute("data-status", "delivered")
    page.locator("[data-test=withdraw]").click()
    refund = page.locator("[data-test=withdrawal-refund]")
    expect(refund).to_be_visible()
    assert amount(refund.inner_text().replace(".", "").replace(",", ".")) * 100 == paid  # de_DE: 1.234,50 €
    page.locator("[data-test=confirm-withdrawal]").click()

    expect(page.locator("[data-kind=withdrawal]")).to_be_visible()
    with site.session("de") as session:
        (withdrawal,) = session.scalars(select(ReturnRequest).where(ReturnRequest.order_id == order_id)).all()
        order = session.get_one(Order, order_id)
    assert withdrawal.kind == "withdrawal" and withdrawal.refund_minor == paid
    assert withdrawal.requested_at is not None and withdrawal.requested_at <= order.return_deadline
    assert order.status == "return_requested"
