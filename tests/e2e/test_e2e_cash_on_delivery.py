"""Cash on delivery end to end in Indonesia and Vietnam: the seller ships an unpaid order, the
courier collects the cash at the door, the payment is captured from that, and the seller is
paid out less commission, fee and the withholding the law puts on the marketplace."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from pasar.testing.catalog_factories import tenant_context
from pasar.testing.fulfilment_factories import Journey, expected_payable

#: tenant, shop kind, price, the withholding rates on turnover without VAT:
#: ID PMK 37/2025 PPh 22 0.5% [S14][S15]; VN Decree 117/2025 VAT 1% + PIT 0.5% for a household [S31][S32]
CASES = [
    ("id", "company", "185000", (Decimal("0.005"),)),
    ("vn", "household", "420000", (Decimal("0.01"), Decimal("0.005"))),
]


@pytest.mark.parametrize(("code", "kind", "price", "rates"), CASES, ids=[c[0] for c in CASES])
def test_cash_collected_at_the_door_pays_the_seller_less_withholding(
    journey: Journey, code: str, kind: str, price: str, rates: tuple[Decimal, ...],
) -> None:
    shop = journey.open_shop(code, f"E2E COD {code}", business_type=kind)
    variant = journey.list_product(shop, price)
    placed, checkout = journey.buy(code, variant, method="cod")
    order_id = placed.order_ids[0]
    unpaid = journey.order(order_id, placed.headers)
    assert checkout["status"] == "pending_payment" and unpaid["status"] == "pending_payment"

    label = journey.ship(order_id, shop)
    assert label["cash_on_delivery"]["amount"] == unpaid["totals"]["total"]["amount"]
    order = journey.order(order_id, placed.headers)
    assert order["status"] == "delivered" and order["paid_at"] is not None  # captured from the cash
    assert [h["to_status"] for h in order["history"]] == ["ready_to_ship", "shipped", "delivered"]

    journey.complete_all(code, [order_id], placed.headers)
    completed = journey.order(order_id, placed.headers)
    assert completed["status"] == "completed"
    journey.run_payouts(f"e2e-cod-{code}")
    payouts = journey.payouts(shop)
    assert [p["status"] for p in payouts] == ["paid"]

    totals = completed["totals"]
    turnover = Decimal(totals["subtotal"]["amount"]) - Decimal(totals["tax"]["amount"])
    withheld = sum((turnover * rate).quantize(Decimal(1), ROUND_HALF_UP) for rate in rates)
    tenant = tenant_context(journey.app, code)
    assert withheld > 0
    assert Decimal(payouts[0]["amount"]) == expected_payable(tenant, completed) - withheld
    assert journey.trial_balance(code)["balanced"] is True
