"""A shop's sales per local day: what the seller center's chart shows."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from pasar.clock import today_in
from pasar.orders import service
from pasar.orders.state import Actor
from pasar.testing.catalog_factories import tenant_context


def test_sales_per_day_add_up_paid_orders_and_list_quiet_days_as_zero(
    app: Any, make_seller: Any, make_product: Any, make_order: Any,
) -> None:
    seller = make_seller("th")
    product = make_product(seller, price="100.00", stock=20)
    make_order(seller, product, quantity=2)
    make_order(seller, product)
    make_order(seller, product, paid=False)  # not paid: no sale yet
    cancelled = make_order(seller, product)
    other_shop = make_seller("th")
    make_order(other_shop, make_product(other_shop, price="999.00"))
    tenant = tenant_context(app, "th")
    db = app.extensions["pasar.db"]
    with db.session(tenant.id, write=True) as session:
        service.cancel(session, tenant, cancelled.id, Actor("seller", seller.user_id), "out of stock")
    today = today_in(tenant.config.timezone)
    with db.session(tenant.id) as session:
        days = service.daily_sales(session, tenant, seller.id, today - timedelta(days=6), today)
    assert [day for day, _ in days] == [today - timedelta(days=n) for n in range(6, -1, -1)]
    assert sum(total for _, total in days) == 30_000  # 3 units at 100.00 THB, in satang
    assert sum(1 for _, total in days if total == 0) >= 5


def test_sales_of_another_tenant_never_count(app: Any, make_seller: Any, make_product: Any, make_order: Any) -> None:
    seller = make_seller("uk")
    make_order(seller, make_product(seller, price="12.00"))
    tenant = tenant_context(app, "de")
    today = today_in(tenant.config.timezone)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        days = service.daily_sales(session, tenant, seller.id, today - timedelta(days=1), today)
    assert [total for _, total in days] == [0, 0]
