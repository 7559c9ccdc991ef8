"""The statutory withdrawal of the UK and the EU: declared, confirmed, acknowledged, refunded
with the outbound shipping when everything goes back (CRD Art. 9-16, Art. 11a [S108][S110][S111])."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from pasar.payments.models import Refund
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.fulfilment_factories import OrderHandle, deliver


def bought(client: Any, commerce: Any, make_seller: Any, make_product: Any, login: Any, code: str,
           price: str, method: str = "card", quantity: int = 1) -> tuple[OrderHandle, dict[str, Any]]:
    seller = make_seller(code)
    principal, buyer = login(code, "buyer")
    placed = commerce.place_order(buyer, make_product(seller, price=price), method=method, quantity=quantity)
    commerce.pay(placed)
    order = OrderHandle(placed.order_ids[0], placed.checkout_id, code, principal.id, buyer, seller, ())
    client.post(f"/api/v1/seller/orders/{order.id}/ready", headers=seller.headers)
    deliver(client, order)
    return order, client.get(f"/api/v1/orders/{order.id}", headers=buyer).get_json()


def refunded(app: Any, code: str, order_id: int) -> list[int]:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return list(session.scalars(select(Refund.amount_minor).where(Refund.order_id == order_id)))


def test_a_german_withdrawal_is_declared_then_confirmed_and_refunds_shipping_too(
    app: Any, client: Any, commerce: Any, make_seller: Any, make_product: Any, login: Any,
) -> None:
    order, detail = bought(client, commerce, make_seller, make_product, login, "de", "49.90")
    assert float(detail["totals"]["shipping"]["amount"]) > 0
    declared = client.post(f"/api/v1/orders/{order.id}/withdrawal", json={}, headers=order.buyer_headers)
    assert declared.status_code == 200, declared.get_json()
    token = declared.get_json()["confirmation_token"]
    assert declared.get_json()["withdrawal"]["status"] == "pending_confirmation"
    still = client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()
    assert still["status"] == "delivered"  # nothing happens before the confirmation
    wrong = client.post(f"/api/v1/orders/{order.id}/withdrawal/confirm", json={"token": "guess"},
                        headers=order.buyer_headers)
    assert wrong.status_code == 422 and "token" in wrong.get_json()["errors"]
    confirmed = client.post(f"/api/v1/orders/{order.id}/withdrawal/confirm", json={"token": token},
                            headers=order.buyer_headers)
    assert confirmed.status_code == 200
    acknowledged = confirmed.get_json()
    assert acknowledged["acknowledged_at"] and acknowledged["withdrawal"]["status"] == "requested"
    assert acknowledged["withdrawal"]["reason"] is None
    assert acknowledged["withdrawal"]["refund"]["amount"] == detail["totals"]["total"]["amount"]
    assert acknowledged["withdrawal"]["shipping_refund"]["amount"] == detail["totals"]["shipping"]["amount"]
    withdrawal_id = acknowledged["withdrawal"]["id"]
    client.post(f"/api/v1/seller/returns/{withdrawal_id}/approve", headers=order.seller.headers)
    done = client.post(f"/api/v1/seller/returns/{withdrawal_id}/received", headers=order.seller.headers)
    assert done.get_json()["status"] == "refunded"
    total = int(Decimal(detail["totals"]["total"]["amount"]) * 100)
    assert refunded(app, "de", order.id) == [total]


def test_a_token_works_once(client: Any, commerce: Any, make_seller: Any, make_product: Any, login: Any) -> None:
    order, _ = bought(client, commerce, make_seller, make_product, login, "uk", "10.00")
    token = client.post(f"/api/v1/orders/{order.id}/withdrawal", json={},
                        headers=order.buyer_headers).get_json()["confirmation_token"]
    url = f"/api/v1/orders/{order.id}/withdrawal/confirm"
    assert client.post(url, json={"token": token}, headers=order.buyer_headers).status_code == 200
    assert client.post(url, json={"token": token}, headers=order.buyer_headers).status_code == 409


def test_withdrawing_part_of_an_order_refunds_no_shipping(client: Any, commerce: Any, make_seller: Any,
                                                          make_product: Any, login: Any) -> None:
    order, detail = bought(client, commerce, make_seller, make_product, login, "uk", "8.00", quantity=3)
    line = detail["lines"][0]
    declared = client.post(f"/api/v1/orders/{order.id}/withdrawal", headers=order.buyer_headers,
                           json={"lines": [{"line_id": line["id"], "quantity": 2}]}).get_json()
    assert declared["withdrawal"]["refund"]["amount"] == "16.00"
    assert declared["withdrawal"]["shipping_refund"]["amount"] == "0.00"


def test_the_us_has_no_statutory_withdrawal(client: Any, commerce: Any, make_seller: Any, make_product: Any,
                                            login: Any) -> None:
    order, _ = bought(client, commerce, make_seller, make_product, login, "us", "30.00")
    answer = client.post(f"/api/v1/orders/{order.id}/withdrawal", json={}, headers=order.buyer_headers)
    assert answer.status_code == 409 and "kind" in answer.get_json()["errors"]


def test_a_cash_on_delivery_refund_needs_the_buyers_bank_account(client: Any, commerce: Any, make_seller: Any,
                                                                 make_product: Any, login: Any) -> None:
    order, detail = bought(client, commerce, make_seller, make_product, login, "th", "350.00", method="cod")
    assert detail["paid_at"] is not None  # the courier collected the cash at the door
    line = detail["lines"][0]
    body = {"lines": [{"line_id": line["id"], "quantity": 1}], "reason": "wrong colour"}
    missing = client.post(f"/api/v1/orders/{order.id}/returns", json=body, headers=order.buyer_headers)
    assert missing.status_code == 422 and "bank_account" in missing.get_json()["errors"]
    bad = client.post(f"/api/v1/orders/{order.id}/returns", headers=order.buyer_headers,
                      json={**body, "bank_account": {"holder": "Somchai", "number": "12"}})
    assert bad.status_code == 422 and "bank_account" in bad.get_json()["errors"]
    good = client.post(f"/api/v1/orders/{order.id}/returns", headers=order.buyer_headers,
                       json={**body, "bank_account": {"holder": "Somchai Jaidee", "number": "4067112358",
                                                      "bank_code": "004"}})
    assert good.status_code == 201, good.get_json()


def test_an_unconfirmed_withdrawal_expires(client: Any, commerce: Any, make_seller: Any, make_product: Any,
                                           login: Any, time_travel: Any) -> None:
    from datetime import timedelta

    order, _ = bought(client, commerce, make_seller, make_product, login, "de", "12.00")
    token = client.post(f"/api/v1/orders/{order.id}/withdrawal", json={},
                        headers=order.buyer_headers).get_json()["confirmation_token"]
    time_travel(timedelta(minutes=31))
    late = client.post(f"/api/v1/orders/{order.id}/withdrawal/confirm", json={"token": token},
                       headers=order.buyer_headers)
    assert late.status_code == 422
    assert late.get_json()["errors"]["token"] == ["the confirmation token expired: declare the withdrawal again"]
    assert client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()["status"] == "delivered"
