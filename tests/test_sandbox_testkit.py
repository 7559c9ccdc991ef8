"""The in-memory context plugin tests drive sandboxes with."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from pasar.contracts import OutgoingWebhook
from pasar.sandbox.testing import FakeClock, MemoryStore, WebhookRecorder, memory_context


def test_memory_store_copies_values_in_and_out() -> None:
    store = MemoryStore()
    value = {"items": [1]}
    store.put("k", value)
    value["items"].append(2)
    fetched = store.get("k")
    assert fetched == {"items": [1]}
    fetched["items"].append(3)

    assert store.get("k") == {"items": [1]}
    assert store.get("missing") is None


def test_memory_store_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(TypeError):
        MemoryStore().put("k", {"amount": Decimal(1)})


def test_memory_store_adds_new_records_all_or_none() -> None:
    store = MemoryStore()
    assert store.add({"a": {"n": 1}, "b": {"n": 2}}) is True

    assert store.add({"c": {"n": 3}, "b": {"n": 9}}) is False  # "b" is taken: nothing is stored
    assert (store.get("b"), store.get("c")) == ({"n": 2}, None)


def test_memory_store_puts_many_records_at_once() -> None:
    store = MemoryStore()
    store.put("a", {"n": 1})

    store.put_many({"a": {"n": 2}, "b": {"n": 3}})

    assert (store.get("a"), store.get("b")) == ({"n": 2}, {"n": 3})
    with pytest.raises(TypeError):
        store.put_many({"c": {"n": 4}, "d": {"amount": Decimal(1)}})
    assert store.get("c") is None


def test_fake_clock_is_aware_utc_and_advances_by_hand() -> None:
    clock = FakeClock(datetime(2025, 6, 1, 8, 0, tzinfo=UTC))

    assert clock() == datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
    assert clock.advance(timedelta(minutes=90)) == datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
    assert clock().tzinfo is UTC


def test_fake_clock_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2025, 6, 1, 8, 0))


def test_webhook_recorder_parses_bodies_by_type() -> None:
    recorder = WebhookRecorder()
    for body in (b'{"type":"a","n":1}', b'{"type":"b","n":2}', b'{"type":"a","n":3}'):
        recorder(OutgoingWebhook(endpoint="payments", provider="m", headers={}, body=body))

    assert [body["n"] for body in recorder.of_type("a")] == [1, 3]
    assert recorder.types() == ["a", "b", "a"]
    assert recorder.last().body == b'{"type":"a","n":3}'


def test_memory_context_wires_store_recorder_and_clock() -> None:
    start = datetime(2025, 2, 1, tzinfo=UTC)
    context, recorder, clock = memory_context("uk", secret=b"s", now=start)

    assert (context.tenant, context.secret, context.base_url) == (
        "uk", b"s", "http://test.localhost:5000"
    )
    assert context.clock is clock and context.send is recorder
    assert context.clock() == start
    assert isinstance(context.store, MemoryStore)
