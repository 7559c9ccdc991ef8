"""Redirect payments: the sandbox page (amount, method, CSRF-safe buttons), and the race of
the buyer's return with the provider's webhook — one result whichever comes first."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from pasar.orders.models import OrderTransition


def paid_moves(commerce: Any, tenant: str, order_id: int) -> int:
    with commerce.session(tenant) as session:
        return int(session.scalar(select(func.count()).select_from(OrderTransition).where(
            OrderTransition.order_id == order_id, OrderTransition.to_status == "paid")) or 0)


def token_of(page: Any) -> str:
    return page.get_data(as_text=True).split('name="token" value="')[1].split('"')[0]


def test_the_sandbox_page_shows_provider_method_and_amount_with_approve_and_decline(
    login: Any, make_seller: Any, make_product: Any, commerce: Any,
) -> None:
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, make_product(make_seller("uk"), price="12.00"), method="paypal")
    page = commerce.client.get(placed.payment["action"]["redirect_url"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["X-Frame-Options"] == "DENY"
    assert "PayPal" in html and placed.payment["amount"]["formatted"] in html
    assert 'value="approve"' in html and 'value="decline"' in html and 'value="pay"' not in html


def test_the_return_before_the_webhook_settles_once(login: Any, make_seller: Any, make_product: Any,
                                                    commerce: Any, held_webhooks: Any, stock_of: Any) -> None:
    _, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=4)
    placed = commerce.place_order(buyer, product, method="paypal")
    page_url = placed.payment["action"]["redirect_url"]
    pressed = commerce.client.post(page_url, data={"token": token_of(commerce.client.get(page_url)), "action": "approve"})

    back = commerce.client.get(pressed.headers["Location"])  # no bearer token: the reference is enough
    assert (back.status_code, back.json["status"], back.json["payment"]["status"]) == (200, "paid", "captured")
    [(tenant, webhook)] = held_webhooks.of("payments")
    late = held_webhooks.deliver(tenant, webhook)
    assert (late.status_code, late.json["duplicate"], late.json["payment_status"]) == (200, False, "captured")

    reference = placed.payment["reference"]
    assert commerce.postings("uk", "payment_captured", reference) == 1
    assert paid_moves(commerce, "uk", placed.order_ids[0]) == 1
    assert stock_of("uk", product.variant_id) == (3, 0)


def test_the_webhook_before_the_return_settles_once(login: Any, make_seller: Any, make_product: Any, commerce: Any,
                                                    pay: Any, stock_of: Any) -> None:
    _, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=4)
    placed = commerce.place_order(buyer, product, method="klarna")
    returned = pay(placed)  # the webhook is delivered while the page answers; then the return
    assert (returned["status"], returned["orders"][0]["status"]) == ("paid", "paid")
    again = commerce.client.get(f"/api/v1/checkout/{placed.checkout_id}/return", headers=buyer)
    assert again.json == returned
    assert commerce.postings("uk", "payment_captured", placed.payment["reference"]) == 1
    assert paid_moves(commerce, "uk", placed.order_ids[0]) == 1
    assert stock_of("uk", product.variant_id) == (3, 0)


def test_declining_on_the_page_cancels_the_orders_and_releases_the_stock(
    login: Any, make_seller: Any, make_product: Any, commerce: Any, pay: Any, stock_of: Any,
) -> None:
    _, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=4)
    placed = commerce.place_order(buyer, (product, 3), method="paypal")
    assert stock_of("uk", product.variant_id) == (4, 3)
    declined = pay(placed, action="decline")
    assert (declined["status"], declined["orders"][0]["status"]) == ("failed", "cancelled")
    assert declined["payment"]["failure_reason"] == "declined_by_buyer"
    assert stock_of("uk", product.variant_id) == (4, 0)


def test_the_page_refuses_a_form_without_its_token(login: Any, make_seller: Any, make_product: Any,
                                                  commerce: Any) -> None:
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, make_product(make_seller("uk")), method="paypal")
    page_url = placed.payment["action"]["redirect_url"]
    for form in ({"action": "approve"}, {"action": "approve", "token": "guessed"}):
        assert commerce.client.post(page_url, data=form).status_code == 400
    wrong = commerce.client.post(page_url, data={"action": "pay", "token": token_of(commerce.client.get(page_url))})
    assert wrong.status_code == 400
    assert commerce.payment_row("uk", placed.checkout_id).status == "requires_action"


def test_a_virtual_account_page_simulates_the_transfer(login: Any, make_seller: Any, make_product: Any,
                                                      commerce: Any, pay: Any, stock_of: Any) -> None:
    _, buyer = login("id", "buyer")
    product = make_product(make_seller("id"), price="150000", stock=3)
    placed = commerce.place_order(buyer, product, method="va_bca")
    action = placed.payment["action"]
    assert action["type"] == "instructions" and action["instructions"]["va_number"].startswith("8808")
    assert action["expires_at"] == placed.body["expires_at"]
    html = commerce.client.get(action["sandbox_url"]).get_data(as_text=True)
    assert 'value="pay"' in html and action["instructions"]["va_number"] in html

    paid = pay(placed)
    assert (paid["status"], paid["payment"]["status"]) == ("paid", "captured")
    assert stock_of("id", product.variant_id) == (2, 0)


def test_a_page_of_another_tenant_or_an_unknown_payment_is_not_found(login: Any, make_seller: Any,
                                                                     make_product: Any, commerce: Any) -> None:
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, make_product(make_seller("uk")), method="paypal")
    page_url = placed.payment["action"]["redirect_url"]
    assert commerce.client.get(page_url.replace("/sandbox/uk/", "/sandbox/de/")).status_code == 404
    assert commerce.client.get(page_url.rsplit("/", 1)[0] + "/sandbox_paypal_unknown").status_code == 404
