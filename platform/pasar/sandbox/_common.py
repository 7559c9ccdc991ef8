"""What every sandbox provider shares: its records in the store and its signed events.

A sandbox keeps all of its state in ``ProviderContext.store`` because the web process and the
Celery worker each build their own provider object: state in an instance attribute would be
invisible to the other process. Records are JSON-able dicts; amounts are decimal strings and
times ISO-8601 UTC strings, exactly as they would sit in a real provider's database.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from uuid import uuid4

from pasar.contracts import OutgoingWebhook, ProviderContext, WebhookError
from pasar.sandbox import signing

Endpoint = Literal["payments", "payouts", "shipping"]


class Records:
    """A namespace of one provider's records inside the shared key-value store.

    Besides the protocol's ``get``/``put`` it uses the store's ``put_many`` and ``add`` when the
    store has them (the kernel's database store and ``testing.MemoryStore`` do), so one change
    to several records is one write; with a bare ``get``/``put`` store it falls back to those.
    """

    def __init__(self, context: ProviderContext, namespace: str) -> None:
        self._store = context.store
        self._prefix = f"sandbox:{context.tenant}:{namespace}"

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        return self._store.get(self._key(kind, key))

    def load(self, kind: str, key: str) -> dict[str, Any]:
        """The record, or ``KeyError`` naming what is unknown (as a real API answers 404)."""
        record = self.get(kind, key)
        if record is None:
            raise KeyError(f"unknown {kind} {key!r}")
        return record

    def put(self, kind: str, key: str, value: dict[str, Any]) -> None:
        self._store.put(self._key(kind, key), value)

    def put_many(self, records: Mapping[tuple[str, str], dict[str, Any]]) -> None:
        """Store several records of one change together, as a provider writes one change in
        one transaction (the kernel's store: one statement)."""
        keyed = {self._key(kind, key): value for (kind, key), value in records.items()}
        put_many = getattr(self._store, "put_many", None)
        if put_many is not None:
            put_many(keyed)
            return
        for full_key, value in keyed.items():
            self._store.put(full_key, value)

    def add(self, records: Mapping[tuple[str, str], dict[str, Any]]) -> bool:
        """Store records that must be new — all of them, or none and ``False`` when one of
        the keys is taken. A new payment and its idempotency key go in together this way, so
        two requests with the same key can never both create a payment."""
        keyed = {self._key(kind, key): value for (kind, key), value in records.items()}
        add = getattr(self._store, "add", None)
        if add is not None:
            return bool(add(keyed))
        # A plain ``KeyValueStore`` (get/put only): check, then write.
        if any(self._store.get(full_key) is not None for full_key in keyed):
            return False
        for full_key, value in keyed.items():
            self._store.put(full_key, value)
        return True

    def _key(self, kind: str, key: str) -> str:
        return f"{self._prefix}:{kind}:{key}"


@dataclass(frozen=True)
class Envelope:
    """A verified event body: ``{"id", "type", "created", "data"}``."""

    event_id: str
    type: str
    created: datetime
    data: Mapping[str, Any]


def new_event_id() -> str:
    return f"evt_{uuid4().hex}"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def parse_iso(text: str) -> datetime:
    """An aware datetime from ISO-8601 text; naive times are refused, not guessed."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no UTC offset")
    return moment


def decimal_text(amount: Decimal) -> str:
    """A plain decimal string (never exponent notation such as ``1E+3``)."""
    return format(amount, "f")


def encode(payload: Mapping[str, Any]) -> bytes:
    """Compact, key-sorted UTF-8 JSON: the same payload always gives the same bytes."""
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.encode("utf-8")


def emit(
    context: ProviderContext,
    *,
    endpoint: Endpoint,
    provider: str,
    type: str,
    data: Mapping[str, Any],
    event_id: str | None = None,
) -> str:
    """Sign an event and hand it to ``context.send``; returns the event id."""
    event_id = event_id or new_event_id()
    now = context.clock()
    body = encode({"id": event_id, "type": type, "created": iso(now), "data": dict(data)})
    headers = signing.signed_headers(context.secret, body, event_id, now)
    context.send(OutgoingWebhook(endpoint=endpoint, provider=provider, headers=headers, body=body))
    return event_id


def read_event(context: ProviderContext, headers: Mapping[str, str], body: bytes) -> Envelope:
    """Verify the signature, then parse the body; anything wrong is a ``WebhookError``."""
    signing.verify(context.secret, headers, body, context.clock())
    payload = _json_object(body)
    envelope = Envelope(
        event_id=_text(payload, "id"),
        type=_text(payload, "type"),
        created=_time(payload, "created"),
        data=_object(payload, "data"),
    )
    _check_event_header(headers, envelope.event_id)
    return envelope


def field_text(data: Mapping[str, Any], name: str) -> str:
    return _text(data, name, where="data.")


def field_decimal(data: Mapping[str, Any], name: str) -> Decimal | None:
    """A decimal-string field of an event's data; ``None`` stays ``None``."""
    value = data.get(name)
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise WebhookError(f"webhook field data.{name} is not a decimal: {value!r}") from exc


def field_time(data: Mapping[str, Any], name: str) -> datetime:
    return _time(data, name, where="data.")


def _json_object(body: bytes) -> Mapping[str, Any]:
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WebhookError(f"webhook body is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise WebhookError("webhook body is not a JSON object")
    return payload


def _text(payload: Mapping[str, Any], name: str, where: str = "") -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not value:
        raise WebhookError(f"webhook field {where}{name} is missing or not a string")
    return value


def _object(payload: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = payload.get(name)
    if not isinstance(value, dict):
        raise WebhookError(f"webhook field {name} is missing or not an object")
    return value


def _time(payload: Mapping[str, Any], name: str, where: str = "") -> datetime:
    text = _text(payload, name, where)
    try:
        return parse_iso(text)
    except ValueError as exc:
        raise WebhookError(f"webhook field {where}{name} is not an ISO-8601 UTC time") from exc


def _check_event_header(headers: Mapping[str, str], event_id: str) -> None:
    """The event-id header is unsigned, so it may only repeat the signed body's id."""
    announced = signing.header(headers, signing.EVENT_ID_HEADER)
    if announced is not None and announced != event_id:
        raise WebhookError(
            f"{signing.EVENT_ID_HEADER} {announced!r} does not match the body's id {event_id!r}"
        )
