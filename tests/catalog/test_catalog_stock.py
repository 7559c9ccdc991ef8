"""Stock movements are single guarded UPDATEs: they never oversell, even when many buyers race
for the last units on separate connections (SQLite here, PostgreSQL with
``PASAR_TEST_DATABASE_URL``)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from pasar.catalog import service
from pasar.catalog.models import Inventory
from pasar.testing.catalog_factories import tenant_context


def move(app: Any, code: str, action: str, variant_id: int, quantity: int) -> bool:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        result: bool = getattr(service, action)(session, tenant, variant_id, quantity)
        return result


def test_reserve_release_commit_and_restock_keep_the_books(
    app: Any, make_seller: Any, make_product: Any, stock_of: Any
) -> None:
    variant = make_product(make_seller("uk"), stock=10).variant_id
    steps = [
        ("reserve_stock", 3, True, (10, 3)),
        ("reserve_stock", 8, False, (10, 3)),  # only 7 left
        ("reserve_stock", 7, True, (10, 10)),
        ("release_stock", 11, False, (10, 10)),
        ("release_stock", 5, True, (10, 5)),
        ("commit_stock", 6, False, (10, 5)),  # only 5 held
        ("commit_stock", 5, True, (5, 0)),
        ("restock", 4, True, (9, 0)),
        ("set_stock", 2, True, (2, 0)),
    ]
    for action, quantity, done, after in steps:
        assert move(app, "uk", action, variant, quantity) is done, (action, quantity)
        assert stock_of("uk", variant) == after, (action, quantity)


def test_stock_cannot_be_set_below_what_orders_hold(
    app: Any, make_seller: Any, make_product: Any, stock_of: Any
) -> None:
    variant = make_product(make_seller("uk"), stock=5).variant_id
    assert move(app, "uk", "reserve_stock", variant, 4)
    assert move(app, "uk", "set_stock", variant, 3) is False
    assert move(app, "uk", "set_stock", variant, 4) is True
    assert stock_of("uk", variant) == (4, 4)


def test_another_tenants_variant_is_never_touched(app: Any, make_seller: Any, make_product: Any, stock_of: Any) -> None:
    variant = make_product(make_seller("uk"), stock=5).variant_id
    for action in ("reserve_stock", "restock", "set_stock"):
        assert move(app, "de", action, variant, 1) is False
    assert stock_of("uk", variant) == (5, 0)


def test_quantities_must_be_positive_whole_numbers(app: Any, make_seller: Any, make_product: Any) -> None:
    variant = make_product(make_seller("uk")).variant_id
    for action in ("reserve_stock", "release_stock", "commit_stock", "restock"):
        for bad in (0, -1, True):
            with pytest.raises(ValueError):
                move(app, "uk", action, variant, bad)
    with pytest.raises(ValueError):
        move(app, "uk", "set_stock", variant, -1)


def test_the_database_refuses_holding_more_than_is_on_the_shelf(app: Any, make_seller: Any, make_product: Any) -> None:
    variant = make_product(make_seller("uk"), stock=2).variant_id
    tenant = tenant_context(app, "uk")
    with pytest.raises(IntegrityError):
        with app.extensions["pasar.db"].session(tenant.id) as session:
            session.execute(update(Inventory).where(Inventory.variant_id == variant).values(reserved=3))
    with pytest.raises(IntegrityError):
        with app.extensions["pasar.db"].session(tenant.id) as session:
            session.execute(update(Inventory).where(Inventory.variant_id == variant).values(reserved=-1))


def race(app: Any, variant_id: int, workers: int, quantity: int) -> list[bool]:
    """``workers`` threads, each on its own connection, reserve at the same moment."""
    start = threading.Barrier(workers)
    tenant = tenant_context(app, "uk")
    db = app.extensions["pasar.db"]

    def buyer(_: int) -> bool:
        start.wait()
        with db.session(tenant.id, write=True) as session:
            return service.reserve_stock(session, tenant, variant_id, quantity)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(buyer, range(workers)))


def test_fifty_buyers_racing_for_ten_units_get_exactly_ten(
    app: Any, make_seller: Any, make_product: Any, stock_of: Any
) -> None:
    variant = make_product(make_seller("uk"), stock=10).variant_id
    results = race(app, variant, workers=50, quantity=1)
    assert results.count(True) == 10
    assert stock_of("uk", variant) == (10, 10)


def test_racing_for_several_units_each_never_oversells(
    app: Any, make_seller: Any, make_product: Any, stock_of: Any
) -> None:
    variant = make_product(make_seller("uk"), stock=10).variant_id
    results = race(app, variant, workers=20, quantity=3)
    assert results.count(True) == 3  # 9 held, 1 left: a fourth order of 3 cannot fit
    assert stock_of("uk", variant) == (10, 9)
