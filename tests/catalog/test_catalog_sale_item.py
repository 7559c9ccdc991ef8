"""What checkout asks the catalog: may a buyer buy this variant now, at what price, from whom."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update

from pasar.catalog import service
from pasar.catalog.models import Variant
from pasar.sellers.models import Seller
from pasar.testing.catalog_factories import tenant_context


def sale_item(app: Any, code: str, variant_id: int) -> service.SaleItem:
    tenant = tenant_context(app, code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return service.variant_for_sale(session, tenant, variant_id)


def test_a_listed_variant_comes_with_price_seller_tax_category_and_parcel(
    app: Any, make_seller: Any, make_product: Any
) -> None:
    seller = make_seller("uk")
    product = make_product(seller, price="12.50", category="books", weight_grams=750)
    item = sale_item(app, "uk", product.variant_id)
    assert (item.product_id, item.seller_id, item.title.startswith("Product ")) == (product.id, seller.id, True)
    assert (item.price_minor, item.unit_price, item.currency) == (1250, Decimal("12.50"), "GBP")
    assert (item.tax_category, item.weight_grams, item.length_cm) == ("books", 750, 20)


def test_rupiah_unit_prices_come_in_rupiah(app: Any, make_seller: Any, make_product: Any) -> None:
    item = sale_item(app, "id", make_product(make_seller("id"), price="150000").variant_id)
    assert (item.price_minor, item.unit_price) == (15_000_000, Decimal("150000"))


def test_what_a_buyer_may_not_buy_is_not_for_sale(app: Any, make_seller: Any, make_product: Any) -> None:
    seller = make_seller("uk")
    draft = make_product(seller, status="draft")
    two = make_product(seller, variants=2)
    suspended = make_seller("uk")
    gone = make_product(suspended)
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        session.execute(update(Variant).where(Variant.id == two.variant_ids[1]).values(active=False))
        session.execute(update(Seller).where(Seller.id == suspended.id).values(status="suspended"))
    for code, variant_id in (("uk", draft.variant_id), ("uk", two.variant_ids[1]), ("uk", gone.variant_id),
                             ("de", two.variant_id), ("uk", 987654)):
        with pytest.raises(service.CatalogNotFound):
            sale_item(app, code, variant_id)
    assert sale_item(app, "uk", two.variant_id).variant_id == two.variant_id
