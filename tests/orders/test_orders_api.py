"""Buyers and sellers reading and moving orders through the API."""
from __future__ import annotations

from decimal import Decimal
from typing import Any


def test_a_buyer_pages_through_own_orders_newest_first(client: Any, make_seller: Any, make_product: Any,
                                                      make_order: Any, login: Any) -> None:
    seller = make_seller("uk")
    product = make_product(seller, stock=20)
    buyer = login("uk", "buyer")
    made = [make_order(seller, product, buyer=buyer).id for _ in range(3)]
    first = client.get("/api/v1/orders?limit=2", headers=buyer[1]).get_json()
    assert [o["id"] for o in first["items"]] == made[::-1][:2]
    second = client.get(f"/api/v1/orders?limit=2&before={first['next_before']}", headers=buyer[1]).get_json()
    assert [o["id"] for o in second["items"]] == [made[0]] and second["next_before"] is None


def test_a_buyer_never_sees_another_buyers_order(client: Any, make_seller: Any, make_product: Any,
                                                 make_order: Any, login: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller))
    _, stranger = login("uk", "buyer")
    assert client.get(f"/api/v1/orders/{order.id}", headers=stranger).status_code == 404
    assert all(o["id"] != order.id for o in client.get("/api/v1/orders", headers=stranger).get_json()["items"])


def test_an_order_of_another_tenant_is_not_found(client: Any, make_seller: Any, make_product: Any,
                                                 make_order: Any, login: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller))
    _, german_buyer = login("de", "buyer")
    assert client.get(f"/api/v1/orders/{order.id}", headers=german_buyer).status_code == 404
    uk_token_in_de = {**order.buyer_headers, "X-Pasar-Tenant": "de"}
    assert client.get(f"/api/v1/orders/{order.id}", headers=uk_token_in_de).status_code == 401


def test_the_order_detail_shows_lines_and_totals_in_the_buyers_currency(client: Any, make_seller: Any,
                                                                        make_product: Any, make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller, price="12.50"), quantity=2, shipping="3.99")
    detail = client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()
    assert detail["status"] == "paid" and detail["items"] == 2
    assert detail["lines"][0]["unit_price"] == {"amount": "12.50", "currency": "GBP", "formatted": "£12.50"}
    assert detail["totals"]["subtotal"]["formatted"] == "£25.00"
    assert detail["totals"]["shipping"]["amount"] == "3.99"
    assert detail["totals"]["total"]["formatted"] == "£28.99"
    assert detail["totals"]["tax_included"] is True
    assert [(h["from_status"], h["to_status"], h["actor"]) for h in detail["history"]] == [
        ("pending_payment", "paid", "gateway")]
    assert detail["shipment"] is None and detail["return_window"] == {"deadline": None, "days": None, "open": False}


def test_us_tax_is_added_on_top_of_the_prices(client: Any, make_seller: Any, make_product: Any,
                                              make_order: Any) -> None:
    seller = make_seller("us")
    order = make_order(seller, make_product(seller, price="80.00", category="standard"))
    totals = client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()["totals"]
    assert totals["tax_included"] is False
    assert Decimal(totals["tax"]["amount"]) > 0
    assert Decimal(totals["total"]["amount"]) == Decimal("80.00") + Decimal(totals["tax"]["amount"])


def test_a_seller_filters_its_orders_by_status(client: Any, make_seller: Any, make_product: Any,
                                               make_order: Any) -> None:
    seller, other = make_seller("uk"), make_seller("uk")
    product = make_product(seller, stock=20)
    paid = make_order(seller, product)
    ready = make_order(seller, product, ready=True)
    make_order(other, make_product(other))
    todo = client.get("/api/v1/seller/orders?status=paid", headers=seller.headers).get_json()["items"]
    assert [o["id"] for o in todo] == [paid.id]
    everything = client.get("/api/v1/seller/orders", headers=seller.headers).get_json()["items"]
    assert [o["id"] for o in everything] == [ready.id, paid.id]
    bad = client.get("/api/v1/seller/orders?status=lost", headers=seller.headers)
    assert bad.status_code == 422 and "query.status" in bad.get_json()["errors"]


def test_a_seller_sees_only_its_own_order_detail(client: Any, make_seller: Any, make_product: Any,
                                                 make_order: Any) -> None:
    seller, other = make_seller("uk"), make_seller("uk")
    order = make_order(seller, make_product(seller))
    mine = client.get(f"/api/v1/seller/orders/{order.id}", headers=seller.headers)
    assert mine.status_code == 200 and mine.get_json()["shipping_address"]["city"] == "London"
    assert client.get(f"/api/v1/seller/orders/{order.id}", headers=other.headers).status_code == 404
    assert client.get(f"/api/v1/seller/orders/{order.id}", headers=order.buyer_headers).status_code == 403


def test_a_seller_accepts_a_paid_order(client: Any, make_seller: Any, make_product: Any, make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller))
    answer = client.post(f"/api/v1/seller/orders/{order.id}/ready", headers=seller.headers)
    assert answer.status_code == 200 and answer.get_json()["status"] == "ready_to_ship"
    again = client.post(f"/api/v1/seller/orders/{order.id}/ready", headers=seller.headers)
    assert again.status_code == 409 and "status" in again.get_json()["errors"]


def test_an_unpaid_prepaid_order_cannot_be_accepted(client: Any, make_seller: Any, make_product: Any,
                                                    make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), paid=False)
    answer = client.post(f"/api/v1/seller/orders/{order.id}/ready", headers=seller.headers)
    assert answer.status_code == 409
    assert answer.get_json()["errors"]["status"] == [f"order {order.id} is waiting for its payment"]


def test_a_cash_on_delivery_order_is_accepted_before_it_is_paid(client: Any, make_seller: Any, make_product: Any,
                                                                make_order: Any) -> None:
    seller = make_seller("th")
    order = make_order(seller, make_product(seller, price="300.00"), method="cod", paid=False)
    answer = client.post(f"/api/v1/seller/orders/{order.id}/ready", headers=seller.headers)
    assert answer.status_code == 200 and answer.get_json()["status"] == "ready_to_ship"
    assert answer.get_json()["paid_at"] is None


def test_a_buyer_cancels_an_unpaid_order_and_the_stock_comes_back(client: Any, make_seller: Any, make_product: Any,
                                                                  make_order: Any, stock_of: Any) -> None:
    seller = make_seller("uk")
    product = make_product(seller, stock=5)
    order = make_order(seller, product, quantity=2, paid=False)
    assert stock_of("uk", product.variant_id) == (5, 2)
    answer = client.post(f"/api/v1/orders/{order.id}/cancel", json={}, headers=order.buyer_headers)
    assert answer.status_code == 200 and answer.get_json()["status"] == "cancelled"
    assert stock_of("uk", product.variant_id) == (5, 0)
    assert answer.get_json()["history"][-1]["actor"] == "buyer"


def test_a_buyer_cannot_cancel_a_paid_order(client: Any, make_seller: Any, make_product: Any, make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller))
    answer = client.post(f"/api/v1/orders/{order.id}/cancel", json={}, headers=order.buyer_headers)
    assert answer.status_code == 409 and "status" in answer.get_json()["errors"]


def test_a_seller_cancel_needs_a_reason(client: Any, make_seller: Any, make_product: Any, make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), paid=False)
    answer = client.post(f"/api/v1/seller/orders/{order.id}/cancel", json={}, headers=seller.headers)
    assert answer.status_code == 422 and "reason" in answer.get_json()["errors"]


def test_a_shipped_order_cannot_be_cancelled_by_the_seller(client: Any, make_seller: Any, make_product: Any,
                                                           make_order: Any) -> None:
    from pasar.testing.fulfilment_factories import deliver

    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    deliver(client, order, until="in_transit")
    answer = client.post(f"/api/v1/seller/orders/{order.id}/cancel", json={"reason": "out of stock"},
                         headers=seller.headers)
    assert answer.status_code == 409
    assert "shipped" in answer.get_json()["errors"]["status"][0]
