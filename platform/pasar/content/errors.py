"""The content domain's refusals; each names the input it is about so the API can say where."""
from __future__ import annotations


class ContentError(Exception):
    """Something the content domain refuses; ``field`` names the input at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field

    @property
    def errors(self) -> dict[str, list[str]]:
        return {self.field: [self.message]} if self.field else {}


class ContentNotFound(ContentError, LookupError):
    """No such video or live session here (another tenant's or host's is not found either)."""


class InvalidContent(ContentError, ValueError):
    """Bad input for ``field``: an unknown product, too many anchors, a missing comment text."""


class WrongState(ContentError):
    """The object exists but is not in a state that allows this (a comment in an ended live)."""
