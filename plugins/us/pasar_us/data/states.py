"""The US states (and DC) by USPS code, and how to read a state out of free text.

Addresses and tax contexts name a state either by its two-letter USPS code or by its name;
everything else in the plugin works on the code. The census regions group neighbouring states
for the carriers' ``regional`` zone. (Common reference data, not a regional tax fact.)
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

STATE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas",
        "CA": "California", "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware",
        "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii",
        "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
        "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
        "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
        "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
        "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
        "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
        "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
        "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
        "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
        "WY": "Wyoming",
    }
)  # fmt: skip

#: US Census Bureau regions. Alaska and Hawaii get a group of their own: they are in the West
#: region, but no parcel from California to Hawaii travels like one to Nevada.
_REGIONS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA"), "northeast"),
        **dict.fromkeys(
            ("IL", "IN", "MI", "OH", "WI", "IA", "KS", "MN", "MO", "NE", "ND", "SD"), "midwest"
        ),
        **dict.fromkeys(
            ("DE", "FL", "GA", "MD", "NC", "SC", "VA", "DC", "WV", "AL", "KY", "MS", "TN",
             "AR", "LA", "OK", "TX"),
            "south",
        ),
        **dict.fromkeys(
            ("AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY", "CA", "OR", "WA"), "west"
        ),
        "AK": "alaska",
        "HI": "hawaii",
    }
)  # fmt: skip

_BY_NAME: Mapping[str, str] = MappingProxyType(
    {name.casefold(): code for code, name in STATE_NAMES.items()}
)


def state_code(text: str | None) -> str | None:
    """The USPS code for ``"CA"``, ``"ca"``, ``"US-CA"`` or ``"California"``; ``None`` when the
    text names no state."""
    if not text:
        return None
    cleaned = " ".join(text.split())
    upper = cleaned.upper().removeprefix("US-")
    if upper in STATE_NAMES:
        return upper
    return _BY_NAME.get(cleaned.casefold())


def census_region(code: str) -> str:
    """The census region of a state code (``KeyError`` for an unknown code)."""
    return _REGIONS[code]
