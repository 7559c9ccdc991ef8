"""Text normalisation shared by the index and the queries.

Both sides go through the same functions, so a buyer typing ``giay`` finds ``Giày`` and one
typing ``Giày`` finds it too. Only the Latin combining diacritics (U+0300–U+036F: Vietnamese
tones, the horn of ``ơ``/``ư``, French and German accents) are removed: Thai vowel and tone
marks are combining characters as well, but removing them would merge different Thai words.
"""
from __future__ import annotations

import unicodedata

#: Letters that carry their "accent" in the base letter, so NFD does not split them.
_BASE_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss"})


def plain(text: str) -> str:
    """Case-folded, NFC-normalised, whitespace collapsed: how titles are compared as typed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def fold(text: str) -> str:
    """``plain`` without Latin diacritics: ``"Giày Thể Thao"`` → ``"giay the thao"``."""
    decomposed = unicodedata.normalize("NFD", plain(text).translate(_BASE_FOLDS))
    kept = "".join(ch for ch in decomposed if not 0x300 <= ord(ch) <= 0x36F)
    return unicodedata.normalize("NFC", kept)


def terms(query: str) -> list[str]:
    """The folded, distinct words of a query, longest first (the most selective)."""
    words = dict.fromkeys(fold(query).split())
    return sorted(words, key=len, reverse=True)
