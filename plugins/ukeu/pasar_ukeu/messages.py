"""Marking the plugin's user-facing English strings for its gettext catalogs.

The plugin answers in English and never translates by itself: the kernel translates with the
catalogs ``pasar_locale_dirs`` points to, in the buyer's or seller's locale. ``N_`` only marks
a string so ``pybabel extract -k N_`` finds it, and a test checks that every marked string has
a translation in every language listed here.
"""
from __future__ import annotations

from pathlib import Path

#: Languages the plugin ships catalogs for. English is the source language, so en_GB and
#: en_IE need no catalog.
LANGUAGES: tuple[str, ...] = ("de", "fr", "es", "it", "nl")

LOCALE_DIR = Path(__file__).resolve().parent / "locales"


def N_(message: str) -> str:
    """Return ``message`` unchanged; the marker exists for the catalog extractor."""
    return message
