"""The sandbox providers' own database (``pasar.providers.DatabaseStore``): each call is one
statement, a new payment and its idempotency key go in together or not at all, and a tenant's
provider records are its own."""
from __future__ import annotations

import uuid
from typing import Any

from pasar.providers import DatabaseStore
from pasar.testing.accounts_factories import tenant_context

def store_of(app: Any, tenant: str) -> DatabaseStore:
    return DatabaseStore(app.extensions["pasar.db"], tenant_context(app, tenant).id)


def test_new_records_are_added_in_one_statement_all_or_none(app: Any, statements: Any) -> None:
    store, key = store_of(app, "uk"), f"test:{uuid.uuid4().hex}"
    with statements() as seen:
        assert store.add({f"{key}:payment": {"n": 1}, f"{key}:payment-key": {"n": 2}}) is True
    assert len(seen) == 1

    assert store.add({f"{key}:other": {"n": 3}, f"{key}:payment-key": {"n": 9}}) is False  # the key is taken
    assert store.get(f"{key}:other") is None
    assert store.get(f"{key}:payment-key") == {"n": 2}


def test_records_are_created_or_replaced_in_one_statement(app: Any, statements: Any) -> None:
    store, key = store_of(app, "uk"), f"test:{uuid.uuid4().hex}"
    store.put(f"{key}:a", {"n": 1})
    with statements() as seen:
        store.put_many({f"{key}:a": {"n": 2}, f"{key}:b": {"n": 3}})
    assert len(seen) == 1
    with statements() as seen:
        store.put(f"{key}:b", {"n": 4})
    assert len(seen) == 1
    assert (store.get(f"{key}:a"), store.get(f"{key}:b")) == ({"n": 2}, {"n": 4})


def test_a_tenants_provider_records_are_its_own(app: Any) -> None:
    key = f"test:{uuid.uuid4().hex}"
    store_of(app, "uk").put(key, {"owner": "uk"})
    assert store_of(app, "de").get(key) is None
    assert store_of(app, "de").add({key: {"owner": "de"}}) is True  # the same key in another tenant
    assert store_of(app, "uk").get(key) == {"owner": "uk"}
