"""Many buyers racing for the last units: the catalogue's conditional UPDATE sells exactly the
stock, never more, on SQLite (separate connections, writers queued) and on PostgreSQL (row
locks, the WHERE re-checked on the newest row version)."""
from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import func, select

from pasar.orders.models import Order, OrderLine

BUYERS = 200
UNITS = 10


def test_two_hundred_concurrent_checkouts_for_ten_units_make_exactly_ten_orders(
    app: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    product = make_product(make_seller("uk"), price="25.00", stock=UNITS)
    buyers = [login("uk", "buyer")[1] for _ in range(BUYERS)]
    for headers in buyers:
        commerce.add_to_cart(headers, product.variant_id)
    bodies = [commerce.checkout_body(headers) for headers in buyers]
    start = threading.Barrier(BUYERS + 1)
    answers: list[tuple[int, Any]] = []
    seen_stock: list[tuple[int, int]] = []
    done = threading.Event()

    def buy(headers: dict[str, str], body: dict[str, Any], number: int) -> None:
        client = app.test_client()
        start.wait()
        answer = client.post("/api/v1/checkout", json=body, headers={**headers, "Idempotency-Key": f"race-{number}"})
        answers.append((answer.status_code, answer.json))

    def watch() -> None:
        start.wait()
        while not done.is_set():
            seen_stock.append(stock_of("uk", product.variant_id))

    threads = [threading.Thread(target=buy, args=(h, b, n)) for n, (h, b) in enumerate(zip(buyers, bodies))]
    watcher = threading.Thread(target=watch)
    for thread in [*threads, watcher]:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    watcher.join()

    statuses = [status for status, _ in answers]
    assert (statuses.count(201), statuses.count(409), len(statuses)) == (UNITS, BUYERS - UNITS, BUYERS), sorted(set(statuses))
    refused = [json for status, json in answers if status == 409]
    assert all(json["variant_id"] == product.variant_id and list(json["errors"])[0].startswith("lines.") for json in refused)
    assert all(on_hand >= reserved >= 0 for on_hand, reserved in seen_stock)
    assert stock_of("uk", product.variant_id) == (0, 0)  # ten sold (card payments captured), none held
    with commerce.session("uk") as session:
        sold = session.scalar(select(func.coalesce(func.sum(OrderLine.quantity), 0)).join(Order, Order.id == OrderLine.order_id)
                              .where(OrderLine.variant_id == product.variant_id, Order.status == "paid"))
    assert sold == UNITS
