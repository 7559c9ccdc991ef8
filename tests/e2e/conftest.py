"""End-to-end journeys run on an app of their own: a payout batch pays everyone owed in a
tenant, so other tests' balances must not be in these books."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pasar.testing.fulfilment_factories import Journey


@pytest.fixture(scope="module")
def e2e_app(make_app: Callable[..., Any]) -> Any:
    return make_app()


@pytest.fixture()
def journey(e2e_app: Any) -> Journey:
    from pasar.worker import use_app

    use_app(e2e_app)  # eager tasks and sandbox webhooks reach this app
    return Journey(e2e_app)
