"""Signed webhooks: how a sandbox provider proves a notification came from it.

The scheme is the one most real providers use (Stripe, Adyen, Xendit differ only in names): an
HMAC-SHA256 over ``"<unix timestamp>." + body`` with the tenant's webhook secret, sent as
``Pasar-Signature: t=<timestamp>,v1=<hex digest>``. The timestamp inside the signed text stops
replays: a captured request is refused once it is older than ``TOLERANCE``, and a timestamp
from the future (a skewed or forged clock) is refused just the same.
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timedelta

from pasar.contracts import WebhookError

SIGNATURE_HEADER = "Pasar-Signature"
EVENT_ID_HEADER = "Pasar-Event-Id"
TOLERANCE = timedelta(minutes=5)

_SCHEME = "v1"


def sign(secret: bytes, body: bytes, timestamp: int) -> str:
    """The ``Pasar-Signature`` value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    return f"t={timestamp},{_SCHEME}={_digest(secret, body, timestamp)}"


def signed_headers(secret: bytes, body: bytes, event_id: str, now: datetime) -> dict[str, str]:
    """The HTTP headers a provider sends with a webhook body it emits at ``now``."""
    return {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(secret, body, int(now.timestamp())),
        EVENT_ID_HEADER: event_id,
    }


def verify(
    secret: bytes,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime,
    tolerance: timedelta = TOLERANCE,
) -> None:
    """Accept a webhook only if it is signed with ``secret`` and was sent close to ``now``.

    Raises:
        WebhookError: the signature header is missing or malformed, no signature matches the
            body, or the signed timestamp is older or further in the future than ``tolerance``.
    """
    value = header(headers, SIGNATURE_HEADER)
    if value is None:
        raise WebhookError(f"missing {SIGNATURE_HEADER} header")
    timestamp, signatures = _parse(value)
    expected = _digest(secret, body, timestamp)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise WebhookError("webhook signature does not match the body")
    _check_age(timestamp, now, tolerance)


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value looked up case-insensitively, as HTTP requires."""
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def _digest(secret: bytes, body: bytes, timestamp: int) -> str:
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def _parse(value: str) -> tuple[int, list[str]]:
    """Split ``t=..,v1=..[,v1=..]``; several ``v1`` entries allow secret rotation."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in value.split(","):
        key, sep, item = part.strip().partition("=")
        if not sep or not item:
            raise WebhookError(f"malformed {SIGNATURE_HEADER} header: {part.strip()!r}")
        if key == "t":
            timestamp = _parse_timestamp(item)
        elif key == _SCHEME:
            signatures.append(item)
    if timestamp is None:
        raise WebhookError(f"malformed {SIGNATURE_HEADER} header: no timestamp (t=)")
    if not signatures:
        raise WebhookError(f"malformed {SIGNATURE_HEADER} header: no {_SCHEME}= signature")
    return timestamp, signatures


def _parse_timestamp(item: str) -> int:
    if not item.isdigit():
        raise WebhookError(f"malformed {SIGNATURE_HEADER} header: timestamp {item!r}")
    return int(item)


def _check_age(timestamp: int, now: datetime, tolerance: timedelta) -> None:
    skew = now.timestamp() - timestamp
    if skew > tolerance.total_seconds():
        raise WebhookError(f"webhook timestamp is too old ({int(skew)} s, tolerance {tolerance})")
    if -skew > tolerance.total_seconds():
        raise WebhookError(
            f"webhook timestamp is in the future ({int(-skew)} s, tolerance {tolerance})"
        )
