"""Factory fixtures for the catalog domain's tests (and for tests of domains built on it).

``make_product(seller, price="10.00", stock=10, category="standard", variants=1,
weight_grams=500, status="active")`` lists a product for a ``SellerHandle`` (from
``make_seller``) through the catalog services, in the seller's tenant of the shared ``app``:
a title in the tenant's default language, ``variants`` SKUs at ``price`` (a decimal string in
the tenant's currency) with ``stock`` units each. ``category`` is the product's tax category.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from pasar.tenancy.service import TenantContext

_numbers = itertools.count(1)


@dataclass(frozen=True)
class ProductHandle:
    """A product made by ``make_product``: its id, its variants' ids and the seller."""

    id: int
    variant_ids: tuple[int, ...]
    seller: Any  # the SellerHandle it was made for

    @property
    def variant_id(self) -> int:
        """The first (often the only) variant."""
        return self.variant_ids[0]


def tenant_context(app: Any, code: str) -> TenantContext:
    """The ``TenantContext`` of ``code`` in ``app``, as a request would see it."""
    from pasar.tenancy import service as tenancy

    with app.extensions["pasar.db"].session(all_tenants=True) as session:
        row = tenancy.get_tenant(session, code)
        return tenancy.context_for(row, app.extensions["pasar.plugins"])


def create_product(
    app: Any, seller: Any, *, price: str = "10.00", stock: int = 10, category: str = "standard",
    variants: int = 1, weight_grams: int = 500, status: str = "active",
) -> ProductHandle:
    """List a product for ``seller`` in ``app`` through the catalog services."""
    from pasar.catalog import service

    tenant = tenant_context(app, seller.tenant)
    number = next(_numbers)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        product = service.create_product(
            session, tenant, seller.id,
            texts={tenant.default_locale: {"title": f"Product {number}", "description": f"Test product {number}"}},
            tax_category=category, weight_grams=weight_grams, length_cm=20, width_cm=15, height_cm=5,
        )
        made = [
            service.add_variant(
                session, tenant, product, sku=f"T{tenant.id}-P{number}-V{index}",
                price=price, options={"variant": str(index)}, stock=stock,
            )
            for index in range(1, variants + 1)
        ]
        if status != "draft":
            service.update_product(session, tenant, product, status=status)
        return ProductHandle(id=product.id, variant_ids=tuple(v.id for v in made), seller=seller)


def products_for(app: Any) -> Callable[..., ProductHandle]:
    """A ``make_product`` for ``app`` (tests with their own ``make_app()`` app use this)."""

    def make(seller: Any, **options: Any) -> ProductHandle:
        return create_product(app, seller, **options)

    return make


@pytest.fixture()
def make_product(app: Any) -> Callable[..., ProductHandle]:
    """``make_product(seller, *, price="10.00", stock=10, category="standard", variants=1,
    weight_grams=500, status="active") -> ProductHandle``."""
    return products_for(app)


@pytest.fixture()
def stock_of(app: Any) -> Callable[[str, int], tuple[int, int]]:
    """``stock_of(tenant_code, variant_id) -> (on_hand, reserved)`` read straight from the table."""

    def read(code: str, variant_id: int) -> tuple[int, int]:
        from pasar.catalog.models import Inventory

        tenant = tenant_context(app, code)
        with app.extensions["pasar.db"].session(tenant.id) as session:
            row = session.get(Inventory, variant_id)
            assert row is not None, f"variant {variant_id} has no stock row in {code}"
            return row.on_hand, row.reserved

    return read
