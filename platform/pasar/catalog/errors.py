"""The catalog's refusals. Each names the input it is about (``field``), so the API can put
the message next to the field: ``texts.de_DE.title``, ``price``, ``sku``."""
from __future__ import annotations


class CatalogError(Exception):
    """Something the catalog refuses; ``field`` names the input it is about, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


class CatalogNotFound(CatalogError, LookupError):
    """No such object here (another tenant's or another seller's is not found either)."""


class InvalidCatalogInput(CatalogError, ValueError):
    """Bad input for ``field``."""


class CatalogConflict(CatalogError):
    """The input is well-formed but clashes with what is stored (a taken SKU or slug)."""
