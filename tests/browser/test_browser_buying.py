"""Buyers of three marketplaces in Chromium: a Thai buyer buys the pinned product of a live room
and pays with PromptPay (the QR code's sandbox page, the provider's signed webhook delivered by
the real worker); a US buyer sees sales tax added at checkout; an Indonesian buyer pays cash on
delivery."""
from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pasar.testing.browser import (
    Backstage,
    Site,
    add_to_cart,
    amount,
    choose_payment,
    sign_in,
    start_checkout,
)

pytestmark = pytest.mark.browser

_CHECKOUT_ID = re.compile(r"/checkout/(\d+)")


def checkout_id(page: Any) -> int:
    found = _CHECKOUT_ID.search(page.url)
    assert found, page.url
    return int(found.group(1))


def test_a_thai_buyer_buys_the_pinned_product_of_a_live_room_with_promptpay(page: Any, site: Site) -> None:
    from pasar.payments.models import Payment, PaymentEvent

    buyer = Backstage(site).buyer("th")
    sign_in(page, site, "th", buyer.email, buyer.password)
    page.goto(site.url("th", "/live"))
    page.locator("[data-test=live-now] [data-test=live-card] a").first.click()
    expect(page.locator("[data-test=live-room]")).to_have_attribute("data-status", "live")
    pinned = page.locator("[data-test=pinned-product]:not([hidden])")
    expect(pinned).to_have_count(1)
    add_to_cart(pinned.locator("[data-test=buy-form]"))

    start_checkout(page, site, "th", "TH")
    choose_payment(page, "promptpay")
    total = page.locator("[data-test=order-total]").inner_text()
    page.locator("[data-test=place-order]").click()

    status = page.locator("[data-test=payment-status]")
    expect(status).to_have_attribute("data-status", re.compile("requires_action|pending"))
    expect(page.locator("[data-test=qr-payload]")).not_to_be_empty()
    expect(page.locator("[data-test=qr-code] svg.qr-code")).to_be_visible()  # drawn, not only its text
    placed = checkout_id(page)
    page.locator("[data-test=sandbox-pay]").click()  # the bank app a buyer scans the QR code with
    expect(page.locator("dd strong")).to_have_text(total)
    page.locator("button[name=action][value=pay]").click()

    expect(status).to_have_attribute("data-status", "captured")
    assert checkout_id(page) == placed
    site.drain_worker()
    with site.session("th") as session:
        payment = session.scalars(select(Payment).where(Payment.checkout_id == placed)).one()
        events = session.scalars(select(PaymentEvent).where(PaymentEvent.payment_id == payment.id)).all()
    assert payment.status == "captured" and payment.method == "promptpay"
    assert events, "the provider's signed webhook reached the kernel through the worker"

    page.goto(site.url("th", "/orders"))
    expect(page.locator(".order-row .badge.status-paid")).to_have_count(1)


def test_a_us_buyer_sees_sales_tax_added_to_the_total_at_checkout(page: Any, site: Site) -> None:
    backstage = Backstage(site)
    buyer = backstage.buyer("us")
    variant = backstage.shop_variant("us", "seller3@us.pasar.example", tax_category="standard")
    backstage.commerce.add_to_cart(buyer.headers, variant)  # put there on an earlier visit
    sign_in(page, site, "us", buyer.email, buyer.password)

    page.goto(site.url("us", "/cart"))
    expect(page.locator("[data-test=tax-note]")).to_contain_text("added at checkout")
    in_cart = amount(page.locator("[data-test=cart-subtotal]").inner_text())

    start_checkout(page, site, "us", "US")
    review = page.locator("[data-test=review]")
    tax = amount(review.locator("[data-test=tax-added] td").inner_text())
    shipping = amount(review.locator("[data-test=shipping-total]").inner_text())
    total = amount(review.locator("[data-test=order-total]").inner_text())
    assert tax > 0
    assert total == in_cart + shipping + tax
    expect(review.locator("[data-test=tax-included]")).to_have_count(0)


def test_an_indonesian_buyer_pays_cash_on_delivery(page: Any, site: Site) -> None:
    from pasar.orders.models import Order

    backstage = Backstage(site)
    buyer = backstage.buyer("id")
    backstage.commerce.add_to_cart(buyer.headers, backstage.shop_variant("id", "seller1@id.pasar.example"))
    sign_in(page, site, "id", buyer.email, buyer.password)

    start_checkout(page, site, "id", "ID")
    choose_payment(page, "cod")
    cash = page.locator("[data-test=cash-total]")
    expect(cash).to_be_visible()
    page.locator("[data-test=place-order]").click()

    expect(page.locator("[data-test=payment-status]")).to_be_visible()
    expect(page.locator("[data-test=cash-on-delivery]")).to_be_visible()
    expect(page.locator("[data-test=sandbox-pay], [data-test=continue-payment]")).to_have_count(0)
    with site.session("id") as session:
        orders = session.scalars(select(Order).where(Order.buyer_id == buyer.id)).all()
    assert [(o.payment_method, o.status) for o in orders] == [("cod", "pending_payment")]
