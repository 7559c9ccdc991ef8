"""Marking user-facing strings for the plugin's gettext catalog.

The plugin answers in English; the kernel translates through the catalogs that
``pasar_locale_dirs`` points at. ``N_`` only marks a string so ``pybabel extract -k N_`` finds
it: translating at import time would freeze the language of whoever imported the module first.
"""
from __future__ import annotations

from pathlib import Path

#: Where ``<lang>/LC_MESSAGES/messages.mo`` live (domain ``messages``).
LOCALE_DIR = Path(__file__).resolve().parent / "locales"


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Return ``message`` unchanged; it is a marker for the extractor."""
    return message
