"""Marking user-facing English strings for this plugin's gettext catalog.

The plugin never translates anything itself: hooks answer in English and the kernel translates
with the catalogs ``pasar_locale_dirs`` points to, in the buyer's or seller's locale. ``N_``
only marks a string so ``pybabel extract -k N_`` finds it and a test can check every marked
string has a translation in every language the plugin ships.
"""
from __future__ import annotations

from pathlib import Path

#: Languages the plugin ships catalogs for (English is the source language).
LANGUAGES: tuple[str, ...] = ("id", "ms", "th", "vi", "fil")

LOCALE_DIR = Path(__file__).resolve().parent / "locales"


def N_(message: str) -> str:
    """Return ``message`` unchanged; the marker is for the catalog extractor."""
    return message
