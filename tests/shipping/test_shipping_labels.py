"""Buying a label, the printable label page and the sandbox courier."""
from __future__ import annotations

from typing import Any

from pasar.testing.fulfilment_factories import deliver


def test_a_seller_buys_a_label_for_an_order_ready_to_ship(client: Any, make_seller: Any, make_product: Any,
                                                           make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    answer = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={}, headers=seller.headers)
    assert answer.status_code == 201, answer.get_json()
    label = answer.get_json()
    assert label["order_id"] == order.id and label["status"] == "label_created"
    assert label["carrier"] and label["tracking_number"]
    assert label["cost"]["currency"] == "GBP" and label["cash_on_delivery"] is None
    assert [step["status"] for step in label["timeline"]] == ["label_created"]


def test_buying_the_label_again_returns_the_same_label(client: Any, make_seller: Any, make_product: Any,
                                                       make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    first = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={}, headers=seller.headers)
    again = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={}, headers=seller.headers)
    assert again.status_code == 200
    assert again.get_json()["tracking_number"] == first.get_json()["tracking_number"]


def test_an_order_not_accepted_yet_gets_no_label(client: Any, make_seller: Any, make_product: Any,
                                                 make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller))
    answer = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={}, headers=seller.headers)
    assert answer.status_code == 409
    assert "status" in answer.get_json()["errors"]


def test_a_carrier_the_tenant_does_not_use_is_refused_naming_the_field(client: Any, make_seller: Any,
                                                                      make_product: Any, make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    answer = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={"carrier": "jnt_id"},
                         headers=seller.headers)
    assert answer.status_code == 422
    assert "carrier" in answer.get_json()["errors"]
    wrong_service = client.post(f"/api/v1/seller/orders/{order.id}/shipment",
                                json={"carrier": "royal_mail", "service": "same_day"}, headers=seller.headers)
    assert wrong_service.status_code == 422 and "service" in wrong_service.get_json()["errors"]


def test_another_sellers_order_is_not_found(client: Any, make_seller: Any, make_product: Any, make_order: Any) -> None:
    seller, other = make_seller("uk"), make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    answer = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={}, headers=other.headers)
    assert answer.status_code == 404


def test_the_label_page_prints_addresses_and_tracking_number(client: Any, make_seller: Any, make_product: Any,
                                                             make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    label = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={}, headers=seller.headers).get_json()
    page = client.get(f"/sandbox/uk/labels/{label['carrier']}/{label['tracking_number']}")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert label["tracking_number"] in html and "Sam Buyer" in html and "@media print" in html
    assert label["label_url"].endswith(f"/sandbox/uk/labels/{label['carrier']}/{label['tracking_number']}")


def test_an_unknown_label_is_not_found(client: Any) -> None:
    assert client.get("/sandbox/uk/labels/royal_mail/RM000000000000").status_code == 404
    assert client.get("/sandbox/uk/labels/jnt_id/X1").status_code == 404


def test_scans_ship_and_then_deliver_the_order(client: Any, make_seller: Any, make_product: Any,
                                               make_order: Any) -> None:
    seller = make_seller("th")
    order = make_order(seller, make_product(seller, price="250.00"), ready=True)
    label = deliver(client, order)
    assert [step["status"] for step in label["timeline"]] == [
        "label_created", "picked_up", "in_transit", "out_for_delivery", "delivered"]
    detail = client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()
    assert detail["status"] == "delivered"
    moves = [(h["from_status"], h["to_status"], h["actor"]) for h in detail["history"]]
    assert ("ready_to_ship", "shipped", "carrier") in moves and ("shipped", "delivered", "carrier") in moves
    assert detail["return_window"]["days"] == 7 and detail["return_window"]["open"] is True


def test_a_failed_attempt_is_recorded_and_the_next_scan_delivers(client: Any, make_seller: Any, make_product: Any,
                                                                 make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    label = deliver(client, order, until="out_for_delivery")
    tracking = label["tracking_number"]
    failed = client.post(f"/sandbox/uk/shipments/{tracking}/advance", json={"fail": True}, headers=seller.headers)
    assert failed.get_json()["status"] == "failed_attempt"
    assert failed.get_json()["order_status"] == "shipped"
    delivered = deliver(client, order)
    assert [s["status"] for s in delivered["timeline"]][-3:] == ["failed_attempt", "out_for_delivery", "delivered"]


def test_only_the_orders_seller_or_an_operator_may_move_a_parcel(client: Any, make_seller: Any, make_product: Any,
                                                                 make_order: Any, operator_login: Any,
                                                                 login: Any) -> None:
    seller, other = make_seller("uk"), make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    tracking = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={},
                           headers=seller.headers).get_json()["tracking_number"]
    url = f"/sandbox/uk/shipments/{tracking}/advance"
    assert client.post(url, json={}, headers=other.headers).status_code == 404
    assert client.post(url, json={}, headers=order.buyer_headers).status_code == 403
    assert client.post(url, json={}, headers={"X-Pasar-Tenant": "uk"}).status_code == 401
    operator = operator_login(tenants=("uk",)) | {"X-Pasar-Tenant": "uk"}
    moved = client.post(url, json={}, headers=operator)
    assert moved.status_code == 200 and moved.get_json()["order_status"] == "shipped"


def test_a_delivered_parcel_cannot_move_further(client: Any, make_seller: Any, make_product: Any,
                                                make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    label = deliver(client, order)
    answer = client.post(f"/sandbox/uk/shipments/{label['tracking_number']}/advance", json={}, headers=seller.headers)
    assert answer.status_code == 409


def test_a_cash_on_delivery_label_needs_a_carrier_that_collects_cash(client: Any, make_seller: Any,
                                                                     make_product: Any, make_order: Any) -> None:
    seller = make_seller("my")
    order = make_order(seller, make_product(seller, price="45.00"), method="cod", paid=False, ready=True)
    refused = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={"carrier": "citylink"},
                          headers=seller.headers)
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["carrier"] == ["City-Link Express does not collect cash on delivery"]
    label = client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={}, headers=seller.headers).get_json()
    assert label["cash_on_delivery"]["amount"] == "45.00"


def test_the_demo_courier_moves_idle_sandbox_parcels_one_scan(client: Any, make_seller: Any, make_product: Any,
                                                              make_order: Any) -> None:
    from pasar.shipping.tasks import advance_demo_shipments

    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    client.post(f"/api/v1/seller/orders/{order.id}/shipment", json={}, headers=seller.headers)
    advance_demo_shipments.delay(3600).get()  # only parcels idle for an hour: not this new one
    url = f"/api/v1/seller/orders/{order.id}/shipment"
    assert client.get(url, headers=seller.headers).get_json()["status"] == "label_created"
    assert advance_demo_shipments.delay(0).get() >= 1
    assert client.get(url, headers=seller.headers).get_json()["status"] == "picked_up"
    assert client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()["status"] == "shipped"
