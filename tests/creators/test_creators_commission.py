"""The issue's flow: a buyer follows a creator's link, buys, the order completes and the
creator's commission is in the ledger and the statement; refunds claw it back."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from moneyed import Money
from sqlalchemy import select

from pasar.ledger import postings
from pasar.ledger import service as ledger
from pasar.ledger.models import LedgerTransaction
from pasar.orders.models import Order
from pasar.orders.tasks import complete_due
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.fulfilment_factories import OrderHandle, deliver


def legs_of(app: Any, code: str, kind: str, reference: str) -> dict[str, int]:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        found = session.scalar(select(LedgerTransaction).where(
            LedgerTransaction.kind == kind, LedgerTransaction.reference == reference))
        return {} if found is None else {a: m for (a, _c), m in ledger.stored_legs(found).items()}


def stored_order(app: Any, code: str, order_id: int) -> Order:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        order = session.get(Order, order_id)
        assert order is not None
        session.expunge(order)
        return order


def commission_of(order: Order, rate: str, kept: int | None = None) -> int:
    """rate × (the line's price after vouchers, without the VAT inside it), for kept units."""
    line = order.lines[0]
    net = Fraction(line.unit_price_minor * line.quantity - line.discount_minor - line.tax_minor)
    net *= Fraction(kept if kept is not None else line.quantity, line.quantity)
    exact = Decimal(net.numerator) / Decimal(net.denominator) * Decimal(rate)
    return int(exact.quantize(Decimal(1), ROUND_HALF_EVEN))


def buy_through_link(client: Any, commerce: Any, login: Any, creator: Any, product: Any,
                     quantity: int) -> tuple[Any, dict[str, str], int]:
    code = client.post("/api/v1/creator/links", json={"product_id": product.id},
                       headers=creator.headers).get_json()["code"]
    buyer, headers = login("uk", "buyer")
    assert client.get(f"/api/v1/r/{code}", headers=headers).status_code == 302
    placed = commerce.place_order(headers, product, quantity=quantity, method="card")
    return buyer, headers, placed.order_ids[0]


def delivered(client: Any, seller: Any, order_id: int, buyer: Any, headers: dict[str, str]) -> datetime:
    assert client.post(f"/api/v1/seller/orders/{order_id}/ready", headers=seller.headers).status_code == 200
    deliver(client, OrderHandle(order_id, 0, "uk", buyer.id, headers, seller, ()))
    detail = client.get(f"/api/v1/orders/{order_id}", headers=headers).get_json()
    return datetime.fromisoformat(detail["return_window"]["deadline"])


def test_a_creators_commission_reaches_the_ledger_and_the_statement_and_a_refund_claws_it_back(
    app: Any, client: Any, commerce: Any, login: Any, make_seller: Any, make_product: Any, make_creator: Any,
    collaborate: Any,
) -> None:
    seller = make_seller("uk")
    product, creator = make_product(seller, price="20.00"), make_creator("uk")
    collaborate(seller, product, creator, rate="0.10")
    buyer, headers, order_id = buy_through_link(client, commerce, login, creator, product, quantity=2)
    order = stored_order(app, "uk", order_id)
    assert order.lines[0].creator_id == creator.id and order.source_kind == "link"
    deadline = delivered(client, seller, order_id, buyer, headers)
    complete_due.delay((deadline + timedelta(seconds=1)).isoformat())
    legs = legs_of(app, "uk", "order_completed", f"order:{order_id}")
    owed = commission_of(order, "0.10")
    assert owed > 0 and legs[f"creator_payable:{creator.id}"] == -owed
    assert legs[f"seller_payable:{seller.id}"] == -(
        legs["buyer_clearing"] + legs["platform_revenue"] + legs["payment_fees"] - owed)
    assert sum(legs.values()) == 0
    period = f"?from={(deadline - timedelta(days=60)).date()}&to={(deadline + timedelta(days=1)).date()}"
    statement = client.get(f"/api/v1/creator/statement{period}", headers=creator.headers).get_json()
    assert [line["kind"] for line in statement["lines"]] == ["order_completed"]
    assert statement["closing"] == str(Decimal(owed).scaleb(-2))

    tenant = tenant_context(app, "uk")
    first = legs["buyer_clearing"] // 2
    parts = [Money(Decimal(minor).scaleb(-2), "GBP") for minor in (first, legs["buyer_clearing"] - first)]
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        postings.refund(session, tenant, f"test-clawback-{order_id}-1", f"order:{order_id}", seller.id, parts[0])
    half = legs_of(app, "uk", "refund", f"test-clawback-{order_id}-1")[f"creator_payable:{creator.id}"]
    assert abs(half - owed / 2) <= 1
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        postings.refund(session, tenant, f"test-clawback-{order_id}-2", f"order:{order_id}", seller.id, parts[1])
        assert ledger.balance(session, tenant, f"creator_payable:{creator.id}", "GBP") == Money(0, "GBP")
    after = client.get(f"/api/v1/creator/statement{period}", headers=creator.headers).get_json()
    assert sorted(line["kind"] for line in after["lines"]) == ["order_completed", "refund", "refund"]
    assert Decimal(after["closing"]) == 0


def test_units_returned_before_completion_earn_no_commission(
    app: Any, client: Any, commerce: Any, login: Any, make_seller: Any, make_product: Any, make_creator: Any,
    collaborate: Any,
) -> None:
    seller = make_seller("uk")
    product, creator = make_product(seller, price="15.00"), make_creator("uk")
    collaborate(seller, product, creator, rate="0.20")
    buyer, headers, order_id = buy_through_link(client, commerce, login, creator, product, quantity=2)
    delivered(client, seller, order_id, buyer, headers)
    line_id = client.get(f"/api/v1/orders/{order_id}", headers=headers).get_json()["lines"][0]["id"]
    asked = client.post(f"/api/v1/orders/{order_id}/returns", headers=headers,
                        json={"lines": [{"line_id": line_id, "quantity": 1}], "reason": "only needed one"})
    assert asked.status_code == 201, asked.get_json()
    return_id = asked.get_json()["id"]
    assert client.post(f"/api/v1/seller/returns/{return_id}/approve", headers=seller.headers).status_code == 200
    assert client.post(f"/api/v1/seller/returns/{return_id}/received", headers=seller.headers).status_code == 200
    legs = legs_of(app, "uk", "order_completed", f"order:{order_id}")
    order = stored_order(app, "uk", order_id)
    assert legs[f"creator_payable:{creator.id}"] == -commission_of(order, "0.20", kept=1)


def test_a_creator_selling_its_own_shops_products_is_credited_but_earns_no_commission(
    app: Any, client: Any, commerce: Any, login: Any, make_seller: Any, make_product: Any, make_creator: Any,
) -> None:
    seller = make_seller("uk")
    product = make_product(seller, price="12.00")
    creator = make_creator("uk", owner=seller)
    buyer, headers, order_id = buy_through_link(client, commerce, login, creator, product, quantity=1)
    assert stored_order(app, "uk", order_id).lines[0].creator_id == creator.id
    deadline = delivered(client, seller, order_id, buyer, headers)
    complete_due.delay((deadline + timedelta(seconds=1)).isoformat())
    legs = legs_of(app, "uk", "order_completed", f"order:{order_id}")
    assert legs and not any(account.startswith("creator_payable") for account in legs)


def test_an_order_without_a_click_is_credited_to_nobody(app: Any, commerce: Any, login: Any, make_seller: Any,
                                                        make_product: Any) -> None:
    product = make_product(make_seller("uk"))
    _, headers = login("uk", "buyer")
    order_id = commerce.place_order(headers, product).order_ids[0]
    order = stored_order(app, "uk", order_id)
    assert order.lines[0].creator_id is None and order.source_kind is None and order.source_id is None


def test_a_click_on_a_videos_product_anchor_earns_the_creator_its_commission(
    app: Any, client: Any, commerce: Any, login: Any, make_seller: Any, make_product: Any, make_creator: Any,
    collaborate: Any, make_video: Any,
) -> None:
    seller = make_seller("uk")
    product, creator = make_product(seller, price="30.00"), make_creator("uk")
    collaborate(seller, product, creator, rate="0.05")
    video = make_video(creator, [product])
    buyer, headers = login("uk", "buyer")
    clicked = client.post(f"/api/v1/videos/{video.id}/interactions", headers=headers,
                          json={"kind": "product_click", "product_id": product.id})
    assert clicked.status_code == 201, clicked.get_json()
    order_id = commerce.place_order(headers, product, method="card").order_ids[0]
    order = stored_order(app, "uk", order_id)
    assert (order.lines[0].creator_id, order.source_kind, order.source_id) == (creator.id, "video", video.id)
    deadline = delivered(client, seller, order_id, buyer, headers)
    complete_due.delay((deadline + timedelta(seconds=1)).isoformat())
    legs = legs_of(app, "uk", "order_completed", f"order:{order_id}")
    assert legs[f"creator_payable:{creator.id}"] == -commission_of(order, "0.05")
