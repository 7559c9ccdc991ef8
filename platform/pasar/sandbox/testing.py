"""In-memory stand-ins for what the kernel hands a sandbox provider, for tests.

``memory_context()`` gives a ``ProviderContext`` whose store is a dict, whose clock a test
moves by hand and whose ``send`` records webhooks instead of queueing them, so a plugin's tests
(and the conformance suite) drive a sandbox without a database, a worker or real time.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pasar.contracts import OutgoingWebhook, ProviderContext

#: A fixed, ordinary moment, so tests that print times are reproducible.
DEFAULT_NOW = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)


class MemoryStore:
    """A ``KeyValueStore`` in a dict. Values are deep-copied in and out, as a database
    would, so a provider that forgets to ``put`` a change is caught by its tests."""

    def __init__(self) -> None:
        self.data: dict[str, dict[str, Any]] = {}

    def get(self, key: str) -> dict[str, Any] | None:
        value = self.data.get(key)
        return copy.deepcopy(value) if value is not None else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        json.dumps(value)  # a real store holds JSON: refuse what it could not hold
        self.data[key] = copy.deepcopy(value)

    def put_many(self, records: Mapping[str, dict[str, Any]]) -> None:
        """Several records at once, created or replaced (the database store: one upsert)."""
        for value in records.values():
            json.dumps(value)
        for key, value in records.items():
            self.data[key] = copy.deepcopy(value)

    def add(self, records: Mapping[str, dict[str, Any]]) -> bool:
        """Records whose keys must be new: all stored, or none and ``False`` if a key is taken."""
        if any(key in self.data for key in records):
            return False
        self.put_many(records)
        return True


class FakeClock:
    """A clock a test sets and advances; always an aware UTC datetime."""

    def __init__(self, now: datetime | None = None) -> None:
        start = now or DEFAULT_NOW
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now


class WebhookRecorder:
    """A ``send`` callable that keeps every webhook a provider emits, in order."""

    def __init__(self) -> None:
        self.sent: list[OutgoingWebhook] = []

    def __call__(self, webhook: OutgoingWebhook) -> None:
        self.sent.append(webhook)

    def bodies(self) -> list[dict[str, Any]]:
        """Every webhook body, parsed."""
        return [json.loads(webhook.body) for webhook in self.sent]

    def types(self) -> list[str]:
        """The event types in the order they were sent."""
        return [body["type"] for body in self.bodies()]

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        """The parsed bodies of the webhooks of one type, e.g. ``"payment.captured"``."""
        return [body for body in self.bodies() if body["type"] == event_type]

    def last(self) -> OutgoingWebhook:
        """The most recent webhook (``IndexError`` if none was sent)."""
        return self.sent[-1]

    def clear(self) -> None:
        self.sent.clear()


def memory_context(
    tenant: str = "test",
    *,
    secret: bytes = b"sandbox-secret",
    base_url: str = "http://test.localhost:5000",
    now: datetime | None = None,
) -> tuple[ProviderContext, WebhookRecorder, FakeClock]:
    """A ``ProviderContext`` backed by memory, with its webhook recorder and clock."""
    recorder = WebhookRecorder()
    clock = FakeClock(now)
    context = ProviderContext(
        tenant=tenant,
        secret=secret,
        base_url=base_url,
        store=MemoryStore(),
        send=recorder,
        clock=clock,
    )
    return context, recorder, clock
