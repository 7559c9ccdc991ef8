"""EU Omnibus (Art. 6a PID, REGIONS S115-S117): a reduced price shows the lowest price of the
30 days before the reduction. The UK and the US have no such rule, so they show none."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import update

from pasar import clock
from pasar.catalog import service
from pasar.catalog.models import PriceChange, Variant
from pasar.testing.catalog_factories import tenant_context


def rewrite_history(app: Any, code: str, variant_id: int, periods: list[tuple[int, str]]) -> None:
    """Give the variant the price ``periods`` as ``(days ago it started, price)``, oldest
    first; the last one is its price now."""
    tenant = tenant_context(app, code)
    now = clock.now()
    with app.extensions["pasar.db"].session(tenant.id) as session:
        start = now - timedelta(days=periods[0][0])
        session.execute(update(PriceChange).where(PriceChange.variant_id == variant_id).values(valid_from=start))
        variant = session.get(Variant, variant_id)
        assert variant is not None
        for days_ago, price in periods[1:]:
            minor = service.price_to_minor(tenant, price)
            service.change_price(session, tenant, variant, minor, now - timedelta(days=days_ago))


def shown(client: Any, code: str, product_id: int) -> dict[str, Any]:
    variant = client.get(f"/api/v1/products/{product_id}", headers={"X-Pasar-Tenant": code}).json["variants"][0]
    return {k: variant[k] for k in ("price", "prior_price", "prior_price_formatted")}


def test_an_eu_reduction_shows_the_lowest_price_of_the_30_days_before_it(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    product = make_product(make_seller("de"), price="20.00")
    # 20 € for 40 days, then 25 € (20 days ago), now reduced to 19 €: the 30 days before the
    # reduction saw 20 € and 25 €, so the prior price is 20 €, not the 25 € just before.
    rewrite_history(app, "de", product.variant_id, [(60, "20.00"), (20, "25.00"), (0, "19.00")])
    assert shown(client, "de", product.id) == {
        "price": "19.00", "prior_price": "20.00", "prior_price_formatted": "20,00\xa0€",
    }


def test_a_price_older_than_the_window_does_not_count(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    product = make_product(make_seller("fr"), price="15.00")
    rewrite_history(app, "fr", product.variant_id, [(90, "15.00"), (45, "30.00"), (0, "24.00")])
    assert shown(client, "fr", product.id)["prior_price"] == "30.00"


def test_no_prior_price_without_a_reduction(app: Any, client: Any, make_seller: Any, make_product: Any) -> None:
    fresh = make_product(make_seller("de"), price="20.00")
    assert shown(client, "de", fresh.id)["prior_price"] is None
    raised = make_product(make_seller("de"), price="20.00")
    rewrite_history(app, "de", raised.variant_id, [(60, "20.00"), (0, "22.00")])
    assert shown(client, "de", raised.id) == {"price": "22.00", "prior_price": None, "prior_price_formatted": None}


def test_the_uk_and_the_us_show_no_prior_price(app: Any, client: Any, make_seller: Any, make_product: Any) -> None:
    for code, currency_price in (("uk", "19.00"), ("us", "19.00")):
        product = make_product(make_seller(code), price="20.00")
        rewrite_history(app, code, product.variant_id, [(60, "20.00"), (20, "25.00"), (0, currency_price)])
        assert shown(client, code, product.id) == {"price": "19.00", "prior_price": None, "prior_price_formatted": None}


def test_a_reduction_through_the_api_shows_the_price_it_replaced(
    client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("nl")
    product = make_product(seller, price="12.00")
    client.patch(f"/api/v1/seller/variants/{product.variant_id}", json={"price": "9.00"}, headers=seller.headers)
    assert shown(client, "nl", product.id)["prior_price"] == "12.00"


def test_prior_price_looks_back_the_days_it_is_given(app: Any, make_seller: Any, make_product: Any) -> None:
    product = make_product(make_seller("de"), price="10.00")
    rewrite_history(app, "de", product.variant_id, [(50, "10.00"), (12, "14.00"), (0, "13.00")])
    tenant = tenant_context(app, "de")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        now = clock.now()
        assert service.prior_price(session, tenant, product.variant_id, now, 30) == 1000
        assert service.prior_price(session, tenant, product.variant_id, now, 10) == 1400
        assert service.prior_price(session, tenant, product.variant_id, now - timedelta(days=20), 30) is None
