"""Console metrics: GMV, orders and payouts per local day and per currency, and the charts that
show them with money written as each tenant's market writes it."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pasar import clock
from pasar.console import service
from pasar.ledger.models import Payout, PayoutBatch
from pasar.testing.accounts_factories import tenant_context


def today_metrics(app: Any, code: str, days: int = 3) -> service.Metrics:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return service.metrics(session, tenant, days, clock.today_in(tenant.config.timezone))


def test_a_window_is_the_tenants_local_days(app: Any) -> None:
    jakarta = tenant_context(app, "id")  # UTC+7

    span = service.window(jakarta, 3, date(2026, 3, 10))

    assert span.days == (date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 10))
    assert span.start == datetime(2026, 3, 7, 17, 0, tzinfo=UTC)
    assert span.end == datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
    assert span.day_of(datetime(2026, 3, 9, 18, 30, tzinfo=UTC)) == date(2026, 3, 10)
    assert len(service.window(jakarta, 0, date(2026, 3, 10)).days) == 1
    assert len(service.window(jakarta, 10_000, date(2026, 3, 10)).days) == service.MAX_DAYS


def test_amounts_are_summed_per_local_day_and_never_across_currencies(app: Any) -> None:
    uk = tenant_context(app, "uk")
    span = service.window(uk, 2, date(2026, 7, 2))  # London is UTC+1 in July
    rows = [(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), 1250, "GBP"),  # 2 July, 00:30 local
            (datetime(2026, 7, 2, 9, 0, tzinfo=UTC), 1000, "GBP"),
            (datetime(2026, 7, 1, 9, 0, tzinfo=UTC), 500, "EUR")]

    gbp, eur = service.money_by_day(uk, span, rows)

    assert gbp.currency == "GBP" and gbp.amounts == {date(2026, 7, 1): Decimal("0.00"),
                                                     date(2026, 7, 2): Decimal("22.50")}
    assert eur.currency == "EUR" and eur.amounts[date(2026, 7, 1)] == Decimal("5.00")
    assert gbp.total == Decimal("22.50")


def test_the_tenants_currency_is_shown_even_with_no_sales(app: Any) -> None:
    vn = tenant_context(app, "vn")
    [series] = service.money_by_day(vn, service.window(vn, 2, date(2026, 1, 5)), [])
    assert series.currency == "VND" and series.total == 0 and len(series.amounts) == 2


def test_money_labels_are_written_as_the_tenants_market_writes_money(app: Any) -> None:
    assert service.money_label(tenant_context(app, "id"))(Decimal("1500000")) == "Rp\xa01.500.000"
    assert service.money_label(tenant_context(app, "uk"))(Decimal("1234.5")) == "£1,234.50"
    assert service.money_label(tenant_context(app, "de"))(Decimal("1234.5")) == "1.234,50\xa0€"
    assert service.money_label(tenant_context(app, "uk"), "EUR")(Decimal("3")) == "€3.00"


def test_a_paid_order_counts_in_gmv_and_orders_on_the_day_it_was_paid(
    app: Any, make_seller: Any, make_product: Any, login: Any, place_order: Any, pay: Any
) -> None:
    product = make_product(make_seller("uk"), price="12.34")
    _, buyer = login("uk", "buyer")
    before = today_metrics(app, "uk")

    placed = place_order(buyer, product, method="card")
    checkout = pay(placed)

    after = today_metrics(app, "uk")
    today = after.window.days[-1]
    assert checkout["status"] == "paid"
    [order] = checkout["orders"]
    gained = after.gmv[0].amounts[today] - before.gmv[0].amounts[today]
    assert gained == Decimal(order["total"]["amount"]) and gained >= Decimal("12.34")
    assert after.orders.placed[today] - before.orders.placed[today] == 1
    assert after.orders.paid[today] - before.orders.paid[today] == 1


def test_settled_payouts_count_on_their_local_day(app: Any) -> None:
    tenant = tenant_context(app, "sg")
    before = today_metrics(app, "sg")
    with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
        batch = PayoutBatch(reference=f"test-{uuid.uuid4().hex[:12]}", provider="sandbox", currency="SGD")
        session.add(batch)
        session.flush()
        for amount, status in ((4200, "paid"), (999, "failed")):
            reference = f"payout-{uuid.uuid4().hex}"
            session.add(Payout(batch_id=batch.id, owner_type="seller", owner_id=amount, reference=reference,
                               idempotency_key=reference, amount_minor=amount, currency="SGD", status=status,
                               provider="sandbox", settled_at=clock.now()))

    after = today_metrics(app, "sg")
    today = after.window.days[-1]
    assert after.payouts[0].amounts[today] - before.payouts[0].amounts[today] == Decimal("42.00")


def test_the_tenant_page_draws_accessible_charts_in_the_tenants_money(app: Any, console: Any) -> None:
    ops = console(tenants=("id",))
    found = today_metrics(app, "id", days=7)
    today = found.window.days[-1]
    label = service.money_label(tenant_context(app, "id"))

    page = ops.get("/console/tenants/id/?days=7")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('role="img"') == 3  # GMV, orders, payouts
    assert "GMV per day (IDR)" in html and "Payouts per day (IDR)" in html and "Orders per day" in html
    assert label(found.gmv[0].amounts[today]) in html and "Rp\xa00" in html
    assert 'class="visually-hidden"' in html
    assert "<script" not in html.split("<main", 1)[1]  # no JavaScript for charts


def test_the_overview_shows_gmv_per_tenant_in_its_own_currency(app: Any, console: Any) -> None:
    ops = console(tenants=("id", "uk"))

    html = ops.get("/console/").get_data(as_text=True)

    assert 'data-currency="IDR"' in html and 'data-currency="GBP"' in html
    assert "never added up" in html
    assert html.count('role="img"') == 1  # paid orders per tenant: counts compare across currencies


def test_a_window_longer_than_a_quarter_is_cut_to_one(app: Any, console: Any) -> None:
    ops = console(tenants=("th",))
    html = ops.get("/console/tenants/th/?days=5000").get_data(as_text=True)
    first = (clock.today_in("Asia/Bangkok") - timedelta(days=service.MAX_DAYS - 1))
    assert html.count("<tr><th scope=\"row\">") >= service.MAX_DAYS
    assert str(first.day) in html
