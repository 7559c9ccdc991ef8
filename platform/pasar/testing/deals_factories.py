"""Factory fixtures for the deals domain's tests (and for tests of domains built on it).

``make_deal(product, price="6.00", quota=10, per_buyer_limit=2, kind="flash",
starts_in=timedelta(minutes=-1), lasts=timedelta(hours=1), live_session_id=None)`` creates a
deal on the product's first variant through the seller's real endpoint
(``POST /api/v1/seller/deals``) and answers its JSON; the window is relative to now.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest


def deal_body(variant_id: int, *, price: str = "6.00", quota: int = 10, per_buyer_limit: int = 2, kind: str = "flash",
              starts_in: timedelta = timedelta(minutes=-1), lasts: timedelta = timedelta(hours=1),
              live_session_id: int | None = None) -> dict[str, Any]:
    """A body for ``POST /api/v1/seller/deals`` with its window relative to now."""
    starts_at = datetime.now(UTC) + starts_in
    body: dict[str, Any] = {
        "variant_id": variant_id, "kind": kind, "price": price, "quota": quota, "per_buyer_limit": per_buyer_limit,
        "starts_at": starts_at.isoformat(), "ends_at": (starts_at + lasts).isoformat(),
    }
    if live_session_id is not None:
        body["live_session_id"] = live_session_id
    return body


@pytest.fixture()
def make_deal(app: Any) -> Callable[..., dict[str, Any]]:
    """``make_deal(product, **terms) -> deal JSON`` (a ``ProductHandle`` from ``make_product``)."""
    client = app.test_client()

    def make(product: Any, **terms: Any) -> dict[str, Any]:
        answer = client.post("/api/v1/seller/deals", json=deal_body(product.variant_id, **terms), headers=product.seller.headers)
        assert answer.status_code == 201, answer.json
        return dict(answer.json)

    return make
