"""Sellers manage their own products through the API; activation rules; localized texts;
mass assignment; other sellers' and other tenants' products answer 404."""
from __future__ import annotations

import io
from typing import Any

from sqlalchemy import select, update

from pasar.catalog.models import PriceChange, Product
from pasar.sellers.models import Seller
from pasar.testing.catalog_factories import tenant_context

UK = {"X-Pasar-Tenant": "uk"}


def product_body(locale: str = "en_GB", title: str = "Enamel mug", **extra: Any) -> dict[str, Any]:
    return {"texts": {locale: {"title": title, "description": "Holds 350 ml."}}, "weight_grams": 300, **extra}


def set_seller_status(app: Any, code: str, seller_id: int, status: str) -> None:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        session.execute(update(Seller).where(Seller.id == seller_id).values(status=status))


def test_an_approved_seller_creates_a_draft_that_goes_live_once_it_has_a_variant(client: Any, make_seller: Any) -> None:
    seller = make_seller("uk")
    created = client.post("/api/v1/seller/products", json=product_body(tax_category="standard"), headers=seller.headers)
    assert created.status_code == 201, created.json
    product = created.json
    assert (product["status"], product["moderation"], product["title"]) == ("draft", "approved", "Enamel mug")
    assert client.get(f"/api/v1/products/{product['id']}", headers=UK).status_code == 404

    url = f"/api/v1/seller/products/{product['id']}"
    too_early = client.patch(url, json={"status": "active"}, headers=seller.headers)
    assert too_early.status_code == 422
    assert "status" in too_early.json["errors"]

    variant = client.post(
        f"{url}/variants", json={"sku": "MUG-BLUE", "price": "8.00", "stock": 5, "options": {"colour": "blue"}},
        headers=seller.headers,
    )
    assert variant.status_code == 201, variant.json
    assert (variant.json["price"], variant.json["on_hand"], variant.json["reserved"]) == ("8.00", 5, 0)

    live = client.patch(url, json={"status": "active"}, headers=seller.headers)
    assert live.status_code == 200, live.json
    public = client.get(f"/api/v1/products/{product['id']}", headers=UK).json
    assert public["price_formatted"] == "£8.00"
    variants = [(v["sku"], v["available"], v["options"]) for v in public["variants"]]
    assert variants == [("MUG-BLUE", 5, {"colour": "blue"})]
    assert "on_hand" not in public["variants"][0] and "moderation" not in public


def test_activation_needs_a_title_in_the_tenants_default_language(client: Any, make_seller: Any) -> None:
    seller = make_seller("us")  # en_US (default) and es_US
    product = client.post("/api/v1/seller/products", json=product_body("es_US", "Taza"), headers=seller.headers).json
    url = f"/api/v1/seller/products/{product['id']}"
    client.post(f"{url}/variants", json={"sku": "TAZA-1", "price": "9.99"}, headers=seller.headers)

    refused = client.patch(url, json={"status": "active"}, headers=seller.headers)
    assert refused.status_code == 422
    assert "en_US" in refused.json["errors"]["texts.en_US"][0]

    fixed = client.patch(url, json={"texts": {"en_US": {"title": "Mug"}}, "status": "active"}, headers=seller.headers)
    assert fixed.status_code == 200, fixed.json
    assert fixed.json["texts"] == {
        "en_US": {"title": "Mug", "description": ""},
        "es_US": {"title": "Taza", "description": "Holds 350 ml."},
    }
    us = {"X-Pasar-Tenant": "us"}
    assert client.get(f"/api/v1/products/{product['id']}", headers=us).json["title"] == "Mug"
    spanish = client.get(f"/api/v1/products/{product['id']}?lang=es_US", headers=us).json
    assert (spanish["title"], spanish["locale"]) == ("Taza", "es_US")


def test_a_text_in_a_language_the_marketplace_does_not_offer_is_refused(client: Any, make_seller: Any) -> None:
    seller = make_seller("uk")
    answer = client.post("/api/v1/seller/products", json=product_body("de_DE", "Becher"), headers=seller.headers)
    assert answer.status_code == 422
    assert "en_GB" in answer.json["errors"]["texts.de_DE"][0]


def test_only_approved_sellers_create_or_activate_products(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    pending = make_seller("uk", status="pending")
    refused = client.post("/api/v1/seller/products", json=product_body(), headers=pending.headers)
    assert refused.status_code == 403
    assert refused.json["detail"] == "seller is not approved"

    seller = make_seller("uk")
    draft = make_product(seller, status="draft")
    set_seller_status(app, "uk", seller.id, "suspended")
    answer = client.patch(f"/api/v1/seller/products/{draft.id}", json={"status": "active"}, headers=seller.headers)
    assert answer.status_code == 403
    assert client.get(f"/api/v1/seller/products/{draft.id}", headers=seller.headers).json["status"] == "draft"


def test_seller_endpoints_need_a_seller(client: Any, login: Any) -> None:
    _, buyer = login("uk", "buyer")
    assert client.post("/api/v1/seller/products", json=product_body(), headers=buyer).status_code == 403
    assert client.post("/api/v1/seller/products", json=product_body(), headers=UK).status_code == 401


def test_fields_a_seller_may_not_set_are_refused_and_nothing_is_stored(
    client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    for field, value in (("seller_id", 999), ("tenant_id", 1), ("moderation", "approved"), ("reserved", 0)):
        answer = client.post("/api/v1/seller/products", json=product_body(**{field: value}), headers=seller.headers)
        assert answer.status_code == 422, field
        assert answer.json["errors"] == {field: ["Unknown field."]}
    assert client.get("/api/v1/seller/products", headers=seller.headers).json == []

    product = make_product(seller)
    variant_url = f"/api/v1/seller/variants/{product.variant_id}"
    product_url = f"/api/v1/seller/products/{product.id}"
    patch = client.patch(product_url, json={"moderation": "approved"}, headers=seller.headers)
    assert patch.status_code == 422 and "moderation" in patch.json["errors"]
    stock = client.put(f"{variant_url}/stock", json={"on_hand": 3, "reserved": 0}, headers=seller.headers)
    assert stock.status_code == 422 and "reserved" in stock.json["errors"]
    variant = client.patch(variant_url, json={"currency": "USD"}, headers=seller.headers)
    assert variant.status_code == 422 and "currency" in variant.json["errors"]


def test_another_sellers_product_answers_404_everywhere(client: Any, make_seller: Any, make_product: Any) -> None:
    owner, other = make_seller("uk"), make_seller("uk")
    product = make_product(owner)
    base = f"/api/v1/seller/products/{product.id}"
    attempts = [
        client.get(base, headers=other.headers),
        client.patch(base, json={"status": "archived"}, headers=other.headers),
        client.post(f"{base}/variants", json={"sku": "STOLEN-1", "price": "1.00"}, headers=other.headers),
        client.post(f"{base}/images", data={"file": (io.BytesIO(b"x"), "x.png")}, headers=other.headers),
        client.patch(f"/api/v1/seller/variants/{product.variant_id}", json={"price": "0.01"}, headers=other.headers),
        client.put(f"/api/v1/seller/variants/{product.variant_id}/stock", json={"on_hand": 0}, headers=other.headers),
    ]
    assert [a.status_code for a in attempts] == [404] * len(attempts)
    mine = client.get(base, headers=owner.headers).json
    assert (mine["status"], mine["variants"][0]["price"], mine["variants"][0]["on_hand"]) == ("active", "10.00", 10)


def test_a_product_of_another_tenant_answers_404(client: Any, make_seller: Any, make_product: Any) -> None:
    product = make_product(make_seller("uk"))
    german = make_seller("de")
    assert client.get(f"/api/v1/products/{product.id}", headers={"X-Pasar-Tenant": "de"}).status_code == 404
    steal = client.patch(f"/api/v1/seller/products/{product.id}", json={"status": "archived"}, headers=german.headers)
    assert steal.status_code == 404
    assert client.get(f"/api/v1/products/{product.id}", headers=UK).status_code == 200


def test_bad_values_are_refused_naming_the_field(client: Any, make_seller: Any, make_product: Any) -> None:
    seller = make_seller("uk")
    product = make_product(seller)
    products, variants = "/api/v1/seller/products", f"/api/v1/seller/products/{product.id}/variants"
    cases = [
        (products, product_body(tax_category="weapons"), 422, "tax_category"),
        (products, product_body(category_id=987654), 422, "category_id"),
        (products, product_body(weight_grams=-1), 422, "weight_grams"),
        (variants, {"sku": "A-1", "price": "12.345"}, 422, "price"),
        (variants, {"sku": "A-2", "price": "-1.00"}, 422, "price"),
        (variants, {"sku": "A-3", "price": "1,50"}, 422, "price"),
        (variants, {"sku": "A-4", "price": "2.00", "options": {"variant": "1"}}, 409, "options"),
    ]
    for url, body, status, field in cases:
        answer = client.post(url, json=body, headers=seller.headers)
        assert (answer.status_code, field in answer.json.get("errors", {})) == (status, True), (body, answer.json)


def test_a_sku_is_unique_in_the_marketplace(client: Any, make_seller: Any, make_product: Any) -> None:
    first, second = make_seller("uk"), make_seller("uk")
    product = make_product(second)
    body = {"sku": "SAME-SKU", "price": "1.00"}
    first_url = f"/api/v1/seller/products/{make_product(first).id}/variants"
    first_answer = client.post(first_url, json=body, headers=first.headers)
    assert first_answer.status_code == 201
    taken = client.post(f"/api/v1/seller/products/{product.id}/variants", json=body, headers=second.headers)
    assert taken.status_code == 409
    assert "sku" in taken.json["errors"]


def test_rupiah_prices_have_no_decimals_even_though_iso_gives_two(
    client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("id")
    product = make_product(seller, price="150000")
    url = f"/api/v1/seller/products/{product.id}/variants"
    assert client.post(url, json={"sku": "RP-1", "price": "1000.50"}, headers=seller.headers).status_code == 422
    whole = client.post(url, json={"sku": "RP-2", "price": "1000.00"}, headers=seller.headers)
    assert whole.status_code == 201
    assert whole.json["price"] == "1000"


def test_a_new_price_closes_the_open_price_period(app: Any, client: Any, make_seller: Any, make_product: Any) -> None:
    seller = make_seller("uk")
    product = make_product(seller, price="10.00")
    url = f"/api/v1/seller/variants/{product.variant_id}"
    answer = client.patch(url, json={"price": "7.50"}, headers=seller.headers)
    assert answer.status_code == 200 and answer.json["price"] == "7.50"
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        periods = session.execute(
            select(PriceChange.price_minor, PriceChange.valid_to)
            .where(PriceChange.variant_id == product.variant_id)
            .order_by(PriceChange.id)
        ).all()
        listed = session.get(Product, product.id)
        assert listed is not None and listed.price_minor == 750
    assert [p.price_minor for p in periods] == [1000, 750]
    assert periods[0].valid_to is not None and periods[1].valid_to is None


def test_the_last_active_variant_of_a_live_product_cannot_be_switched_off(
    client: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    product = make_product(seller)
    url = f"/api/v1/seller/variants/{product.variant_id}"
    answer = client.patch(url, json={"active": False}, headers=seller.headers)
    assert answer.status_code == 422 and "active" in answer.json["errors"]
    assert client.get(f"/api/v1/products/{product.id}", headers=UK).json["variants"][0]["active"] is True


def test_stock_is_set_but_never_below_what_orders_hold(
    app: Any, client: Any, make_seller: Any, make_product: Any
) -> None:
    from pasar.catalog.service import reserve_stock

    seller = make_seller("uk")
    product = make_product(seller, stock=10)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        assert reserve_stock(session, tenant, product.variant_id, 4)
    url = f"/api/v1/seller/variants/{product.variant_id}/stock"
    assert client.put(url, json={"on_hand": 6}, headers=seller.headers).json == {
        "variant_id": product.variant_id, "on_hand": 6, "reserved": 4, "available": 2,
    }
    too_low = client.put(url, json={"on_hand": 3}, headers=seller.headers)
    assert too_low.status_code == 409 and "on_hand" in too_low.json["errors"]
    assert client.get(f"/api/v1/products/{product.id}", headers=UK).json["variants"][0]["available"] == 2


def test_a_seller_lists_own_products_in_every_status(client: Any, make_seller: Any, make_product: Any) -> None:
    seller = make_seller("uk")
    draft, live = make_product(seller, status="draft"), make_product(seller)
    make_product(make_seller("uk"))
    mine = client.get("/api/v1/seller/products", headers=seller.headers).json
    assert [(p["id"], p["status"]) for p in mine] == [(live.id, "active"), (draft.id, "draft")]
