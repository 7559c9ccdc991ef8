"""Buyers racing for a deal: guarded UPDATEs sell exactly the quota and never pass a buyer's
limit, on SQLite (separate connections, writers queued) and on PostgreSQL (row locks, the WHERE
re-checked on the newest row version) — run with PASAR_TEST_DATABASE_URL for the second."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from pasar import clock
from pasar.deals import service as deals
from pasar.deals.models import Deal, DealClaim
from pasar.orders.models import Order, OrderLine
from pasar.testing.accounts_factories import tenant_context

BUYERS = 100
QUOTA = 10


def run_at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(n)`` for n in range(count) on as many threads released together."""
    start = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(number: int) -> None:
        start.wait()
        results[number] = work(number)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def claim_once(app: Any, buyer_id: int, variant_id: int, live_session_id: int | None = None) -> str:
    """One claim in its own write transaction: "claimed", "sold_out" or "limit"."""
    tenant = tenant_context(app, "uk")
    try:
        with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
            claimed = deals.claim(session, tenant, buyer_id, variant_id, 1, clock.now(), live_session_id)
            assert claimed is not None
            return "claimed"
    except deals.DealSoldOut:
        return "sold_out"
    except deals.DealLimitReached:
        return "limit"


def stored_deal(commerce: Any, deal_id: int) -> tuple[int, int]:
    """(claimed counter, units in claims) of the deal."""
    with commerce.session("uk") as session:
        claims = session.scalar(select(func.coalesce(func.sum(DealClaim.quantity), 0)).where(DealClaim.deal_id == deal_id))
        return session.get_one(Deal, deal_id).claimed, int(claims)


def test_a_hundred_concurrent_checkouts_for_a_quota_of_ten_sell_exactly_ten(
    app: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any, stock_of: Any,
) -> None:
    product = make_product(make_seller("uk"), price="10.00", stock=20)
    deal = make_deal(product, price="4.00", quota=QUOTA, per_buyer_limit=1)
    buyers = [login("uk", "buyer")[1] for _ in range(BUYERS)]
    for headers in buyers:
        commerce.add_to_cart(headers, product.variant_id)
    bodies = [commerce.checkout_body(headers) for headers in buyers]

    def buy(number: int) -> tuple[int, Any]:
        answer = app.test_client().post("/api/v1/checkout", json=bodies[number],
                                        headers={**buyers[number], "Idempotency-Key": f"deal-race-{number}"})
        return answer.status_code, answer.json

    answers = run_at_once(BUYERS, buy)

    statuses = [status for status, _ in answers]
    assert (statuses.count(201), statuses.count(409)) == (QUOTA, BUYERS - QUOTA), sorted(set(statuses))
    assert all(list(body["errors"].values()) == [["the deal sold out"]] for status, body in answers if status == 409)
    with commerce.session("uk") as session:
        sold = session.execute(select(func.sum(OrderLine.quantity), func.min(OrderLine.unit_price_minor), func.max(OrderLine.unit_price_minor))
                               .join(Order, Order.id == OrderLine.order_id)
                               .where(OrderLine.variant_id == product.variant_id, Order.status == "paid")).one()
    assert tuple(sold) == (QUOTA, 400, 400)
    assert stored_deal(commerce, deal["id"]) == (QUOTA, QUOTA)
    assert stock_of("uk", product.variant_id) == (20 - QUOTA, 0)  # ten sold; the deal holds nothing more


@pytest.mark.parametrize("kind", ["flash", "live"])
def test_a_hundred_concurrent_claims_for_a_quota_of_ten_claim_exactly_ten(
    kind: str, app: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, make_live: Any,
    commerce: Any, stock_of: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop, stock=QUOTA)
    room = make_live(shop, [product], status="live").id if kind == "live" else None
    deal = make_deal(product, quota=QUOTA, per_buyer_limit=1, kind=kind, live_session_id=room)
    buyer_ids = [login("uk", "buyer")[0].id for _ in range(BUYERS)]

    outcomes = run_at_once(BUYERS, lambda n: claim_once(app, buyer_ids[n], product.variant_id, room))

    assert (outcomes.count("claimed"), outcomes.count("sold_out")) == (QUOTA, BUYERS - QUOTA)
    assert stored_deal(commerce, deal["id"]) == (QUOTA, QUOTA)
    # each claim moved its unit from the deal's hold to its caller, who reserves it for its order
    assert stock_of("uk", product.variant_id) == (QUOTA, 0)


def test_one_buyers_hundred_concurrent_claims_with_a_limit_of_two_get_two(
    app: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any,
) -> None:
    product = make_product(make_seller("uk"), stock=20)
    deal = make_deal(product, quota=QUOTA, per_buyer_limit=2)
    buyer_id = login("uk", "buyer")[0].id

    outcomes = run_at_once(BUYERS, lambda n: claim_once(app, buyer_id, product.variant_id))

    assert (outcomes.count("claimed"), outcomes.count("limit")) == (2, BUYERS - 2)
    assert stored_deal(commerce, deal["id"]) == (2, 2)


def test_one_buyers_hundred_rapid_checkouts_with_a_limit_of_two_buy_two_and_get_429_beyond(
    app: Any, login: Any, make_seller: Any, make_product: Any, make_deal: Any, commerce: Any,
) -> None:
    product = make_product(make_seller("uk"), stock=20)
    deal = make_deal(product, quota=QUOTA, per_buyer_limit=2)
    _, buyer = login("uk", "buyer")

    statuses: list[int] = []
    for _ in range(BUYERS):
        if not statuses or statuses[-1] == 201:  # a placed checkout emptied the cart; a refused one kept it
            commerce.add_to_cart(buyer, product.variant_id)
        statuses.append(commerce.submit(buyer, commerce.checkout_body(buyer), expect=None).status)

    assert statuses[:2] == [201, 201] and set(statuses[2:]) == {429}
    assert stored_deal(commerce, deal["id"]) == (2, 2)
