"""A German buyer withdraws from part of an order (two steps, acknowledged), the seller takes
the unit back and the buyer is refunded through the gateway; the seller is paid for the unit
the buyer kept, and the books balance with the refund settled."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pasar.testing.fulfilment_factories import Journey

CENT = Decimal("0.01")


def balances(books: dict[str, Any]) -> dict[str, Decimal]:
    return {row["code"]: Decimal(row["balance"]) for row in books["accounts"]}


def test_a_partial_withdrawal_is_refunded_and_the_kept_unit_paid_out(journey: Journey) -> None:
    shop = journey.open_shop("de", "E2E Laden")
    variant = journey.list_product(shop, "29.90")
    placed, checkout = journey.buy("de", (variant, 2), method="paypal")
    assert checkout["status"] == "paid"
    order_id = placed.order_ids[0]
    journey.ship(order_id, shop)
    order = journey.order(order_id, placed.headers)
    line = order["lines"][0]

    client = journey.client
    declared = client.post(f"/api/v1/orders/{order_id}/withdrawal", headers=placed.headers,
                           json={"lines": [{"line_id": line["id"], "quantity": 1}]}).get_json()
    confirmed = client.post(f"/api/v1/orders/{order_id}/withdrawal/confirm", headers=placed.headers,
                            json={"token": declared["confirmation_token"]})
    assert confirmed.status_code == 200 and confirmed.get_json()["acknowledged_at"]
    withdrawal = confirmed.get_json()["withdrawal"]
    assert withdrawal["refund"]["amount"] == "29.90" and withdrawal["shipping_refund"]["amount"] == "0.00"
    assert client.post(f"/api/v1/seller/returns/{withdrawal['id']}/approve", headers=shop.headers).status_code == 200
    received = client.post(f"/api/v1/seller/returns/{withdrawal['id']}/received", headers=shop.headers)
    assert received.get_json()["status"] == "refunded"
    refunded = journey.order(order_id, placed.headers)
    assert refunded["status"] == "refunded" and refunded["lines"][0]["refunded_quantity"] == 1

    journey.run_payouts("e2e-de-withdrawal")
    payouts = journey.payouts(shop)
    shipping = Decimal(order["totals"]["shipping"]["amount"])
    kept = Decimal("29.90") + shipping  # one unit and the outbound shipping stay with the seller
    commission = (Decimal("29.90") * Decimal("0.05")).quantize(CENT, ROUND_HALF_UP)
    fee = (kept * Decimal("0.02")).quantize(CENT, ROUND_HALF_UP)
    assert [p["status"] for p in payouts] == ["paid"]
    assert Decimal(payouts[0]["amount"]) == kept - commission - fee

    books = journey.trial_balance("de")
    assert books["balanced"] is True
    held = balances(books)
    assert held.get("refund_clearing", Decimal(0)) == 0  # the gateway confirmed the refund
    assert held.get("buyer_clearing", Decimal(0)) == 0
