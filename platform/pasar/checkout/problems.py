"""Problem answers (RFC 9457) as plain dicts, so a refusal can be stored with its
Idempotency-Key and replayed exactly like a success."""
from __future__ import annotations

from typing import Any

from werkzeug.http import HTTP_STATUS_CODES

from pasar.checkout.errors import CheckoutError


def problem_body(status: int, detail: str, errors: dict[str, list[str]] | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def from_error(error: CheckoutError) -> dict[str, Any]:
    return problem_body(error.status, error.message, error.errors, **error.extra)
