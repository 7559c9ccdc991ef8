"""The refusals of the deals domain, each naming the field (or cart line) it is about."""
from __future__ import annotations


class DealError(Exception):
    """Something the deals domain refuses; ``field`` names the input at fault, if any."""

    def __init__(self, message: str, field: str | None = None, *, deal_id: int | None = None) -> None:
        super().__init__(message)
        self.message, self.field, self.deal_id = message, field, deal_id


class DealNotFound(DealError, LookupError):
    """No such deal (or variant) for this seller: another seller's answers the same (404)."""


class InvalidDeal(DealError, ValueError):
    """Well-formed input a deal cannot have (422)."""


class DealConflict(DealError):
    """The deal clashes with the state of things: not enough stock to hold, already ended (409)."""


class DealSoldOut(DealError):
    """The deal's quota is gone (or the deal just ended): its price is no longer to be had (409)."""


class DealLimitReached(DealError):
    """The buyer would pass the deal's per-buyer limit (429)."""
