"""Tracking events that mean money: a prepaid parcel returned to the sender is refunded, and
cash collected at the door captures a cash-on-delivery payment."""
from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import uuid4

from sqlalchemy import select

from pasar.clock import now
from pasar.payments.models import Refund
from pasar.providers import tenant_secret
from pasar.sandbox import signing
from pasar.sandbox._common import encode, iso
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.fulfilment_factories import OrderHandle, deliver


def returned_webhook(tracking: str, code: str) -> tuple[bytes, dict[str, str]]:
    event_id = f"evt_{uuid4().hex}"
    data = {"tracking_number": tracking, "status": "returned", "location": "depot",
            "occurred_at": iso(now()), "cod_collected": None}
    body = encode({"id": event_id, "type": "tracking.updated", "created": iso(now()), "data": data})
    secret = tenant_secret("test-webhook-secret", code)
    return body, {**signing.signed_headers(secret, body, event_id, now()), "X-Pasar-Tenant": code}


def test_a_prepaid_parcel_back_at_the_sender_cancels_restocks_and_refunds(
    app: Any, client: Any, commerce: Any, make_seller: Any, make_product: Any, login: Any, stock_of: Any,
) -> None:
    seller = make_seller("uk")
    product = make_product(seller, price="18.00", stock=4)
    principal, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, product, method="card")
    order_id = placed.order_ids[0]
    client.post(f"/api/v1/seller/orders/{order_id}/ready", headers=seller.headers)
    label = deliver(client, OrderHandle(order_id, placed.checkout_id, "uk", principal.id, buyer, seller, ()),
                    until="in_transit")
    assert stock_of("uk", product.variant_id) == (3, 0)
    body, headers = returned_webhook(label["tracking_number"], "uk")
    answer = client.post(f"/api/v1/webhooks/shipping/{label['carrier']}", data=body, headers=headers)
    assert answer.status_code == 200 and answer.get_json()["outcome"] == "applied"
    order = client.get(f"/api/v1/orders/{order_id}", headers=buyer).get_json()
    assert order["status"] == "cancelled" and order["history"][-1]["actor"] == "carrier"
    assert stock_of("uk", product.variant_id) == (4, 0)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        refunds = list(session.scalars(select(Refund.amount_minor).where(Refund.order_id == order_id)))
    assert refunds == [int(Decimal(order["totals"]["total"]["amount"]) * 100)]
    again = client.post(f"/api/v1/webhooks/shipping/{label['carrier']}", data=body, headers=headers)
    assert again.get_json()["outcome"] == "duplicate"


def test_a_seller_cancelling_a_paid_order_refunds_it_in_full_once(
    app: Any, client: Any, commerce: Any, make_seller: Any, make_product: Any, login: Any, stock_of: Any,
) -> None:
    seller = make_seller("uk")
    product = make_product(seller, price="11.00", stock=3)
    _, buyer = login("uk", "buyer")
    placed = commerce.place_order(buyer, product, method="card")
    order_id = placed.order_ids[0]
    url = f"/api/v1/seller/orders/{order_id}/cancel"
    answer = client.post(url, json={"reason": "out of stock"}, headers=seller.headers)
    assert answer.status_code == 200 and answer.get_json()["status"] == "cancelled"
    assert stock_of("uk", product.variant_id) == (3, 0)
    client.post(url, json={"reason": "out of stock"}, headers=seller.headers)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        refunds = list(session.scalars(select(Refund.amount_minor).where(Refund.order_id == order_id)))
    assert refunds == [int(Decimal(answer.get_json()["totals"]["total"]["amount"]) * 100)]
