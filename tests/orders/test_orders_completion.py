"""Completion: orders past their return window settle in the ledger, split exactly."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from pasar.ledger import service as ledger
from pasar.ledger.models import LedgerTransaction
from pasar.orders.tasks import complete_due
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.fulfilment_factories import deliver


def completion_legs(app: Any, code: str, order_id: int) -> dict[str, int]:
    """The order's ``order_completed`` posting as {account: signed minor units}."""
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        found = session.scalar(select(LedgerTransaction).where(
            LedgerTransaction.kind == "order_completed", LedgerTransaction.reference == f"order:{order_id}"))
        if found is None:
            return {}
        return {account: amount for (account, _cur), amount in ledger.stored_legs(found).items()}


def delivered(client: Any, order: Any) -> dict[str, Any]:
    deliver(client, order)
    return client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()


def minor(amount: str, places: int = 2) -> int:
    return int(Decimal(amount).scaleb(places))


def test_an_order_inside_its_return_window_is_not_completed(app: Any, client: Any, make_seller: Any,
                                                            make_product: Any, make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller), ready=True)
    detail = delivered(client, order)
    deadline = datetime.fromisoformat(detail["return_window"]["deadline"])
    complete_due.delay((deadline - timedelta(seconds=1)).isoformat())
    assert client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()["status"] == "delivered"
    assert completion_legs(app, "uk", order.id) == {}


def test_a_completed_order_splits_gross_into_seller_commission_and_fee(app: Any, client: Any, make_seller: Any,
                                                                       make_product: Any, make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller, price="12.50"), quantity=2, shipping="3.99", ready=True)
    detail = delivered(client, order)
    complete_due.delay((datetime.fromisoformat(detail["return_window"]["deadline"]) + timedelta(seconds=1)).isoformat())
    after = client.get(f"/api/v1/orders/{order.id}", headers=order.buyer_headers).get_json()
    assert after["status"] == "completed" and after["history"][-1]["actor"] == "system"
    legs = completion_legs(app, "uk", order.id)
    # gross 28.99 = goods 25.00 + shipping 3.99; commission 5% of the goods; fee 2% of the payment
    assert legs["buyer_clearing"] == 2899
    assert legs["platform_revenue"] == -125
    assert legs["payment_fees"] == -58
    assert legs[f"seller_payable:{seller.id}"] == -(2899 - 125 - 58)
    assert "tax_payable" not in legs and "withholding_payable" not in legs
    assert sum(legs.values()) == 0


def test_the_platform_voucher_is_paid_to_the_seller_by_the_platform(app: Any, client: Any, make_seller: Any,
                                                                    make_product: Any, make_order: Any) -> None:
    seller = make_seller("uk")
    order = make_order(seller, make_product(seller, price="40.00"), platform_discount="5.00",
                       seller_discount="2.00", ready=True)
    detail = delivered(client, order)
    assert detail["totals"]["total"]["amount"] == "33.00"
    complete_due.delay((datetime.fromisoformat(detail["return_window"]["deadline"]) + timedelta(seconds=1)).isoformat())
    legs = completion_legs(app, "uk", order.id)
    assert legs["buyer_clearing"] == 3800  # 40.00 − the seller's 2.00; the platform adds its 5.00
    assert legs["platform_revenue"] == -190  # 5% of 38.00
    assert legs["payment_fees"] == -66  # 2% of the 33.00 the buyer paid
    assert legs[f"seller_payable:{seller.id}"] == -(3800 - 190 - 66)


def test_indonesia_withholds_pph22_on_the_turnover_without_vat(app: Any, client: Any, make_seller: Any,
                                                               make_product: Any, make_order: Any) -> None:
    seller = make_seller("id")
    order = make_order(seller, make_product(seller, price="150000"), ready=True)
    detail = delivered(client, order)
    tax = Decimal(detail["totals"]["tax"]["amount"])
    complete_due.delay((datetime.fromisoformat(detail["return_window"]["deadline"]) + timedelta(seconds=1)).isoformat())
    legs = completion_legs(app, "id", order.id)
    turnover = Decimal(150000) - tax
    pph22 = (turnover * Decimal("0.005")).quantize(Decimal(1))  # PMK 37/2025: 0.5% [S14][S15]
    assert legs["withholding_payable"] == -minor(str(pph22))
    assert legs["platform_revenue"] == -minor("7500")
    assert legs["payment_fees"] == -minor("3000")
    assert legs[f"seller_payable:{seller.id}"] == -minor(str(150000 - 7500 - 3000 - pph22))


def test_completion_runs_once(app: Any, client: Any, make_seller: Any, make_product: Any, make_order: Any) -> None:
    seller = make_seller("th")
    order = make_order(seller, make_product(seller, price="500.00"), ready=True)
    detail = delivered(client, order)
    later = (datetime.fromisoformat(detail["return_window"]["deadline"]) + timedelta(minutes=1)).isoformat()
    first = complete_due.delay(later).get()
    second = complete_due.delay(later).get()
    assert first["th"] >= 1 and second["th"] == 0
    assert completion_legs(app, "th", order.id)["buyer_clearing"] == minor("500.00")
