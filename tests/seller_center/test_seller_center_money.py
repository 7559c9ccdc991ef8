"""Seller center: the money page — balance owed, sales per day as an SVG chart, statement."""
from __future__ import annotations

import re
from typing import Any

from pasar.clock import now
from pasar.money import format_money, from_minor
from pasar.orders import service as orders
from pasar.testing.catalog_factories import tenant_context


def test_the_money_page_shows_the_balance_owed_and_a_sales_per_day_chart(
    app: Any, make_seller: Any, make_product: Any, make_order: Any, seller_web: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop, price="30.00", stock=10)
    settled, _other = make_order(shop, product), make_order(shop, product, quantity=2)
    tenant = tenant_context(app, "uk")
    rules = tenant.currency_rules()
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        order = orders.get_order(session, tenant, settled.id)
        orders.settle(session, tenant, order)  # as completion does when the return window closes
        net = orders.settlement(session, tenant, order, now()).seller_net
    page = seller_web(shop).get("/seller/money").get_data(as_text=True)
    balance = re.search(r'<p class="balance" data-test="balance">([^<]+)</p>', page)
    assert balance and balance.group(1) == format_money(from_minor(net, "GBP", rules), "en_GB", rules)
    chart = re.search(r'<div class="sales-chart" data-test="sales-chart">(.*?)</div>', page, re.S)
    assert chart is not None
    svg = chart.group(1)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in svg and 'role="img"' in svg
    assert "<title" in svg and "Sales per day" in svg and "<desc" in svg
    assert "£90.00" in svg  # today's three units, in the chart's data table
    assert "Sale" in page  # the settled order on the statement


def test_a_reversed_period_names_the_field_and_still_shows_the_page(make_seller: Any, seller_web: Any) -> None:
    browser = seller_web(make_seller("th"))
    response = browser.get("/seller/money?from=2030-05-10&to=2030-05-01")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="from-error"' in page and 'data-test="sales-chart"' in page
