"""Seller center: the product editor (variants, pictures, prices) and the inventory table."""
from __future__ import annotations

import io
import re
from typing import Any

from PIL import Image

from pasar.catalog import service as catalog
from pasar.testing.catalog_factories import tenant_context


def picture(colour: str = "red") -> io.BytesIO:
    """A small real PNG (the catalog decodes and re-encodes every upload)."""
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, format="PNG")
    out.seek(0)
    return out


def product_of(app: Any, code: str, product_id: int) -> Any:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        product = catalog.get_product(session, tenant, product_id)
        session.expunge_all()
        return product


def created_id(response: Any) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    found = re.search(r"/seller/products/(\d+)$", response.headers["Location"])
    assert found, response.headers["Location"]
    return int(found.group(1))


def test_the_editor_creates_a_product_with_two_variants_and_a_picture_then_changes_a_price(
    app: Any, make_seller: Any, seller_web: Any,
) -> None:
    shop = make_seller("uk")
    browser = seller_web(shop)
    assert 'id="product-save"' in browser.get("/seller/products/new").get_data(as_text=True)
    response = browser.post("/seller/products/new", {
        "texts.en_GB.title": "Linen shirt", "texts.en_GB.description": "Cool in summer",
        "tax_category": "clothing", "weight_grams": "300",
        "variants.0.sku": f"SHIRT-{shop.id}-M", "variants.0.options": "Size: M", "variants.0.price": "24.50",
        "variants.0.stock": "5",
        "variants.1.sku": f"SHIRT-{shop.id}-L", "variants.1.options": "Size: L", "variants.1.price": "26.00",
        "variants.1.stock": "3",
        "images": (picture(), "shirt.png"), "activate": "1",
    }, content_type="multipart/form-data")
    product_id = created_id(response)
    product = product_of(app, "uk", product_id)
    assert product.status == "active" and product.tax_category == "clothing" and product.weight_grams == 300
    assert sorted((v.options["Size"], v.price_minor, v.inventory.on_hand) for v in product.variants) == [
        ("L", 2600, 3), ("M", 2450, 5)]
    assert len(product.images) == 1
    editor = browser.get(f"/seller/products/{product_id}").get_data(as_text=True)
    assert "Linen shirt" in editor and "£24.50" in editor
    thumbnail = re.search(r'<img src="([^"]+_thumb\.png)"', editor)
    assert thumbnail
    with browser.client.get(thumbnail.group(1)) as served:
        assert served.status_code == 200 and served.mimetype == "image/png"

    medium = next(v for v in product.variants if v.options["Size"] == "M")
    changed = browser.post(f"/seller/products/{product_id}/variants/{medium.id}", {
        f"variant.{medium.id}.price": "19.99", f"variant.{medium.id}.options": "Size: M",
        f"variant.{medium.id}.active": "1"})
    assert changed.status_code == 302
    assert {v.id: v.price_minor for v in product_of(app, "uk", product_id).variants}[medium.id] == 1999


def test_a_refused_variant_leaves_no_half_made_product(app: Any, make_seller: Any, seller_web: Any) -> None:
    shop = make_seller("uk")
    browser = seller_web(shop)
    response = browser.post("/seller/products/new", {
        "texts.en_GB.title": "Mug", "tax_category": "standard",
        "variants.0.sku": f"MUG-{shop.id}", "variants.0.price": "8.00",
        "variants.1.sku": f"MUG-{shop.id}-B", "variants.1.price": "8.001",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="variants-1-price-error"' in page
    assert 'value="Mug"' in page  # what was typed stays
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        assert catalog.seller_products(session, tenant, shop.id) == []


def test_a_pending_shop_is_told_it_cannot_list_yet(make_seller: Any, seller_web: Any) -> None:
    browser = seller_web(make_seller("uk", status="pending"))
    response = browser.post("/seller/products/new", {"texts.en_GB.title": "Mug"})
    assert response.status_code == 422
    assert "not approved" in response.get_data(as_text=True)


def test_stock_is_set_from_the_inventory_but_never_below_what_orders_hold(
    app: Any, make_seller: Any, make_product: Any, make_order: Any, seller_web: Any, stock_of: Any,
) -> None:
    shop = make_seller("uk")
    product = make_product(shop, stock=10, variants=2)
    make_order(shop, product, quantity=2, method="card", paid=False)  # holds 2 units of the first
    browser = seller_web(shop)
    page = browser.get("/seller/inventory").get_data(as_text=True)
    assert f'name="stock.{product.variant_ids[1]}"' in page
    saved = browser.post("/seller/inventory", {f"stock.{product.variant_ids[1]}": "25",
                                               f"stock.{product.variant_ids[0]}": "10"})
    assert saved.status_code == 302
    assert stock_of("uk", product.variant_ids[1]) == (25, 0)
    refused = browser.post("/seller/inventory", {f"stock.{product.variant_ids[0]}": "1",
                                                 f"stock.{product.variant_ids[1]}": "30"})
    assert refused.status_code == 422
    assert f'id="stock-{product.variant_ids[0]}-error"' in refused.get_data(as_text=True)
    assert stock_of("uk", product.variant_ids[0]) == (10, 2)
    assert stock_of("uk", product.variant_ids[1]) == (25, 0)  # all or nothing


def test_another_shops_product_is_not_found(make_seller: Any, make_product: Any, seller_web: Any) -> None:
    other = make_product(make_seller("uk"))
    browser = seller_web(make_seller("uk"))
    assert browser.get(f"/seller/products/{other.id}").status_code == 404
    assert browser.post(f"/seller/products/{other.id}/variants/{other.variant_id}",
                        {f"variant.{other.variant_id}.price": "1.00"}).status_code == 404
