"""VAT rates of the UK and the six EU markets and how the kernel's tax categories map onto them
(REGIONS §2a: GB [S46][S47]; EU rates [S53][S54]; inclusive display [S55]).

Every country lists its rate bands, each with dated periods (``valid_to`` inclusive). REGIONS
vouches for the rates of 2025-26, so each band's period starts on 2025-01-01 and stays open
until a change is announced; a date no period covers is answered with the band's statutory
rate, which for these countries is the same figure (REGIONS records no earlier or later rate).
A rate change is a new ``RatePeriod``, not a code change.

Mapping principle: a category gets a reduced rate only where REGIONS names that category for
it; everything else pays the standard rate. So ``clothing``, ``luxury`` and ``digital`` (digital
goods in general: e-books are reduced in several states but they are ``books``) are standard
everywhere. Bands no kernel category reaches (e.g. the UK's 5% for children's car seats and
sanitary products) are still listed so the table shows each country's full rate structure.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from pasar.contracts import TAX_CATEGORIES

#: The first day of the period whose rates REGIONS.md verified ("2025-26").
VERIFIED_FROM = date(2025, 1, 1)


@dataclass(frozen=True)
class RatePeriod:
    """A rate in force from ``valid_from`` to ``valid_to`` (both inclusive; ``None`` = open)."""

    rate: Decimal
    valid_from: date | None = None
    valid_to: date | None = None

    def covers(self, on: date) -> bool:
        starts = self.valid_from is None or self.valid_from <= on
        return starts and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class VatBand:
    """One rate band of a country: its local name, its dated rates and the statutory fallback."""

    label: str  # the band's name as the country's tax office writes it
    periods: tuple[RatePeriod, ...]
    statutory: Decimal  # the rate the law gives when no dated period covers a date

    def rate_on(self, on: date) -> tuple[Decimal, bool]:
        """The rate on ``on`` and whether a dated period (rather than the fallback) gave it."""
        period = next((p for p in self.periods if p.covers(on)), None)
        return (period.rate, True) if period else (self.statutory, False)


@dataclass(frozen=True)
class CategoryRate:
    """Which band a kernel category falls in, and what the operator should know about it."""

    band: str
    note: str = ""  # shown in the rule, e.g. "unverified" or "not catering"


@dataclass(frozen=True)
class CountryVat:
    country: str
    tax_name: str  # e.g. "DE USt", shown at the start of every rule
    bands: Mapping[str, VatBand]
    categories: Mapping[str, CategoryRate]
    source: tuple[str, ...]

    def __post_init__(self) -> None:
        missing = set(TAX_CATEGORIES) - set(self.categories)
        unknown = {rate.band for rate in self.categories.values()} - set(self.bands)
        if missing or unknown:
            raise ValueError(f"{self.country}: categories {missing} unmapped, bands {unknown}")


def _band(label: str, percent: str) -> VatBand:
    """A band whose verified 2025-26 rate is also its statutory rate."""
    rate = Decimal(percent) / 100
    return VatBand(label, (RatePeriod(rate, VERIFIED_FROM, None),), statutory=rate)


def _categories(**reduced: CategoryRate) -> Mapping[str, CategoryRate]:
    """Every kernel category on the standard band except the ``reduced`` ones named."""
    mapping = {category: CategoryRate("standard") for category in TAX_CATEGORIES}
    mapping.update(reduced)
    return MappingProxyType(mapping)


GB = CountryVat(
    country="GB",
    tax_name="UK VAT",
    bands=MappingProxyType(
        {
            "standard": _band("standard rate", "20"),
            # 5%: children's car seats, domestic fuel and energy, women's sanitary products;
            # no kernel category covers those goods.
            "reduced": _band("reduced rate", "5"),
            "zero": _band("zero rate", "0"),
        }
    ),
    categories=_categories(
        books=CategoryRate("zero", "incl. newspapers and e-publications"),
        food=CategoryRate("zero", "most food; not catering or hot takeaway"),
        childrens_clothing=CategoryRate("zero", "young children's, incl. footwear"),
        # REGIONS names no UK relief for medicines: the standard rate applies.
    ),
    source=("S46", "S47"),
)

DE = CountryVat(
    country="DE",
    tax_name="DE USt",
    bands=MappingProxyType(
        {"standard": _band("Regelsatz", "19"), "reduced": _band("ermäßigt", "7")}
    ),
    categories=_categories(
        food=CategoryRate("reduced", "most food"),
        books=CategoryRate("reduced", "incl. e-books and newspapers"),
    ),
    source=("S53", "S54"),
)

FR = CountryVat(
    country="FR",
    tax_name="FR TVA",
    bands=MappingProxyType(
        {
            "standard": _band("taux normal", "20"),
            "intermediate": _band("taux intermédiaire", "10"),  # some food, restaurants
            "reduced": _band("taux réduit", "5.5"),
            # 2.1%: the press and *some* medicines (those reimbursed by social security).
            "particular": _band("taux particulier", "2.1"),
        }
    ),
    categories=_categories(
        food=CategoryRate("reduced", "most food"),
        books=CategoryRate("reduced"),
        # `medicine` stays on the standard rate on purpose: REGIONS gives 2.1% for "some
        # medicines" only, and the kernel category cannot tell those apart from the rest.
        # Mapping every medicine to 2.1% would under-declare VAT on all the others; a finer
        # kernel category (reimbursable medicine) is needed before 2.1% can be used.
    ),
    source=("S53", "S54"),
)

ES = CountryVat(
    country="ES",
    tax_name="ES IVA",
    bands=MappingProxyType(
        {
            "standard": _band("tipo general", "21"),
            "reduced": _band("tipo reducido", "10"),  # food, other
            "super_reduced": _band("tipo superreducido", "4"),  # books, basic foodstuffs
        }
    ),
    categories=_categories(
        # REGIONS: 10% for food in general, 4% for *basic* foodstuffs (bread, milk, ...).
        # The kernel's `food` is food in general, so it takes the 10% band.
        food=CategoryRate("reduced", "food other than basic foodstuffs"),
        books=CategoryRate("super_reduced"),
    ),
    source=("S53", "S54"),
)

IT = CountryVat(
    country="IT",
    tax_name="IT IVA",
    bands=MappingProxyType(
        {
            "standard": _band("aliquota ordinaria", "22"),
            "reduced": _band("aliquota ridotta", "10"),
            "reduced_5": _band("aliquota ridotta", "5"),
            "super_reduced": _band("aliquota minima", "4"),  # books, basic food
        }
    ),
    categories=_categories(
        # REGIONS attributes only the 4% band to food ("basic food"); it does not say which
        # goods the 10% and 5% bands cover, so no category is mapped to them.
        food=CategoryRate("super_reduced", "basic food"),
        books=CategoryRate("super_reduced"),
    ),
    source=("S53", "S54"),
)

IE = CountryVat(
    country="IE",
    tax_name="IE VAT",
    bands=MappingProxyType(
        {
            "standard": _band("standard rate", "23"),
            "reduced": _band("reduced rate", "13.5"),
            "second_reduced": _band("second reduced rate", "9"),  # newspapers, some food
            "livestock": _band("livestock rate", "4.8"),
            "zero": _band("zero rate", "0"),
        }
    ),
    categories=_categories(
        # The zero-rated list is unverified in REGIONS (no source found); the rates are not.
        childrens_clothing=CategoryRate("zero", "incl. footwear; unverified"),
        food=CategoryRate("zero", "most food; unverified"),
        books=CategoryRate("zero", "printed books; unverified"),
    ),
    source=("S53", "S54"),
)

NL = CountryVat(
    country="NL",
    tax_name="NL btw",
    bands=MappingProxyType(
        {"standard": _band("algemeen tarief", "21"), "reduced": _band("verlaagd tarief", "9")}
    ),
    categories=_categories(food=CategoryRate("reduced"), books=CategoryRate("reduced")),
    source=("S53", "S54"),
)

VAT: Mapping[str, CountryVat] = MappingProxyType(
    {vat.country: vat for vat in (GB, DE, FR, ES, IT, IE, NL)}
)
