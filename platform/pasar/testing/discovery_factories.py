"""Factory fixtures for the discovery domain's tests: products with chosen texts, and a
buyer's purchase/cart history to personalise the feed.

``make_titled(seller, {"vi_VN": ("Giày thể thao", "Giày chạy bộ nhẹ")})`` lists an active
product through the real catalog services, so its index row comes from the same write path a
seller's edit takes.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from pasar.testing.catalog_factories import ProductHandle, tenant_context

_numbers = itertools.count(1)


def create_titled(
    app: Any, seller: Any, texts: Mapping[str, tuple[str, str]], *, price: str = "10", stock: int = 10,
    category_id: int | None = None, status: str = "active",
) -> ProductHandle:
    """An active product of ``seller`` with ``texts`` (locale → (title, description))."""
    from pasar.catalog import service

    tenant = tenant_context(app, seller.tenant)
    number = next(_numbers)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        product = service.create_product(
            session, tenant, seller.id, category_id=category_id,
            texts={locale: {"title": title, "description": body} for locale, (title, body) in texts.items()},
        )
        variant = service.add_variant(
            session, tenant, product, sku=f"D{tenant.id}-{number}", price=price, options={}, stock=stock
        )
        if status != "draft":
            service.update_product(session, tenant, product, status=status)
        session.commit()
        return ProductHandle(id=product.id, variant_ids=(variant.id,), seller=seller)


def create_category(app: Any, tenant_code: str, slug: str) -> int:
    """A category of ``tenant_code`` named ``slug`` in its default locale; returns its id."""
    from pasar.catalog import service

    tenant = tenant_context(app, tenant_code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        category = service.create_category(
            session, tenant, slug=f"{slug}-{next(_numbers)}", names={tenant.default_locale: slug.title()}
        )
        session.commit()
        return category.id


@pytest.fixture()
def make_titled(app: Any) -> Callable[..., ProductHandle]:
    """``make_titled(seller, {locale: (title, description)}, *, price="10", stock=10,
    category_id=None, status="active") -> ProductHandle``."""

    def make(seller: Any, texts: Mapping[str, tuple[str, str]], **options: Any) -> ProductHandle:
        return create_titled(app, seller, texts, **options)

    return make


@pytest.fixture()
def make_category(app: Any) -> Callable[[str, str], int]:
    """``make_category(tenant_code, slug) -> category id``."""
    return lambda tenant_code, slug: create_category(app, tenant_code, slug)
