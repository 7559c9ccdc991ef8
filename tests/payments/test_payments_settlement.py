"""Settling payments the buyer or the network left open: unpaid checkouts expire (after asking
the gateway, so a payment that went through is kept), and a payment whose gateway call timed
out is settled by reconciliation with the same idempotency key — exactly one charge."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pasar.payments.tasks import expire_unpaid, reconcile
from pasar.testing.commerce_factories import TIMEOUT_CARD


def test_an_unpaid_virtual_account_expires_and_gives_the_stock_back(
    login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any, time_travel: Any,
) -> None:
    _, buyer = login("id", "buyer")
    product = make_product(make_seller("id"), price="150000", stock=5)
    placed = commerce.place_order(buyer, (product, 2), method="va_bca")
    assert stock_of("id", product.variant_id) == (5, 2)

    time_travel(timedelta(hours=23))
    expire_unpaid()
    assert commerce.checkout(placed)["status"] == "pending_payment"

    time_travel(timedelta(hours=2))
    expire_unpaid()
    after = commerce.checkout(placed)
    assert (after["status"], after["orders"][0]["status"], after["payment"]["status"]) == ("expired", "cancelled", "expired")
    assert stock_of("id", product.variant_id) == (5, 0)
    assert commerce.client.get(placed.payment["action"]["sandbox_url"]).get_data(as_text=True).count('value="pay"') == 0


def test_expiry_keeps_a_payment_whose_webhook_was_lost(
    login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any, time_travel: Any,
    held_webhooks: Any,
) -> None:
    _, buyer = login("id", "buyer")
    product = make_product(make_seller("id"), price="150000", stock=5)
    placed = commerce.place_order(buyer, product, method="qris")
    page = placed.payment["action"]["sandbox_url"]
    token = commerce.client.get(page).get_data(as_text=True).split('name="token" value="')[1].split('"')[0]
    assert commerce.client.post(page, data={"token": token, "action": "pay"}).status_code == 303  # webhook held
    assert commerce.payment_row("id", placed.checkout_id).status == "pending"

    time_travel(timedelta(hours=1))  # past the QR code's 15 minutes
    expire_unpaid()
    after = commerce.checkout(placed)
    assert (after["status"], after["orders"][0]["status"], after["payment"]["status"]) == ("paid", "paid", "captured")
    assert stock_of("id", product.variant_id) == (4, 0)


def test_an_abandoned_redirect_payment_is_cancelled_at_the_gateway(
    login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any, time_travel: Any,
) -> None:
    _, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=2)
    placed = commerce.place_order(buyer, product, method="paypal")
    time_travel(timedelta(minutes=31))
    expire_unpaid()
    after = commerce.checkout(placed)
    assert (after["status"], after["orders"][0]["status"], after["payment"]["status"]) == ("expired", "cancelled", "cancelled")
    assert stock_of("uk", product.variant_id) == (2, 0)
    page = commerce.client.get(placed.payment["action"]["redirect_url"]).get_data(as_text=True)
    assert 'value="approve"' not in page


def test_a_timed_out_card_payment_stays_pending_until_reconciled_with_one_charge(
    login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any, held_webhooks: Any,
) -> None:
    _, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=3)
    placed = commerce.place_order(buyer, product, details={"card_number": TIMEOUT_CARD})
    payment = placed.payment
    assert (payment["status"], payment["outcome_unknown"], payment["action"]) == ("pending", True, {"type": "wait"})
    assert (placed.body["status"], placed.body["orders"][0]["status"]) == ("pending_payment", "pending_payment")
    assert stock_of("uk", product.variant_id) == (3, 1)

    reconcile()
    after = commerce.checkout(placed)
    assert (after["status"], after["payment"]["status"], after["payment"]["outcome_unknown"]) == ("paid", "captured", False)
    assert commerce.charges("uk", payment["reference"]) == 1
    assert commerce.postings("uk", "payment_captured", payment["reference"]) == 1
    assert stock_of("uk", product.variant_id) == (2, 0)
    for tenant, webhook in held_webhooks.of("payments"):  # the lost capture notice turns up late
        assert held_webhooks.deliver(tenant, webhook).status_code == 200
    assert commerce.postings("uk", "payment_captured", payment["reference"]) == 1
    reconcile()
    assert commerce.charges("uk", payment["reference"]) == 1
