"""Seller center: accepting and shipping orders (a label from the marketplace's carrier and its
printable page), cancelling, returns, and that a shop only ever sees its own orders."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from pasar.orders import service as orders
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.fulfilment_factories import OrderHandle, deliver


def order_status(app: Any, code: str, order_id: int) -> str:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return orders.get_order(session, tenant, order_id).status


def test_a_paid_order_is_accepted_and_its_label_bought_and_printed(
    app: Any, make_seller: Any, make_product: Any, make_order: Any, seller_web: Any,
) -> None:
    shop = make_seller("uk")
    order = make_order(shop, make_product(shop, price="15.00"))
    browser = seller_web(shop)
    listing = browser.get("/seller/orders?status=paid").get_data(as_text=True)
    assert f'data-test="order-row-{order.id}"' in listing
    page = browser.get(f"/seller/orders/{order.id}").get_data(as_text=True)
    assert 'data-test="order-accept"' in page and 'data-test="buy-label"' not in page

    assert browser.post(f"/seller/orders/{order.id}/ready").status_code == 302
    assert order_status(app, "uk", order.id) == "ready_to_ship"
    page = browser.get(f"/seller/orders/{order.id}").get_data(as_text=True)
    assert 'id="buy-label"' in page
    option = re.search(r'<option value="([^"]+)" selected>', page)
    assert option is not None

    bought = browser.post(f"/seller/orders/{order.id}/label", {"shipping_option": option.group(1)})
    assert bought.status_code == 302, bought.get_data(as_text=True)[:2000]
    page = browser.get(f"/seller/orders/{order.id}").get_data(as_text=True)
    tracking = re.search(r'data-test="tracking-number">([^<]+)<', page)
    link = re.search(r'<a class="button primary" href="([^"]+)"[^>]*data-test="label-print"', page)
    assert tracking and link
    with browser.client.get(urlsplit(link.group(1)).path) as label:
        assert label.status_code == 200 and label.mimetype == "text/html"
        assert tracking.group(1) in label.get_data(as_text=True)
    assert 'id="buy-label"' not in page  # one label per order


def test_a_refused_label_names_the_field(make_seller: Any, make_product: Any, make_order: Any,
                                         seller_web: Any) -> None:
    shop = make_seller("uk")
    order = make_order(shop, make_product(shop), ready=True)
    response = seller_web(shop).post(f"/seller/orders/{order.id}/label", {"shipping_option": "no_such_carrier/fast"})
    assert response.status_code == 422
    assert 'id="shipping_option-error"' in response.get_data(as_text=True)


def test_cancelling_a_paid_order_needs_a_reason_refunds_the_buyer_and_puts_the_units_back(
    app: Any, commerce: Any, login: Any, make_seller: Any, make_product: Any, seller_web: Any, stock_of: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop, stock=4, price="7.00")
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, product, quantity=2, method="card")
    commerce.pay(placed)
    order_id = placed.order_ids[0]
    browser = seller_web(shop)
    assert 'data-test="cancel-form"' in browser.get(f"/seller/orders/{order_id}").get_data(as_text=True)
    missing = browser.post(f"/seller/orders/{order_id}/cancel", {"reason": " "})
    assert missing.status_code == 422 and 'id="reason-error"' in missing.get_data(as_text=True)
    assert browser.post(f"/seller/orders/{order_id}/cancel", {"reason": "sold out in the shop"}).status_code == 302
    assert order_status(app, "uk", order_id) == "cancelled"
    assert stock_of("uk", product.variant_id) == (4, 0)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        cancelled = orders.get_order(session, tenant, order_id)
        assert orders.refunded_minor(session, tenant, cancelled) == cancelled.total_minor  # goods and shipping


def test_a_return_is_accepted_then_received_and_refunded(
    app: Any, client: Any, commerce: Any, login: Any, make_seller: Any, make_product: Any, seller_web: Any,
    stock_of: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop, price="20.00", stock=5)
    principal, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, product, method="card")
    commerce.pay(placed)
    order = OrderHandle(placed.order_ids[0], placed.checkout_id, "uk", principal.id, buyer, shop, ())
    browser = seller_web(shop)
    assert browser.post(f"/seller/orders/{order.id}/ready").status_code == 302
    deliver(client, order)
    line = client.get(f"/api/v1/orders/{order.id}", headers=buyer).get_json()["lines"][0]
    asked = client.post(f"/api/v1/orders/{order.id}/returns", headers=buyer,
                        json={"lines": [{"line_id": line["id"], "quantity": 1}], "reason": "wrong colour"})
    assert asked.status_code == 201, asked.get_json()
    return_id = asked.get_json()["id"]
    waiting = browser.get("/seller/returns?status=requested").get_data(as_text=True)
    assert f'data-test="return-accept-{return_id}"' in waiting and "wrong colour" in waiting

    assert browser.post(f"/seller/returns/{return_id}/approve").status_code == 302
    assert order_status(app, "uk", order.id) == "return_approved"
    assert f'data-test="return-received-{return_id}"' in browser.get("/seller/returns").get_data(as_text=True)
    assert browser.post(f"/seller/returns/{return_id}/received").status_code == 302
    assert order_status(app, "uk", order.id) == "refunded"
    assert stock_of("uk", product.variant_id)[0] == 5  # the unit is back on the shelf


def test_refusing_a_return_needs_a_reason(client: Any, make_seller: Any, make_product: Any, make_order: Any,
                                          seller_web: Any) -> None:
    shop = make_seller("uk")
    order = make_order(shop, make_product(shop), ready=True)
    deliver(client, order)
    line = client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()["lines"][0]
    return_id = client.post(f"/api/v1/orders/{order.id}/returns", headers=order.buyer_headers,
                            json={"lines": [{"line_id": line["id"], "quantity": 1}], "reason": "meh"}).get_json()["id"]
    browser = seller_web(shop)
    refused = browser.post(f"/seller/returns/{return_id}/reject", {"reason": ""})
    assert refused.status_code == 422
    assert f'id="reason-{return_id}-error"' in refused.get_data(as_text=True)
    assert browser.post(f"/seller/returns/{return_id}/reject", {"reason": "worn"}).status_code == 302


def test_another_shops_order_is_not_found_in_this_or_another_marketplace(
    make_seller: Any, make_product: Any, make_order: Any, seller_web: Any,
) -> None:
    owner = make_seller("uk")
    order = make_order(owner, make_product(owner), ready=True)
    neighbour = seller_web(make_seller("uk"))
    assert neighbour.get(f"/seller/orders/{order.id}").status_code == 404
    assert neighbour.post(f"/seller/orders/{order.id}/label", {"shipping_option": ""}).status_code == 404
    assert neighbour.post(f"/seller/orders/{order.id}/cancel", {"reason": "mine now"}).status_code == 404
    foreign = seller_web(make_seller("de"))
    assert foreign.get(f"/seller/orders/{order.id}").status_code == 404
    assert f"order-row-{order.id}" not in foreign.get("/seller/orders").get_data(as_text=True)
    owners_page = seller_web(owner).get(f"/seller/orders/{order.id}")
    assert owners_page.status_code == 200
