"""From a seller's registration to the seller's payout, in a Southeast Asian, a UK and a US
marketplace: two shops, one buyer paying with the region's wallet or card, labels, tracking to
the door, completion after the return window, and the payout batch."""
from __future__ import annotations

from decimal import Decimal

import pytest

from pasar.testing.catalog_factories import tenant_context
from pasar.testing.fulfilment_factories import Journey, expected_payable

#: tenant, payment method (the region's wallet where it has one), a price per shop, a category
JOURNEYS = [
    ("th", "truemoney", ("459.00", "1290.50"), "standard"),
    ("uk", "paypal", ("24.99", "8.40"), "standard"),
    ("us", "card", ("80.00", "19.95"), "clothing"),
]


@pytest.mark.parametrize(("code", "method", "prices", "category"), JOURNEYS, ids=[j[0] for j in JOURNEYS])
def test_two_shops_are_paid_what_a_buyer_paid_less_commission_fee_and_tax(
    journey: Journey, code: str, method: str, prices: tuple[str, str], category: str,
) -> None:
    tenant = tenant_context(journey.app, code)
    shops = [journey.open_shop(code, f"E2E {code} shop {n}") for n in (1, 2)]
    variants = [journey.list_product(shop, price, category=category) for shop, price in zip(shops, prices)]
    placed, checkout = journey.buy(code, variants[0], (variants[1], 2), method=method)
    assert checkout["status"] == "paid", checkout
    order_ids = placed.order_ids
    assert len(order_ids) == 2

    by_shop = {journey.order(i, placed.headers)["seller_id"]: i for i in order_ids}
    for shop in shops:
        label = journey.ship(by_shop[shop.id], shop)
        assert label["status"] == "delivered" and label["label_url"].startswith("http")
    delivered = [journey.order(i, placed.headers) for i in order_ids]
    assert {o["status"] for o in delivered} == {"delivered"}
    assert all(o["return_window"]["open"] for o in delivered)

    journey.complete_all(code, order_ids, placed.headers)
    completed = {o["seller_id"]: journey.order(o["id"], placed.headers) for o in delivered}
    assert {o["status"] for o in completed.values()} == {"completed"}

    result = journey.run_payouts(f"e2e-{code}")
    assert "2 paid" in result[code], result
    for shop in shops:
        payouts = journey.payouts(shop)
        assert [p["status"] for p in payouts] == ["paid"]
        assert Decimal(payouts[0]["amount"]) == expected_payable(tenant, completed[shop.id])

    books = journey.trial_balance(code)
    assert books["balanced"] is True
    assert all(Decimal(c["net"]) == 0 for c in books["currencies"])


def test_us_sales_tax_is_the_marketplace_s_and_not_paid_to_the_seller(journey: Journey) -> None:
    shop = journey.open_shop("us", "E2E us tax shop")
    variant = journey.list_product(shop, "100.00")
    placed, _ = journey.buy("us", variant, method="paypal")
    order = journey.order(placed.order_ids[0], placed.headers)
    assert order["totals"]["tax_included"] is False and order["totals"]["tax_collected_by"] == "marketplace"
    tax = Decimal(order["totals"]["tax"]["amount"])
    assert tax > 0
    assert Decimal(order["totals"]["total"]["amount"]) == Decimal("100.00") + tax + Decimal(
        order["totals"]["shipping"]["amount"])
    journey.ship(order["id"], shop)
    journey.complete_all("us", [order["id"]], placed.headers)
    journey.run_payouts("e2e-us-tax")
    paid = Decimal(journey.payouts(shop)[0]["amount"])
    assert paid == expected_payable(tenant_context(journey.app, "us"), journey.order(order["id"], placed.headers))
    assert paid < Decimal(order["totals"]["total"]["amount"]) - tax
