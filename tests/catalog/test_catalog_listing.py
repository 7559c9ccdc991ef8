"""The public catalogue: filters, sorts, keyset pages, a constant number of statements per
page, and only what a buyer may buy."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import update

from pasar.catalog import listing, service
from pasar.catalog.models import ProductImage
from pasar.sellers.models import Seller
from pasar.testing.catalog_factories import tenant_context
from pasar.testing.sql import statements_sent

UK = {"X-Pasar-Tenant": "uk"}


def listed(client: Any, **query: Any) -> list[int]:
    answer = client.get("/api/v1/products", query_string=query, headers=UK)
    assert answer.status_code == 200, answer.json
    return [item["id"] for item in answer.json["items"]]


def all_pages(client: Any, between: Callable[[], None] = lambda: None, **query: Any) -> list[int]:
    """Every id of every page, calling ``between`` after each page."""
    seen: list[int] = []
    cursor = None
    while True:
        args = {**query, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/products", query_string=args, headers=UK).json
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
        between()


def category(app: Any, names: str, parent: int | None = None) -> int:
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        made = service.create_category(
            session, tenant, slug=f"c-{uuid.uuid4().hex[:10]}", names={"en_GB": names}, parent_id=parent
        )
        return made.id


def place(app: Any, product_id: int, category_id: int) -> None:
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        product = service.get_product(session, tenant, product_id)
        service.update_product(session, tenant, product, category_id=category_id)


def test_a_category_lists_its_products_and_those_of_every_category_below_it(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    home = category(app, "Home")
    kitchen = category(app, "Kitchen", home)
    mugs = category(app, "Mugs", kitchen)
    garden = category(app, "Garden")
    products = {}
    for name, where in (("home", home), ("kitchen", kitchen), ("mug", mugs), ("garden", garden)):
        products[name] = make_product(seller).id
        place(app, products[name], where)

    def ids(category_id: int) -> set[int]:
        return set(listed(client, category=category_id, seller=seller.id))

    assert ids(home) == {products["home"], products["kitchen"], products["mug"]}
    assert ids(kitchen) == {products["kitchen"], products["mug"]}
    assert ids(mugs) == {products["mug"]}
    assert ids(garden) == {products["garden"]}


def test_price_filters_take_decimal_strings_in_the_tenants_currency(
    client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    cheap, middle, dear = (make_product(seller, price=p).id for p in ("4.99", "10.00", "25.50"))
    assert set(listed(client, seller=seller.id, min_price="10")) == {middle, dear}
    assert set(listed(client, seller=seller.id, max_price="10.00")) == {cheap, middle}
    assert listed(client, seller=seller.id, min_price="5", max_price="25.49") == [middle]
    for bad in ("ten", "10.001", "-1", "1e3"):
        answer = client.get("/api/v1/products", query_string={"min_price": bad}, headers=UK)
        assert answer.status_code == 422 and "min_price" in answer.json["errors"], bad


def test_in_stock_leaves_out_products_nobody_can_buy_now(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    stocked, empty = make_product(seller, stock=3), make_product(seller, stock=0)
    held = make_product(seller, stock=2)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        assert service.reserve_stock(session, tenant, held.variant_id, 2)
    assert set(listed(client, seller=seller.id)) == {stocked.id, empty.id, held.id}
    assert listed(client, seller=seller.id, in_stock="true") == [stocked.id]
    cards = client.get("/api/v1/products", query_string={"seller": seller.id}, headers=UK).json["items"]
    assert {c["id"]: c["in_stock"] for c in cards} == {stocked.id: True, empty.id: False, held.id: False}


def test_sorts_by_newest_and_by_price_either_way(client: Any, make_seller: Any, make_product: Any) -> None:
    seller = make_seller("uk")
    made = [make_product(seller, price=p).id for p in ("3.00", "1.00", "2.00", "1.00")]
    assert listed(client, seller=seller.id) == made[::-1]
    assert listed(client, seller=seller.id, sort="price_asc") == [made[1], made[3], made[2], made[0]]
    assert listed(client, seller=seller.id, sort="price_desc") == [made[0], made[2], made[3], made[1]]


def test_pages_have_no_duplicates_or_gaps_while_products_are_added(
    client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    prices = ["7.00", "3.00", "9.00", "3.00", "5.00", "1.00", "8.00", "3.00", "2.00", "6.00", "4.00", "3.00"]
    original = [make_product(seller, price=p).id for p in prices]
    extra_prices = iter(["0.50", "99.00", "3.00", "4.50", "0.10", "50.00"] * 5)
    added: list[int] = []

    def add_one() -> None:
        added.append(make_product(seller, price=next(extra_prices)).id)

    for sort in ("newest", "price_asc", "price_desc"):
        seen = all_pages(client, add_one, seller=seller.id, sort=sort, limit=5)
        assert len(seen) == len(set(seen)), sort
        assert set(original) <= set(seen), sort
    assert sorted(all_pages(client, seller=seller.id, limit=4)) == sorted(original + added)


def test_a_cursor_is_opaque_and_bound_to_its_sort(client: Any, make_seller: Any, make_product: Any) -> None:
    seller = make_seller("uk")
    for _ in range(3):
        make_product(seller)
    first_page = client.get("/api/v1/products", query_string={"seller": seller.id, "limit": 1}, headers=UK).json
    cursor = first_page["next_cursor"]
    assert isinstance(cursor, str) and cursor.isascii() and "=" not in cursor
    for bad in (cursor + "x", "bm90IGpzb24", "W10"):
        answer = client.get("/api/v1/products", query_string={"cursor": bad}, headers=UK)
        assert answer.status_code == 422 and "cursor" in answer.json["errors"], bad
    other_sort = client.get("/api/v1/products", query_string={"cursor": cursor, "sort": "price_asc"}, headers=UK)
    assert other_sort.status_code == 422
    too_many = client.get("/api/v1/products", query_string={"limit": 101}, headers=UK)
    assert too_many.status_code == 422 and "query.limit" in too_many.json["errors"]


def test_only_what_a_buyer_may_buy_is_listed(app: Any, client: Any, make_seller: Any, make_product: Any) -> None:
    seller, suspended = make_seller("uk"), make_seller("uk")
    live = make_product(seller)
    make_product(seller, status="draft")
    make_product(seller, status="archived")
    gone = make_product(suspended)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        session.execute(update(Seller).where(Seller.id == suspended.id).values(status="suspended"))
    assert listed(client, seller=seller.id) == [live.id]
    assert listed(client, seller=suspended.id) == []
    assert client.get(f"/api/v1/products/{gone.id}", headers=UK).status_code == 404
    elsewhere = client.get("/api/v1/products", query_string={"seller": seller.id}, headers={"X-Pasar-Tenant": "de"})
    assert elsewhere.json["items"] == []


counting_statements = statements_sent


def test_a_page_costs_the_same_number_of_statements_whatever_its_size(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    products = [make_product(seller, variants=2) for _ in range(50)]
    tenant = tenant_context(app, "uk")
    db = app.extensions["pasar.db"]
    with db.session(tenant.id) as session:
        for handle in products:
            session.add(ProductImage(
                product_id=handle.id, position=0, original_path=f"p/{handle.id}.jpg",
                thumbnail_path=f"p/{handle.id}_thumb.jpg", width=10, height=10, content_type="image/jpeg",
            ))

    def service_statements(limit: int) -> int:
        with db.session(tenant.id) as session, counting_statements(db.engine) as statements:
            page = listing.list_products(session, tenant, listing.ListingQuery(seller_id=seller.id, limit=limit))
            cards = listing.summaries(listing.Presenter.for_request(tenant, "en_GB", str), page.rows)
        assert len(cards) == limit and all(c["thumbnail_url"] for c in cards)
        return len(statements)

    def api_statements(limit: int) -> int:
        with counting_statements(db.engine) as statements:
            page = client.get("/api/v1/products", query_string={"seller": seller.id, "limit": limit}, headers=UK).json
        assert len(page["items"]) == limit
        return len(statements)

    assert service_statements(5) == service_statements(50) <= 4
    assert api_statements(5) == api_statements(50)
