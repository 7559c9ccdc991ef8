"""Returns and withdrawals: the window, the two-step withdrawal, the seller's decision, the
refund of exactly what the buyer paid for the units that came back."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from pasar.payments.models import Refund
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.fulfilment_factories import deliver


def delivered_order(client: Any, make_seller: Any, make_product: Any, make_order: Any, code: str = "uk",
                    **options: Any) -> Any:
    seller = make_seller(code)
    price = options.pop("price", "20.00")
    order = make_order(seller, make_product(seller, price=price, stock=10), ready=True, **options)
    deliver(client, order)
    return order


def placed_and_delivered(client: Any, commerce: Any, make_seller: Any, make_product: Any, login: Any, code: str,
                         *, price: str, quantity: int = 1, method: str = "card") -> tuple[Any, Any]:
    """An order placed and paid through checkout (so payments can refund it), then delivered."""
    from pasar.testing.fulfilment_factories import OrderHandle

    seller = make_seller(code)
    product = make_product(seller, price=price, stock=10)
    principal, buyer = login(code, "buyer")
    placed = commerce.place_order(buyer, product, quantity=quantity, method=method)
    commerce.pay(placed)
    order_id = placed.order_ids[0]
    handle = OrderHandle(order_id, placed.checkout_id, code, principal.id, buyer, seller, ())
    client.post(f"/api/v1/seller/orders/{order_id}/ready", headers=seller.headers)
    deliver(client, handle)
    return handle, product


def refunds_of(app: Any, code: str, order_id: int) -> list[int]:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return list(session.scalars(select(Refund.amount_minor).where(Refund.order_id == order_id)))


def lines_of(client: Any, order: Any) -> list[dict[str, Any]]:
    return client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()["lines"]


def test_a_partial_return_refunds_the_units_sent_back_and_restocks_them(
    app: Any, client: Any, commerce: Any, make_seller: Any, make_product: Any, login: Any, stock_of: Any,
) -> None:
    order, product = placed_and_delivered(client, commerce, make_seller, make_product, login, "uk",
                                          price="15.00", quantity=2)
    line = lines_of(client, order)[0]
    asked = client.post(f"/api/v1/orders/{order.id}/returns", headers=order.buyer_headers,
                        json={"lines": [{"line_id": line["id"], "quantity": 1}], "reason": "too small"})
    assert asked.status_code == 201, asked.get_json()
    request = asked.get_json()
    assert request["kind"] == "return" and request["refund"]["amount"] == "15.00"
    assert request["shipping_refund"]["amount"] == "0.00"
    seller = order.seller
    on_hand_before = stock_of("uk", product.variant_id)[0]
    assert client.post(f"/api/v1/seller/returns/{request['id']}/approve", headers=seller.headers).status_code == 200
    received = client.post(f"/api/v1/seller/returns/{request['id']}/received", headers=seller.headers)
    assert received.status_code == 200, received.get_json()
    assert received.get_json()["status"] == "refunded"
    assert stock_of("uk", product.variant_id)[0] == on_hand_before + 1
    assert refunds_of(app, "uk", order.id) == [1500]
    detail = client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()
    assert detail["status"] == "refunded" and detail["lines"][0]["refunded_quantity"] == 1
    assert [h["to_status"] for h in detail["history"]][-4:] == [
        "return_requested", "return_approved", "returned", "refunded"]


def test_receiving_again_refunds_once(app: Any, client: Any, commerce: Any, make_seller: Any, make_product: Any,
                                      login: Any) -> None:
    order, _ = placed_and_delivered(client, commerce, make_seller, make_product, login, "uk", price="9.00")
    line = lines_of(client, order)[0]
    request = client.post(f"/api/v1/orders/{order.id}/returns", headers=order.buyer_headers,
                          json={"lines": [{"line_id": line["id"], "quantity": 1}], "reason": "broken"}).get_json()
    client.post(f"/api/v1/seller/returns/{request['id']}/approve", headers=order.seller.headers)
    client.post(f"/api/v1/seller/returns/{request['id']}/received", headers=order.seller.headers)
    again = client.post(f"/api/v1/seller/returns/{request['id']}/received", headers=order.seller.headers)
    assert again.status_code == 409
    assert refunds_of(app, "uk", order.id) == [900]


def test_a_return_outside_the_window_is_refused_naming_the_window(client: Any, make_seller: Any, make_product: Any,
                                                                   make_order: Any, time_travel: Any) -> None:
    order = delivered_order(client, make_seller, make_product, make_order)
    line = lines_of(client, order)[0]
    time_travel(timedelta(days=15))
    answer = client.post(f"/api/v1/orders/{order.id}/returns", headers=order.buyer_headers,
                         json={"lines": [{"line_id": line["id"], "quantity": 1}], "reason": "changed my mind"})
    assert answer.status_code == 409
    assert answer.get_json()["errors"]["return_window"][0].startswith("the return window closed at ")


def test_a_return_needs_a_reason_and_sane_quantities(client: Any, make_seller: Any, make_product: Any,
                                                     make_order: Any) -> None:
    order = delivered_order(client, make_seller, make_product, make_order, quantity=2)
    line = lines_of(client, order)[0]
    url = f"/api/v1/orders/{order.id}/returns"
    no_reason = client.post(url, headers=order.buyer_headers, json={"lines": [{"line_id": line["id"], "quantity": 1}]})
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["errors"]
    too_many = client.post(url, headers=order.buyer_headers,
                           json={"lines": [{"line_id": line["id"], "quantity": 3}], "reason": "x"})
    assert too_many.status_code == 422 and "lines.0.quantity" in too_many.get_json()["errors"]
    stranger_line = client.post(url, headers=order.buyer_headers,
                                json={"lines": [{"line_id": 999999, "quantity": 1}], "reason": "x"})
    assert stranger_line.status_code == 422 and "lines.0.line_id" in stranger_line.get_json()["errors"]
    smuggled = client.post(url, headers=order.buyer_headers,
                           json={"lines": [{"line_id": line["id"], "quantity": 1}], "reason": "x", "refund": "999"})
    assert smuggled.status_code == 422 and "refund" in smuggled.get_json()["errors"]


def test_a_rejected_return_needs_a_reason_and_the_order_completes_later(
    client: Any, make_seller: Any, make_product: Any, make_order: Any,
) -> None:
    from datetime import datetime

    from pasar.orders.tasks import complete_due

    order = delivered_order(client, make_seller, make_product, make_order)
    line = lines_of(client, order)[0]
    request = client.post(f"/api/v1/orders/{order.id}/returns", headers=order.buyer_headers,
                          json={"lines": [{"line_id": line["id"], "quantity": 1}], "reason": "meh"}).get_json()
    url = f"/api/v1/seller/returns/{request['id']}/reject"
    assert client.post(url, json={}, headers=order.seller.headers).status_code == 422
    rejected = client.post(url, json={"reason": "used and washed"}, headers=order.seller.headers)
    assert rejected.get_json()["status"] == "rejected"
    assert rejected.get_json()["rejection_reason"] == "used and washed"
    detail = client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()
    assert detail["status"] == "return_rejected"
    deadline = datetime.fromisoformat(detail["return_window"]["deadline"])
    complete_due.delay((deadline + timedelta(seconds=1)).isoformat())
    assert client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()["status"] == "completed"


def test_one_return_at_a_time(client: Any, make_seller: Any, make_product: Any, make_order: Any) -> None:
    order = delivered_order(client, make_seller, make_product, make_order, quantity=2)
    line = lines_of(client, order)[0]
    body = {"lines": [{"line_id": line["id"], "quantity": 1}], "reason": "x"}
    assert client.post(f"/api/v1/orders/{order.id}/returns", headers=order.buyer_headers, json=body).status_code == 201
    second = client.post(f"/api/v1/orders/{order.id}/returns", headers=order.buyer_headers, json=body)
    assert second.status_code == 409


def test_another_shops_return_is_not_found(client: Any, make_seller: Any, make_product: Any, make_order: Any) -> None:
    order = delivered_order(client, make_seller, make_product, make_order)
    line = lines_of(client, order)[0]
    request = client.post(f"/api/v1/orders/{order.id}/returns", headers=order.buyer_headers,
                          json={"lines": [{"line_id": line["id"], "quantity": 1}], "reason": "x"}).get_json()
    other = make_seller("uk")
    assert client.post(f"/api/v1/seller/returns/{request['id']}/approve", headers=other.headers).status_code == 404
    assert client.get(f"/api/v1/seller/returns/{request['id']}", headers=other.headers).status_code == 404
    mine = client.get("/api/v1/seller/returns?status=requested", headers=order.seller.headers).get_json()
    assert [r["id"] for r in mine] == [request["id"]]
