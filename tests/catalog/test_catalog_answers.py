"""The public listing and product page answer, without a marshmallow dump, exactly what their
schemas dump of the ORM path (``list_products`` + ``summaries``, ``public_product`` +
``Presenter.detail``): the schemas still document the answers, so they must stay their shape."""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from pasar import clock
from pasar.catalog import listing, service
from pasar.catalog.models import PriceChange, ProductImage, Variant
from pasar.catalog.schemas import ListingPageSchema, ProductDetailSchema
from pasar.testing.catalog_factories import tenant_context


def as_json(value: Any) -> Any:
    return json.loads(json.dumps(value))


def shop_with_everything(app: Any, make_seller: Any, make_product: Any, code: str) -> list[Any]:
    """Products of ``code`` with second-language texts, pictures (two with the same position),
    an inactive variant, one sold out, and a reduced price with a history."""
    seller = make_seller(code)
    products = [make_product(seller, price=f"{9 + i}.95", variants=2 if i % 3 == 0 else 1,
                             stock=0 if i == 4 else 5) for i in range(7)]
    tenant = tenant_context(app, code)
    now = clock.now()
    with app.extensions["pasar.db"].session(tenant.id) as session:
        for index, handle in enumerate(products):
            product = service.get_product(session, tenant, handle.id)
            if len(tenant.config.locales) > 1 and index % 2:
                second = tenant.config.locales[1]
                service.update_product(session, tenant, product, texts={
                    second: {"title": f"Producto {index}", "description": "Segunda lengua"}})
            for position, name in ((1, "b"), (0, "a"), (0, "c"))[: index % 4]:
                session.add(ProductImage(
                    product_id=handle.id, position=position, original_path=f"p/{handle.id}{name}.jpg",
                    thumbnail_path=f"p/{handle.id}{name}_t.jpg", width=10, height=20, content_type="image/jpeg"))
        session.execute(update(Variant).where(Variant.id == products[3].variant_ids[1]).values(active=False))
        reduced = session.get(Variant, products[1].variant_id)
        assert reduced is not None
        session.execute(update(PriceChange).where(PriceChange.variant_id == reduced.id)
                        .values(valid_from=now - timedelta(days=40)))
        service.change_price(session, tenant, reduced, reduced.price_minor + 500, now - timedelta(days=10))
        service.change_price(session, tenant, reduced, reduced.price_minor - 700, now - timedelta(days=1))
    return products


def media(code: str) -> listing.MediaUrl:
    return lambda path: f"/media/{code}/{path}"


def test_the_listing_answers_what_its_schema_dumps_of_the_orm_cards(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    products = shop_with_everything(app, make_seller, make_product, "us")
    seller_id = products[0].seller.id
    tenant = tenant_context(app, "us")
    for locale in ("en_US", "es_US"):
        for sort in listing.SORTS:
            query = listing.ListingQuery(seller_id=seller_id, sort=sort, limit=4)
            answer = client.get("/api/v1/products", query_string={"seller": seller_id, "sort": sort, "limit": 4,
                                                                   "lang": locale},
                                headers={"X-Pasar-Tenant": "us"})
            with app.extensions["pasar.db"].session(tenant.id) as session:
                page = listing.list_products(session, tenant, query)
                cards = listing.summaries(listing.Presenter.for_request(tenant, locale, media("us")), page.rows)
            expected = ListingPageSchema().dump({"items": cards, "next_cursor": page.next_cursor})
            assert answer.status_code == 200
            assert answer.json == as_json(expected)
            assert {card["locale"] for card in answer.json["items"]} <= {"en_US", "es_US"}


def test_the_product_page_answers_what_its_schema_dumps_of_the_orm_detail(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    for code in ("de", "us"):
        products = shop_with_everything(app, make_seller, make_product, code)
        tenant = tenant_context(app, code)
        for locale in tenant.config.locales:
            for handle in products:
                answer = client.get(f"/api/v1/products/{handle.id}", query_string={"lang": locale},
                                    headers={"X-Pasar-Tenant": code})
                with app.extensions["pasar.db"].session(tenant.id) as session:
                    product, seller_name = listing.public_product(session, tenant, handle.id)
                    shown = listing.Presenter.for_request(tenant, locale, media(code))
                    expected = ProductDetailSchema().dump(shown.detail(session, product, seller_name))
                assert answer.status_code == 200
                assert answer.json == as_json(expected), (code, locale, handle.id)
    reduced = client.get(f"/api/v1/products/{products[1].id}", headers={"X-Pasar-Tenant": "us"}).json
    assert reduced["variants"][0]["prior_price"] is None  # the US has no prior-price rule


def test_a_reduced_eu_price_shows_its_prior_price_on_the_page(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    products = shop_with_everything(app, make_seller, make_product, "de")
    page = client.get(f"/api/v1/products/{products[1].id}", headers={"X-Pasar-Tenant": "de"}).json
    assert page["variants"][0]["prior_price"] == "10.95"
    assert page["variants"][0]["price"] == "8.95"
