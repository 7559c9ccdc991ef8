"""Why an item is in the feed, in the reader's language.

The ranker answers each item's reason as English text — the contract's
``RankedItem.explanation``, which a plugin's ranker may fill with its own words. The kernel's
texts (``pasar.discovery.ranking.EXPLANATIONS``) are known here by their code; for those the
feed answers the code, the names that make it concrete (``{"creator": "Sari"}``) and the text
rendered through gettext in the buyer's locale: "Because you watched Sari". A plugin's own words
have no code and are shown as they came (a plugin translates its texts itself).

``describe`` is plain Python (the service uses it); ``render`` needs Flask-Babel's request
locale (the API and the storefront use it).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from flask_babel import gettext

from pasar.contracts import FeedCandidate
from pasar.discovery.ranking import EXPLANATIONS

#: The kernel's English explanation → its code.
CODES: Mapping[str, str] = MappingProxyType({text: code for code, text in EXPLANATIONS.items()})


@dataclass(frozen=True)
class Reason:
    """An explanation as data: ``code`` None for a plugin's own words (then ``text`` is them)."""

    code: str | None
    text: str  # the ranker's English (the fallback)
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Names:
    """Display names the explanations may use, looked up by id."""

    category: Callable[[int], str | None]
    seller: Callable[[int], str | None]
    creator: Callable[[int], str | None]


def describe(explanation: str, candidate: FeedCandidate, names: Names) -> Reason:
    """The ranker's explanation of ``candidate`` with its code and names."""
    code = CODES.get(explanation)
    params: dict[str, str] = {}
    name: str | None = None
    if code == "category" and candidate.category_id is not None:
        name = names.category(candidate.category_id)
    elif code == "seller" and candidate.seller_id is not None:
        name = names.seller(candidate.seller_id)
    elif code == "creator" and candidate.creator_id is not None:
        name = names.creator(candidate.creator_id)
    if name:
        params[code] = name  # type: ignore[index]
    return Reason(code, explanation, MappingProxyType(params))


_NAMED: Mapping[str, Callable[[Mapping[str, str]], str]] = {
    "category": lambda p: gettext("Because you like %(category)s", category=p["category"]),
    "seller": lambda p: gettext("Because you like %(seller)s", seller=p["seller"]),
    "creator": lambda p: gettext("Because you watched %(creator)s", creator=p["creator"]),
}
_PLAIN: Mapping[str, Callable[[], str]] = {
    "category": lambda: gettext("Because you like this category"),
    "seller": lambda: gettext("Because you like this shop"),
    "creator": lambda: gettext("Because you watched this creator"),
    "popularity": lambda: gettext("Popular right now"),
    "freshness": lambda: gettext("New arrival"),
    "live": lambda: gettext("Live now"),
    "sponsored": lambda: gettext("Sponsored"),
}


def render(reason: Reason) -> str:
    """The explanation in the request's locale (a plugin's words unchanged)."""
    if reason.code is None:
        return reason.text
    if reason.code in reason.params and reason.code in _NAMED:
        return _NAMED[reason.code](reason.params)
    plain = _PLAIN.get(reason.code)
    return plain() if plain is not None else reason.text
