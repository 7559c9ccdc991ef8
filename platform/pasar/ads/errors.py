"""The ads domain's refusals; each names the input it is about so the API can say where."""
from __future__ import annotations

from collections.abc import Mapping, Sequence


class AdsError(Exception):
    """Something the ads domain refuses; ``field`` names the input at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field

    @property
    def errors(self) -> dict[str, list[str]]:
        """Field → messages, as the API's problem ``errors`` member."""
        return {self.field: [self.message]} if self.field else {}


class AdsNotFound(AdsError, LookupError):
    """No such campaign, Spark code or click token here (another seller's or tenant's is not
    found either: 404, never 403)."""


class InvalidAds(AdsError, ValueError):
    """Well-formed input a campaign, code or top-up cannot have (422); may name several fields."""

    def __init__(self, message: str, field: str | None = None, *,
                 errors: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(message, field)
        self._errors = {key: list(value) for key, value in (errors or {}).items()}

    @property
    def errors(self) -> dict[str, list[str]]:
        return self._errors or super().errors


class AdsConflict(AdsError):
    """The request clashes with the stored state: an ended campaign, a reused key (409)."""


class NotEnoughFunds(AdsError):
    """A top-up asked for more than the seller's available earnings (422 on ``amount``)."""


class Problems:
    """Collects every field's problem so one answer lists them all, not only the first."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.found.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.found

    def raise_any(self) -> None:
        if self.found:
            first = next(iter(self.found))
            raise InvalidAds(f"{first}: {self.found[first][0]}", first, errors=self.found)
