"""The buyer's cart: lines from many shops grouped per shop at today's prices, stock and
sale checks on every change, another buyer's line not found, no price in any body."""
from __future__ import annotations

from typing import Any

from sqlalchemy import update

from pasar.catalog import service as catalog
from pasar.sellers.models import Seller
from pasar.testing.accounts_factories import tenant_context


def add(client: Any, headers: dict[str, str], variant_id: int, quantity: int = 1) -> Any:
    return client.post("/api/v1/cart/lines", json={"variant_id": variant_id, "quantity": quantity}, headers=headers)


def test_lines_from_two_shops_are_grouped_per_shop_with_formatted_totals(client: Any, login: Any, make_seller: Any,
                                                                          make_product: Any) -> None:
    _, buyer = login("uk", "buyer")
    mugs, socks = make_seller("uk", name="Mug Shop"), make_seller("uk", name="Sock Shop")
    mug, sock = make_product(mugs, price="8.00"), make_product(socks, price="3.25")
    add(client, buyer, mug.variant_id, 2)
    answer = add(client, buyer, sock.variant_id)

    assert answer.status_code == 201, answer.json
    cart = answer.json
    assert [(g["seller_name"], [line["quantity"] for line in g["lines"]]) for g in cart["groups"]] == [
        ("Mug Shop", [2]), ("Sock Shop", [1])]
    assert cart["groups"][0]["subtotal"] == {"minor": 1600, "amount": "16.00", "currency": "GBP", "formatted": "£16.00"}
    assert (cart["subtotal"]["formatted"], cart["item_count"]) == ("£19.25", 3)


def test_the_cart_shows_todays_price_not_the_price_when_it_was_added(app: Any, client: Any, login: Any,
                                                                     make_seller: Any, make_product: Any) -> None:
    _, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), price="10.00")
    add(client, buyer, product.variant_id)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        variant = catalog.seller_variant(session, tenant, product.seller.id, product.variant_id)
        catalog.update_variant(session, tenant, variant, price="7.50")

    line = client.get("/api/v1/cart", headers=buyer).json["groups"][0]["lines"][0]
    assert (line["unit_price"]["amount"], line["line_total"]["formatted"]) == ("7.50", "£7.50")


def test_adding_again_raises_the_quantity_up_to_the_stock_available(client: Any, login: Any, make_seller: Any,
                                                                    make_product: Any) -> None:
    _, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=3)
    add(client, buyer, product.variant_id, 2)
    assert add(client, buyer, product.variant_id).json["groups"][0]["lines"][0]["quantity"] == 3

    refused = add(client, buyer, product.variant_id)
    assert refused.status_code == 409
    assert refused.mimetype == "application/problem+json"
    assert refused.json["errors"] == {"quantity": ["only 3 available"]}
    assert client.get("/api/v1/cart", headers=buyer).json["item_count"] == 3


def test_units_held_by_placed_orders_are_not_available(client: Any, login: Any, make_seller: Any, make_product: Any,
                                                       place_order: Any) -> None:
    product = make_product(make_seller("uk"), stock=3)
    _, first = login("uk", "buyer")
    place_order(first, (product, 2), method="paypal")  # unpaid: two units held
    _, second = login("uk", "buyer")

    assert add(client, second, product.variant_id, 2).json["errors"] == {"quantity": ["only 1 available"]}
    assert add(client, second, product.variant_id, 1).status_code == 201


def test_only_products_a_buyer_may_buy_can_be_added(app: Any, client: Any, login: Any, make_seller: Any,
                                                     make_product: Any) -> None:
    _, buyer = login("uk", "buyer")
    draft = make_product(make_seller("uk"), status="draft")
    seller = make_seller("uk")
    live = make_product(seller)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        session.execute(update(Seller).where(Seller.id == seller.id).values(status="suspended"))

    for variant_id in (draft.variant_id, live.variant_id, 999_999):
        refused = add(client, buyer, variant_id)
        assert refused.status_code == 422, refused.json
        assert refused.json["errors"] == {"variant_id": ["this variant is not for sale"]}


def test_a_line_quantity_changes_and_a_line_goes_away(client: Any, login: Any, make_seller: Any,
                                                      make_product: Any) -> None:
    _, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), stock=5)
    line_id = add(client, buyer, product.variant_id).json["groups"][0]["lines"][0]["id"]

    changed = client.patch(f"/api/v1/cart/lines/{line_id}", json={"quantity": 4}, headers=buyer)
    assert changed.json["groups"][0]["lines"][0]["quantity"] == 4
    too_many = client.patch(f"/api/v1/cart/lines/{line_id}", json={"quantity": 6}, headers=buyer)
    assert (too_many.status_code, too_many.json["errors"]) == (409, {"quantity": ["only 5 available"]})
    zero = client.patch(f"/api/v1/cart/lines/{line_id}", json={"quantity": 0}, headers=buyer)
    assert zero.status_code == 422 and "quantity" in zero.json["errors"]

    emptied = client.delete(f"/api/v1/cart/lines/{line_id}", headers=buyer)
    assert (emptied.status_code, emptied.json["groups"], emptied.json["item_count"]) == (200, [], 0)


def test_another_buyers_line_is_not_found(client: Any, login: Any, make_seller: Any, make_product: Any) -> None:
    _, owner = login("uk", "buyer")
    _, other = login("uk", "buyer")
    line_id = add(client, owner, make_product(make_seller("uk")).variant_id).json["groups"][0]["lines"][0]["id"]

    assert client.patch(f"/api/v1/cart/lines/{line_id}", json={"quantity": 2}, headers=other).status_code == 404
    assert client.delete(f"/api/v1/cart/lines/{line_id}", headers=other).status_code == 404
    assert client.get("/api/v1/cart", headers=owner).json["groups"][0]["lines"][0]["quantity"] == 1


def test_a_line_of_another_tenant_is_not_found(client: Any, login: Any, make_seller: Any, make_product: Any) -> None:
    _, uk_buyer = login("uk", "buyer")
    line_id = add(client, uk_buyer, make_product(make_seller("uk")).variant_id).json["groups"][0]["lines"][0]["id"]
    _, de_buyer = login("de", "buyer")
    assert client.delete(f"/api/v1/cart/lines/{line_id}", headers=de_buyer).status_code == 404
    assert add(client, de_buyer, make_product(make_seller("uk")).variant_id).status_code == 422


def test_a_cart_body_naming_a_price_seller_or_tenant_is_refused(client: Any, login: Any, make_seller: Any,
                                                                 make_product: Any) -> None:
    _, buyer = login("uk", "buyer")
    product = make_product(make_seller("uk"), price="10.00")
    body = {"variant_id": product.variant_id, "quantity": 1, "price": "0.01", "seller_id": 1, "tenant_id": 2}

    refused = client.post("/api/v1/cart/lines", json=body, headers=buyer)
    assert refused.status_code == 422
    assert set(refused.json["errors"]) == {"price", "seller_id", "tenant_id"}
    assert client.get("/api/v1/cart", headers=buyer).json["groups"] == []
    line_id = add(client, buyer, product.variant_id).json["groups"][0]["lines"][0]["id"]
    patched = client.patch(f"/api/v1/cart/lines/{line_id}", json={"quantity": 1, "unit_price": "0.01"}, headers=buyer)
    assert patched.status_code == 422 and "unit_price" in patched.json["errors"]
    assert client.get("/api/v1/cart", headers=buyer).json["subtotal"]["amount"] == "10.00"


def test_the_cart_needs_a_signed_in_buyer(client: Any, login: Any) -> None:
    assert client.get("/api/v1/cart", headers={"X-Pasar-Tenant": "uk"}).status_code == 401
    _, seller_only = login("uk", "seller")
    assert client.get("/api/v1/cart", headers=seller_only).status_code == 403


def test_a_line_no_longer_for_sale_stays_in_the_cart_and_checkout_refuses_it_by_name(
    app: Any, client: Any, login: Any, make_seller: Any, make_product: Any, commerce: Any, stock_of: Any,
) -> None:
    _, buyer = login("uk", "buyer")
    shop = make_seller("uk")
    kept, blocked = make_product(shop, price="5.00", stock=4), make_product(shop, price="9.00", stock=4)
    add(client, buyer, kept.variant_id)
    add(client, buyer, blocked.variant_id, 2)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        catalog.block_product(session, tenant, blocked.id, "counterfeit")

    lines = {line["variant_id"]: line for line in client.get("/api/v1/cart", headers=buyer).json["groups"][0]["lines"]}
    assert (lines[kept.variant_id]["for_sale"], lines[kept.variant_id]["available"]) == (True, 4)
    gone = lines[blocked.variant_id]
    assert (gone["for_sale"], gone["unit_price"], gone["available"], gone["quantity"]) == (False, None, 0, 2)

    refused = commerce.submit(buyer, commerce.checkout_body(buyer), expect=409)
    assert list(refused.body["errors"]) == [f"lines.{gone['id']}"]
    assert stock_of("uk", kept.variant_id) == (4, 0)  # nothing held for the line still for sale

