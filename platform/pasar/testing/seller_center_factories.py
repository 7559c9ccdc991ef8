"""Factory fixtures for the seller center's tests (and the browser tests that drive it).

    def test_orders_page(make_seller, seller_web):
        shop = make_seller("uk")
        browser = seller_web(shop)            # signed in on /t/uk/ as the shop's owner
        assert browser.get("/seller/orders").status_code == 200

``seller_web`` signs in through the real sign-in page, so the browser carries the cookie and
the CSRF token a person's browser would.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pasar.accounts.service import get_user
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.pages_factories import MakeWebClient, WebClient

SellerWeb = Callable[[Any], WebClient]


def email_of(app: Any, tenant_code: str, user_id: int) -> str:
    """The sign-in email of a user of ``tenant_code`` (factories hand out ids, not emails)."""
    tenant = tenant_context(app, tenant_code)
    with app.extensions["pasar.db"].session(tenant.id) as session:
        return get_user(session, user_id).email


@pytest.fixture()
def seller_web(app: Any, web: MakeWebClient) -> SellerWeb:
    """``seller_web(seller_handle) -> WebClient`` signed in as the shop's owner."""

    def make(seller: Any) -> WebClient:
        browser = web(seller.tenant)
        browser.sign_in(email_of(app, seller.tenant, seller.user_id))
        return browser

    return make
