"""Pasar: a regional, multi-tenant social-commerce marketplace kernel.

Plugin authors need only ``from pasar import hookimpl``; operators and tests use
``pasar.create_app``. Importing ``pasar`` stays cheap: the web application is imported lazily.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pasar.hookspecs import hookimpl

if TYPE_CHECKING:  # pragma: no cover
    from pasar.app import create_app

__all__ = ["hookimpl", "create_app", "__version__"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from pasar.app import create_app

        return create_app
    raise AttributeError(name)
