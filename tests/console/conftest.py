"""Console tests: eager tasks (the outbox relay that calls lifecycle hooks) use the shared app,
and a pending shop can be given every document its plugin asks for."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pasar.sellers import service as sellers
from pasar.sellers.storage import DocumentStore, uploads_root
from pasar.testing.accounts_factories import tenant_context
from pasar.testing.sellers_factories import PNG_BYTES, SellerHandle


@pytest.fixture(autouse=True)
def _tasks_use_the_shared_app(app: Any) -> Iterator[None]:
    from celery._state import _set_task_join_will_block

    from pasar.worker import use_app

    use_app(app)
    yield
    _set_task_join_will_block(False)


def documents_for(app: Any) -> Callable[[SellerHandle], list[int]]:
    """Upload every KYC document a shop's tenant asks for, where the app keeps uploads."""

    def upload(shop: SellerHandle) -> list[int]:
        tenant = tenant_context(app, shop.tenant)
        store = DocumentStore(uploads_root(app.config["PASAR"]))
        with app.extensions["pasar.db"].session(tenant.id, write=True) as session:
            return [sellers.upload_document(session, tenant, shop.id, kind, f"{kind}.png",
                                            PNG_BYTES + kind.encode(), store).id
                    for kind in sellers.kyc_requirements(tenant).documents]

    return upload


@pytest.fixture()
def upload_documents(app: Any) -> Callable[[SellerHandle], list[int]]:
    return documents_for(app)
