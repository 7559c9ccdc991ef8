"""The refusals of cart checkout, each with the HTTP status and the field it is about."""
from __future__ import annotations

from typing import Any


class CheckoutError(Exception):
    """A checkout the marketplace refuses. ``errors`` maps each field at fault to messages
    (``shipping_address.region``, ``vouchers``, ``lines.12``, ``payment_method``); ``status``
    is the HTTP status the API answers with; ``extra`` goes into the problem as is."""

    status = 422

    def __init__(self, message: str, field: str | None = None, *, errors: dict[str, list[str]] | None = None,
                 status: int | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.errors = dict(errors or ({field: [message]} if field else {}))
        if status is not None:
            self.status = status
        self.extra = extra


class InvalidCheckout(CheckoutError):
    """Well-formed input the checkout cannot accept (422)."""


class OutOfStock(CheckoutError):
    """A line's quantity could not be reserved (409)."""

    status = 409


class NotFound(CheckoutError):
    """No such checkout or voucher here (404): another buyer's or tenant's is not found either."""

    status = 404


class Conflict(CheckoutError):
    """The input clashes with what is stored, e.g. a voucher code taken (409)."""

    status = 409
