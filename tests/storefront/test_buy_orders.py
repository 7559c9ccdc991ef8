"""The buyer's orders pages: the list, one order with its parcel's tracking timeline, cancelling
an unpaid order, a return request, and the EU withdrawal in two steps within its window."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pasar.testing.buying_factories import MakeShopper, Shopper
from pasar.testing.fulfilment_factories import OrderHandle, deliver


def ordered(shopper: MakeShopper, make_seller: Any, make_product: Any, make_order: Any, code: str,
            price: str, **options: Any) -> tuple[Shopper, OrderHandle]:
    buyer = shopper(code)
    seller = make_seller(code)
    order = make_order(seller, make_product(seller, price=price), buyer=(buyer.user, {}), **options)
    return buyer, order


def test_the_orders_page_lists_the_order_and_its_page_shows_the_tracking_timeline(
        client: Any, shopper: MakeShopper, make_seller: Any, make_product: Any, make_order: Any) -> None:
    buyer, order = ordered(shopper, make_seller, make_product, make_order, "uk", "18.00", ready=True)
    listed = buyer.browser.get("/orders").get_data(as_text=True)
    assert f'data-test="order-{order.id}"' in listed and "£18.00" in listed
    assert 'data-test="tracking-timeline"' not in buyer.browser.get(f"/orders/{order.id}").get_data(as_text=True)
    deliver(client, order)
    page = buyer.browser.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'data-test="tracking-timeline"' in page
    statuses = [chunk.split('"')[0] for chunk in page.split('data-test="tracking-event" data-status="')[1:]]
    assert statuses[0] == "delivered" and "picked_up" in statuses  # newest first
    assert 'data-status="delivered"' in page.split('data-test="order-status"')[1][:80]


def test_another_buyers_order_is_not_found(shopper: MakeShopper, make_seller: Any, make_product: Any,
                                           make_order: Any) -> None:
    _, order = ordered(shopper, make_seller, make_product, make_order, "uk", "5.00")
    stranger = shopper("uk")
    assert stranger.browser.get(f"/orders/{order.id}").status_code == 404


def test_an_unpaid_order_can_be_cancelled_and_a_paid_one_offers_no_button(
        shopper: MakeShopper, make_seller: Any, make_product: Any, make_order: Any) -> None:
    buyer, unpaid = ordered(shopper, make_seller, make_product, make_order, "th", "250", paid=False)
    assert 'data-test="cancel-order"' in buyer.browser.get(f"/orders/{unpaid.id}").get_data(as_text=True)
    cancelled = buyer.browser.post(f"/orders/{unpaid.id}/cancel")
    assert cancelled.status_code == 303
    page = buyer.browser.get(f"/orders/{unpaid.id}").get_data(as_text=True)
    assert 'data-status="cancelled"' in page and 'data-test="cancel-order"' not in page
    assert buyer.browser.post(f"/orders/{unpaid.id}/cancel").status_code == 409


def test_a_delivered_order_takes_a_return_request_with_a_reason(
        client: Any, shopper: MakeShopper, make_seller: Any, make_product: Any, make_order: Any) -> None:
    buyer, order = ordered(shopper, make_seller, make_product, make_order, "us", "40.00", ready=True)
    deliver(client, order)
    page = buyer.browser.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'data-test="return-form"' in page and 'data-test="withdrawal-form"' not in page
    line_id = order.line_ids[0]
    refused = buyer.browser.post(f"/orders/{order.id}/return", {f"qty-{line_id}": 1, "reason": " "})
    assert refused.status_code == 422 and 'data-test="error-reason"' in refused.get_data(as_text=True)
    sent = buyer.browser.post(f"/orders/{order.id}/return", {f"qty-{line_id}": 1, "reason": "Too small"})
    assert sent.status_code == 303
    assert 'data-status="return_requested"' in buyer.browser.get(f"/orders/{order.id}").get_data(as_text=True)


def test_a_german_buyer_withdraws_within_14_days_after_confirming(
        client: Any, shopper: MakeShopper, make_seller: Any, make_product: Any, make_order: Any,
        time_travel: Any) -> None:
    buyer, order = ordered(shopper, make_seller, make_product, make_order, "de", "49.90", ready=True)
    deliver(client, order)
    time_travel(timedelta(days=13))
    page = buyer.browser.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'data-test="withdraw"' in page
    declared = buyer.browser.post(f"/orders/{order.id}/withdrawal")
    confirm_page = declared.get_data(as_text=True)
    assert declared.status_code == 200 and 'data-test="confirm-withdrawal"' in confirm_page
    assert 'data-status="delivered"' in buyer.browser.get(f"/orders/{order.id}").get_data(as_text=True)
    token = confirm_page.split('name="token" value="')[1].split('"')[0]
    wrong = buyer.browser.post(f"/orders/{order.id}/withdrawal/confirm", {"token": "guess"})
    assert wrong.status_code == 422
    confirmed = buyer.browser.post(f"/orders/{order.id}/withdrawal/confirm", {"token": token})
    assert confirmed.status_code == 303
    after = buyer.browser.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'data-status="return_requested"' in after and 'data-kind="withdrawal"' in after


def test_after_the_window_the_withdrawal_is_gone_and_refused(
        client: Any, shopper: MakeShopper, make_seller: Any, make_product: Any, make_order: Any,
        time_travel: Any) -> None:
    buyer, order = ordered(shopper, make_seller, make_product, make_order, "de", "19.90", ready=True)
    deliver(client, order)
    time_travel(timedelta(days=15))
    page = buyer.browser.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'data-test="withdraw"' not in page
    refused = buyer.browser.post(f"/orders/{order.id}/withdrawal")
    assert refused.status_code == 409
    assert 'data-test="error-return_window"' in refused.get_data(as_text=True)


def test_the_account_page_shows_the_buyer_and_the_last_address(
        shopper: MakeShopper, make_seller: Any, make_product: Any, make_order: Any) -> None:
    buyer, _ = ordered(shopper, make_seller, make_product, make_order, "uk", "5.00")
    page = buyer.browser.get("/account").get_data(as_text=True)
    assert buyer.user.email in page and 'data-test="account-address"' in page
    assert 'data-test="account-signout"' in page
